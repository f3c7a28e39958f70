/**
 * What the SMS sink answers to a create-message request, shaped as Twilio's Messages resource
 * (API version 2010-04-01) answers it: the accepted message, or Twilio's error body. Pure: the
 * clock and the new sid arrive as inputs.
 */
import { z } from 'zod';

export const API_VERSION = '2010-04-01';

/** A message as Twilio's Messages resource represents it, in its snake_case JSON. */
export const smsMessageSchema = z.object({
  sid: z.string(),
  account_sid: z.string(),
  api_version: z.literal(API_VERSION),
  to: z.string(),
  from: z.string(),
  body: z.string(),
  status: z.literal('queued'),
  direction: z.literal('outbound-api'),
  num_segments: z.string(),
  num_media: z.literal('0'),
  date_created: z.string(),
  date_updated: z.string(),
  date_sent: z.null(),
  error_code: z.null(),
  error_message: z.null(),
  messaging_service_sid: z.null(),
  price: z.null(),
  price_unit: z.literal('USD'),
  uri: z.string(),
  subresource_uris: z.object({ media: z.string() }),
});
export type SmsMessage = z.infer<typeof smsMessageSchema>;

/** Twilio's error body: its own error code, a message, a link to the code's page, the HTTP status. */
export interface TwilioError {
  readonly code: number;
  readonly message: string;
  readonly more_info: string;
  readonly status: number;
}

export function twilioError(status: number, code: number, message: string): TwilioError {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** The longest body Twilio accepts: ten concatenated segments' worth. */
const MAX_BODY_CHARACTERS = 1600;

const E164 = /^\+[1-9]\d{1,14}$/;
// A sender may also be an alphanumeric sender ID: up to 11 letters, digits and spaces, one a letter.
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;

/**
 * Twilio's magic `To` numbers for test credentials, which fail the same way every time: how a
 * spec meets a recipient the provider refuses for good.
 */
export const REFUSED_RECIPIENTS: ReadonlyMap<string, TwilioError> = new Map([
  ['+15005550001', twilioError(400, 21211, "The 'To' number +15005550001 is not a valid phone number.")],
  ['+15005550002', twilioError(400, 21612, "The 'To' phone number +15005550002 is not currently reachable.")],
  [
    '+15005550003',
    twilioError(400, 21408, 'Permission to send an SMS has not been enabled for the region indicated by +15005550003.'),
  ],
  ['+15005550004', twilioError(400, 21610, "The 'To' number +15005550004 has opted out of messages from you.")],
  ['+15005550009', twilioError(400, 21614, "The 'To' number +15005550009 is not a mobile number.")],
]);

export type CreateOutcome =
  | { readonly kind: 'accepted'; readonly message: SmsMessage }
  | { readonly kind: 'refused'; readonly error: TwilioError };

export interface CreateContext {
  readonly accountSid: string;
  readonly sid: string;
  readonly now: Date;
}

/** Checks a create-message form as Twilio does, in its order: To, From, then Body. */
export function createMessage(form: URLSearchParams, context: CreateContext): CreateOutcome {
  const to = form.get('To')?.trim() ?? '';
  const from = form.get('From')?.trim() ?? '';
  const body = form.get('Body') ?? '';
  const refuse = (error: TwilioError): CreateOutcome => ({ kind: 'refused', error });

  if (to === '') return refuse(twilioError(400, 21604, "A 'To' phone number is required."));
  if (!E164.test(to)) return refuse(twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`));
  if (from === '') return refuse(twilioError(400, 21603, "A 'From' phone number is required."));
  if (!E164.test(from) && !ALPHANUMERIC_SENDER.test(from)) {
    return refuse(
      twilioError(400, 21212, `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`),
    );
  }
  if (body === '') return refuse(twilioError(400, 21602, 'Message body is required.'));
  if (body.length > MAX_BODY_CHARACTERS) {
    return refuse(
      twilioError(400, 21617, `The concatenated message body exceeds the ${MAX_BODY_CHARACTERS} character limit.`),
    );
  }
  const refused = REFUSED_RECIPIENTS.get(to);
  if (refused) return refuse(refused);

  const date = rfc2822(context.now);
  const uri = `/${API_VERSION}/Accounts/${context.accountSid}/Messages/${context.sid}`;
  return {
    kind: 'accepted',
    message: {
      sid: context.sid,
      account_sid: context.accountSid,
      api_version: API_VERSION,
      to,
      from,
      body,
      status: 'queued',
      direction: 'outbound-api',
      num_segments: String(segmentCount(body)),
      num_media: '0',
      date_created: date,
      date_updated: date,
      date_sent: null,
      error_code: null,
      error_message: null,
      messaging_service_sid: null,
      price: null,
      price_unit: 'USD',
      uri: `${uri}.json`,
      subresource_uris: { media: `${uri}/Media.json` },
    },
  };
}

// GSM 03.38's basic character set; a body with any other character is sent as UCS-2.
const GSM_BASIC = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà]*$/;

/**
 * How many SMS segments carry `body`: 160 GSM characters or 70 UCS-2 ones alone, fewer when split.
 * UCS-2 counts UTF-16 code units, as String's length does: an emoji takes two.
 */
export function segmentCount(body: string): number {
  const [single, part] = GSM_BASIC.test(body) ? [160, 153] : [70, 67];
  return body.length <= single ? 1 : Math.ceil(body.length / part);
}

/** Twilio's date format: RFC 2822 in UTC, `Tue, 01 Dec 2026 23:26:33 +0000`. */
export function rfc2822(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}
