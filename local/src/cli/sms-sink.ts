/**
 * The local SMS sink, as local/up starts it: Twilio's Messages API for the account in the state
 * dir's credentials file, on 127.0.0.1:MSA_SMS_SINK_PORT, keeping what it receives in
 * MSA_STATE_DIR/sms-sink/messages.jsonl. Stops on SIGTERM or SIGINT.
 */
import { join } from 'node:path';
import { readLocalConfig, repoPath, requirePort, requireValue } from '../config.js';
import { localServers } from '../servers.js';
import { readSmsSinkCredentials } from '../sms-sink/client.js';
import { createSmsSinkServer } from '../sms-sink/server.js';
import { MessageStore } from '../sms-sink/store.js';

// Requests in flight get this long to finish once a stop is asked for.
const STOP_GRACE_MS = 5_000;

const config = readLocalConfig();
const port = requirePort(config, 'MSA_SMS_SINK_PORT');
const store = await MessageStore.open(join(repoPath(requireValue(config, 'MSA_STATE_DIR')), 'sms-sink', 'messages.jsonl'));
const { accountSid, authToken } = readSmsSinkCredentials(localServers().smsSinkCredentialsPath);
const log = (fields: Record<string, unknown>, msg: string): void => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...fields, msg })}\n`);
};

const server = createSmsSinkServer({
  accountSid,
  authToken,
  store,
  onMessage: ({ sid, to }) => {
    log({ sid, to }, 'message received');
  },
});
server.listen(port, '127.0.0.1', () => {
  log({ port, accountSid }, 'SMS sink listening');
});

let stopping = false;
function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  log({ signal }, 'stopping');
  const cutOff = setTimeout(() => {
    server.closeAllConnections();
  }, STOP_GRACE_MS);
  server.close(() => {
    clearTimeout(cutOff);
    store.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log({ error: String(error) }, 'closing the message file failed');
        process.exit(1);
      },
    );
  });
  server.closeIdleConnections();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
