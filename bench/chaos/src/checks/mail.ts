import type { MailpitClient } from '@msa/local';
import { examples, type Check, type StoredEvent } from './check.js';

/**
 * One mail per email notification: Mailpit holds as many distinct mails (by Message-ID, which the
 * notification service derives from each message's idempotency key) as the notification store
 * requested emails in the run, and no Message-ID twice.
 */
export async function checkMail(events: readonly StoredEvent[], mailpit: MailpitClient, since: Date): Promise<Check[]> {
  const requested = events.filter((event) => event.service === 'notification' && event.eventType === 'NotificationRequested' && event.payload.channel === 'email');
  // Room for every mail the run asked for and as many again (the duplicates this looks for), and at
  // least a page: a fixed limit undercounts a long run's mails and reads as mails never sent.
  const limit = Math.max(2 * requested.length, 1_000);
  const mails = (await mailpit.messages({ limit })).filter((mail) => mail.created >= since);
  const perId = new Map<string, number>();
  for (const mail of mails) perId.set(mail.messageId, (perId.get(mail.messageId) ?? 0) + 1);
  const twice = [...perId].filter(([, count]) => count > 1).map(([id]) => id);
  return [
    {
      name: 'one mail per notification',
      held: twice.length === 0 && perId.size === requested.length,
      detail: `${requested.length} email notifications, ${mails.length} mails caught, ${perId.size} distinct, ${twice.length} sent more than once${examples(twice)}`,
    },
  ];
}
