import { fileURLToPath } from 'node:url';
import { templateCatalog, type TemplateData, type TemplateName } from '../../../src/adapters/channels/template-catalog.js';

/** The shipped templates, for specs that copy and break them. */
export const TEMPLATES_DIRECTORY = fileURLToPath(new URL('../../../templates', import.meta.url));

const SAMPLE_VALUES: Readonly<Record<string, string>> = {
  name: 'Ada Lovelace',
  resetUrl: 'https://shop.example.com/reset-password?token=Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0',
  expiresAt: '2 Dec 2026, 14:30 UTC',
  orderId: '0193a7c2-6f1e-7d3a-9b2c-4e5f6a7b8c9d',
  paymentId: '0193a7c3-1a2b-7c3d-8e4f-5a6b7c8d9e0f',
  amount: '₩129,000',
  method: 'card',
  reason: 'the payment was declined',
  detail: 'Your card issuer refused the charge.',
  productId: '0193a7c4-2b3c-7d4e-9f5a-6b7c8d9e0f1a',
};

/** Realistic data for `name`: every one of its catalog keys. */
export function sampleData<N extends TemplateName>(name: N): TemplateData<N> & Readonly<Record<string, string>> {
  return Object.fromEntries(templateCatalog[name].keys.map((key) => [key, SAMPLE_VALUES[key] ?? key])) as TemplateData<N> &
    Readonly<Record<string, string>>;
}
