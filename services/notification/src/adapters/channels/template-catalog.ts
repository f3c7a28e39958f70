/** The channel a template is written for; the same words as `NotificationRequested`'s `channel`. */
export type TemplateChannel = 'email' | 'sms' | 'push';

/** What one template is for and the data keys it renders, every one required. */
export interface TemplateSpec {
  readonly channel: TemplateChannel;
  readonly keys: readonly string[];
}

/**
 * Every template the service sends, with the keys its files may use. The renderer loads exactly these
 * from `templates/` and refuses to start when a file is missing, does not parse, or uses a key not
 * listed here, so a trigger and its template cannot drift apart unnoticed.
 */
export const templateCatalog = {
  'welcome-email': { channel: 'email', keys: ['name'] },
  'password-reset-email': { channel: 'email', keys: ['name', 'resetUrl', 'expiresAt'] },
  'payment-receipt-email': { channel: 'email', keys: ['name', 'orderId', 'paymentId', 'amount', 'method'] },
  'payment-receipt-sms': { channel: 'sms', keys: ['name', 'orderId', 'paymentId', 'amount', 'method'] },
  'payment-receipt-push': { channel: 'push', keys: ['name', 'orderId', 'paymentId', 'amount', 'method'] },
  'order-cancelled-email': { channel: 'email', keys: ['name', 'orderId', 'reason', 'detail'] },
  'order-cancelled-sms': { channel: 'sms', keys: ['name', 'orderId', 'reason', 'detail'] },
  'order-cancelled-push': { channel: 'push', keys: ['name', 'orderId', 'reason', 'detail'] },
  'stock-depleted-email': { channel: 'email', keys: ['productId', 'available', 'lowWaterMark'] },
} as const satisfies Readonly<Record<string, TemplateSpec>>;

/** A template's name, such as `welcome-email`. */
export type TemplateName = keyof typeof templateCatalog;

/** The data a template renders: each of its keys as text (`detail` may be the empty string). */
export type TemplateData<N extends TemplateName> = Readonly<Record<(typeof templateCatalog)[N]['keys'][number], string>>;
