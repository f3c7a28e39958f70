import { cp, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { MAX_SMS_SEGMENTS, smsLength } from '../../../src/adapters/channels/sms-length.js';
import { templateCatalog, type TemplateName } from '../../../src/adapters/channels/template-catalog.js';
import { TemplateError, TemplatesInvalid } from '../../../src/adapters/channels/template-errors.js';
import { loadTemplates, type Templates } from '../../../src/adapters/channels/templates.js';
import { sampleData, TEMPLATES_DIRECTORY } from './fixtures.js';

const SCRIPT = '<script>alert("x")</script>';

/** A copy of the shipped templates that a spec may break. */
async function templatesCopy(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'templates-'));
  await cp(TEMPLATES_DIRECTORY, directory, { recursive: true });
  return directory;
}

async function invalidTemplates(directory: string): Promise<readonly string[]> {
  try {
    await loadTemplates({ directory });
  } catch (error) {
    if (error instanceof TemplatesInvalid) return error.problems;
    throw error;
  }
  throw new Error('the templates loaded');
}

describe('Message templates', () => {
  let templates: Templates;
  beforeAll(async () => {
    templates = await loadTemplates();
  });

  const names = Object.keys(templateCatalog) as TemplateName[];
  const byChannel = (channel: 'email' | 'sms' | 'push') => names.filter((name) => templateCatalog[name].channel === channel);

  it.each(byChannel('email'))('given %s and its keys, when rendered, then both parts show every value', (name) => {
    const data = sampleData(name);

    const { html, text } = templates.email(name, data);

    for (const value of Object.values(data).filter((v) => v !== '')) {
      expect(html).toContain(Handlebars.escapeExpression(value));
      expect(text).toContain(value);
    }
    expect(html).toMatch(/^<!doctype html>/);
    expect(text).not.toContain('<');
  });

  it.each([...byChannel('sms'), ...byChannel('push')])('given %s and its keys, when rendered, then the text shows every value it names', (name) => {
    const data = sampleData(name);
    const channel = templateCatalog[name].channel === 'sms' ? 'sms' : 'push';

    const body = templates[channel](name, data);

    expect(body).toContain(data.orderId);
    expect(body).toBe(body.trim());
    if (channel === 'sms') expect(smsLength(body).segments).toBeLessThanOrEqual(MAX_SMS_SEGMENTS);
  });

  it('given markup in the data, when an email renders, then the HTML part escapes it and the text part keeps it as typed', () => {
    const { html, text } = templates.email('welcome-email', { name: SCRIPT });

    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(text).toContain(SCRIPT);
  });

  it('given markup in the data, when an SMS and a push render, then they keep it as typed', () => {
    const data = { ...sampleData('order-cancelled-sms'), reason: SCRIPT };

    expect(templates.sms('order-cancelled-sms', data)).toContain(SCRIPT);
    expect(templates.push('order-cancelled-push', data)).toContain(SCRIPT);
  });

  it('given an empty detail, when a cancellation renders, then no empty paragraph or dangling space is left', () => {
    const data = { ...sampleData('order-cancelled-email'), detail: '' };

    expect(templates.email('order-cancelled-email', data).html).not.toMatch(/<p>\s*<\/p>/);
    expect(templates.push('order-cancelled-push', data)).toMatch(/\.$/);
  });

  it('given a 100-character name, a won amount and a long reason, when the SMS templates render, then even in UCS-2 each fits in three segments', () => {
    const long = { name: '김'.repeat(100), amount: '₩999,999,999', method: 'bank transfer', reason: '결제가 카드사에 의해 거절되었습니다 (the card issuer declined)' };

    for (const name of byChannel('sms')) {
      const length = smsLength(templates.sms(name, { ...sampleData(name), ...long }));
      expect(length.encoding).toBe('UCS-2');
      expect(length.segments).toBeLessThanOrEqual(MAX_SMS_SEGMENTS);
    }
  });

  it('given data without one of the keys, when rendered, then it is refused naming the key and the template', () => {
    const data = Object.fromEntries(Object.entries(sampleData('password-reset-email')).filter(([key]) => key !== 'resetUrl'));

    expect(() => templates.email('password-reset-email', data)).toThrow(
      new TemplateError('password-reset-email', 'the data lacks "resetUrl"'),
    );
  });

  it('given an unknown name or another channel’s template, when rendered, then it is refused saying which', () => {
    expect(() => templates.email('farewell-email', { name: 'Ada' })).toThrow('template farewell-email: no such template');
    expect(() => templates.sms('welcome-email', { name: 'Ada' })).toThrow('template welcome-email: is an email template, not an SMS one');
    expect(() => templates.email('payment-receipt-push', sampleData('payment-receipt-push'))).toThrow(
      'template payment-receipt-push: is a push template, not an email one',
    );
  });

  it('given a GSM-7 text over three segments, when an SMS renders, then it is refused with its count', () => {
    const data = { ...sampleData('order-cancelled-sms'), reason: 'x'.repeat(400) };

    expect(() => templates.sms('order-cancelled-sms', data)).toThrow(/^template order-cancelled-sms: renders to 4 GSM-7 segments \(\d+ characters\); at most 3 are sent$/);
  });

  it('given Korean text short enough for GSM-7 but not for UCS-2, when an SMS renders, then its UCS-2 segments are counted and it is refused', () => {
    // About 210 characters: two segments in GSM-7, but UCS-2 fits only 201 in three.
    const data = { ...sampleData('order-cancelled-sms'), reason: '가'.repeat(150) };

    expect(() => templates.sms('order-cancelled-sms', data)).toThrow(/renders to 4 UCS-2 segments/);
  });

  it('given a text at the three-segment edge, when counted, then GSM-7 takes 459 characters and UCS-2 201', () => {
    expect(smsLength('a'.repeat(459))).toEqual({ encoding: 'GSM-7', segments: 3, characters: 459 });
    expect(smsLength('a'.repeat(460)).segments).toBe(4);
    expect(smsLength('가'.repeat(201))).toEqual({ encoding: 'UCS-2', segments: 3, characters: 201 });
    expect(smsLength('가'.repeat(202)).segments).toBe(4);
  });
});

