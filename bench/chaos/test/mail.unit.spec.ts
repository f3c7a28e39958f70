import type { MailpitClient, MailSummary } from '@msa/local';
import type { StoredEvent } from '../src/checks/check.js';
import { checkMail } from '../src/checks/mail.js';

const since = new Date('2026-12-03T10:00:00Z');

function emailRequested(index: number): StoredEvent {
  return {
    service: 'notification',
    position: index,
    eventId: `e${index}`,
    eventType: 'NotificationRequested',
    streamId: `notification-${index}`,
    version: 1,
    aggregateId: `n${index}`,
    causationId: `c${index}`,
    topic: 'notification.lifecycle.requested',
    payload: { channel: 'email' },
  };
}

/** A Mailpit holding `mails`, answering at most the `limit` asked for, as its API does. */
function mailpitHolding(mails: readonly MailSummary[]): MailpitClient {
  return {
    messages: ({ limit = 100 } = {}) => Promise.resolve(mails.slice(0, limit)),
  } as Partial<MailpitClient> as MailpitClient;
}

function mail(index: number): MailSummary {
  return { id: `m${index}`, messageId: `${index}@msa.local`, from: null, to: [], cc: [], bcc: [], subject: 'Receipt', created: new Date(since.getTime() + index), snippet: '' };
}

describe('one mail per notification', () => {
  it('given a long run with more email notifications than one page of Mailpit, each mailed once, when checked, then it holds', async () => {
    const count = 25_000;
    const events = Array.from({ length: count }, (_, i) => emailRequested(i));

    const [check] = await checkMail(events, mailpitHolding(Array.from({ length: count }, (_, i) => mail(i))), since);

    expect(check).toMatchObject({ held: true, detail: `${count} email notifications, ${count} mails caught, ${count} distinct, 0 sent more than once` });
  });

  it('given a notification mailed twice, when checked, then it fails naming the Message-ID', async () => {
    const events = [emailRequested(1), emailRequested(2)];

    const [check] = await checkMail(events, mailpitHolding([mail(1), mail(2), mail(2)]), since);

    expect(check?.held).toBe(false);
    expect(check?.detail).toContain('1 sent more than once; e.g. 2@msa.local');
  });
});
