import pg from 'pg';
import { EVENTS_APPENDED_CHANNEL } from '../event-store/schema.js';

/** The advisory lock's first key; the second is `hashtext` of the relay's name. Arbitrary but fixed. */
export const RELAY_LOCK_CLASS = 0x4f_55_54_42;

/** A connection holding the relay's leadership lock and listening for appended events. */
export interface LeaderSession {
  readonly client: pg.Client;
  /** Rejects when the connection fails, which also ends the leadership. */
  readonly lost: Promise<never>;
  /** Closes the connection, which releases the lock. */
  close(): Promise<void>;
}

/**
 * Opens a dedicated connection and tries to take the relay's session-level advisory lock. Returns
 * the session when this process is now the leader, or undefined when another holds the lock. The lock
 * lives exactly as long as the connection, so a crashed leader's lock frees itself.
 */
export async function tryLead(
  config: pg.ClientConfig,
  relay: string,
  onNotification: () => void,
): Promise<LeaderSession | undefined> {
  const client = new pg.Client({ ...config, application_name: `outbox-relay:${relay}`, keepAlive: true });
  let fail: (error: Error) => void = () => undefined;
  const lost = new Promise<never>((_resolve, reject) => {
    fail = reject;
  });
  lost.catch(() => undefined);
  client.on('error', fail);
  client.on('end', () => {
    fail(new Error('leader connection closed'));
  });
  await client.connect();
  const close = async (): Promise<void> => {
    await client.end().catch(() => undefined);
  };
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      'select pg_try_advisory_lock($1, hashtext($2)) as locked',
      [RELAY_LOCK_CLASS, relay],
    );
    if (rows[0]?.locked !== true) {
      await close();
      return undefined;
    }
    // Only the checkpoint is written on this connection: losing its last updates in a crash means
    // republishing a few events (consumers absorb duplicates), never skipping one.
    await client.query('set synchronous_commit = off');
    client.on('notification', onNotification);
    await client.query(`listen ${EVENTS_APPENDED_CHANNEL}`);
    return { client, lost, close };
  } catch (error) {
    await close();
    throw error;
  }
}
