// An SMTP server that accepts every message and keeps only a count: the sink for measuring how
// fast Send delivers, without a mail store's own cost in the way.
// Usage: node smtp-sink.mjs <port>; GET-free: it prints "received N" to stdout every second.
import { SMTPServer } from 'smtp-server';

let received = 0;
const server = new SMTPServer({
  authOptional: true,
  // No reverse DNS per connection: the baseline should pay for SMTP, not for a lookup.
  disableReverseLookup: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => { received++; callback(null, `Ok: queued as sink-${received}`); });
  },
});
server.listen(Number(process.argv[2]), '127.0.0.1');
setInterval(() => console.log(`received ${received}`), 1000);