describe('Loading the templates', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await templatesCopy();
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('given a missing part, when loaded, then start-up stops naming the file', async () => {
    await unlink(join(directory, 'welcome-email.html.hbs'));

    expect(await invalidTemplates(directory)).toEqual(['welcome-email.html.hbs: missing']);
  });

  it('given a template that does not parse, when loaded, then start-up stops naming it and the line', async () => {
    await writeFile(join(directory, 'payment-receipt-sms.txt.hbs'), 'Paid {{amount');

    const problems = await invalidTemplates(directory);

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^payment-receipt-sms\.txt\.hbs: Parse error on line 1/);
  });

  it('given a template using a key its catalog entry lacks, even inside an if, when loaded, then start-up stops naming both', async () => {
    await writeFile(join(directory, 'order-cancelled-push.txt.hbs'), 'Order {{orderId}}{{#if detail}} {{refund}}{{/if}}');

    expect(await invalidTemplates(directory)).toEqual([
      'order-cancelled-push.txt.hbs: uses "refund", not one of its keys (name, orderId, reason, detail)',
    ]);
  });

  it('given a file no catalog entry owns, when loaded, then start-up stops naming it', async () => {
    await writeFile(join(directory, 'welcome-sms.txt.hbs'), 'Hi {{name}}');
    await writeFile(join(directory, 'payment-receipt-sms.html.hbs'), '<p>{{name}}</p>');

    expect(await invalidTemplates(directory)).toEqual([
      'payment-receipt-sms.html.hbs: not a template of the catalog (or a part its channel does not have)',
      'welcome-sms.txt.hbs: not a template of the catalog (or a part its channel does not have)',
    ]);
  });

  it('given no templates directory, when loaded, then start-up stops naming it', async () => {
    const missing = join(directory, 'nowhere');

    expect(await invalidTemplates(missing)).toEqual([`${missing}: no such directory`]);
  });
});
