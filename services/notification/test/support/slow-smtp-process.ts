// A real SMTP server in a process of its own, so it keeps answering while the spec's process is
// frozen. It waits `argv[2]` ms after a message's final dot before its 250, prints `listening <port>`
// once it listens and `received <n>` as each message's data ends.
import smtpServer from 'smtp-server';
import type { AddressInfo } from 'node:net';

const replyDelayMs = Number(process.argv[2] ?? '0');
let received = 0;
const server = new smtpServer.SMTPServer({
  disabledCommands: ['STARTTLS', 'AUTH'],
  authOptional: true,
  logger: false,
  onData(stream, _session, callback) {
    stream.on('end', () => {
      received += 1;
      const queued = received;
      process.stdout.write(`received ${String(queued)}\n`);
      setTimeout(() => {
        callback(null, `Ok: queued as Q${String(queued)}`);
      }, replyDelayMs);
    });
    stream.resume();
  },
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${String((server.server.address() as AddressInfo).port)}\n`);
});
