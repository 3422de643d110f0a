// An SMTP server that insists on STARTTLS and AUTH (PLAIN/LOGIN) and writes each message it
// accepts to <dir>/<n>.eml, printing its envelope as a JSON line.
// Usage: node smtp-capture.mjs <port> <dir> <user> <password> <key.pem> <cert.pem>
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

const [port, dir, user, password, keyFile, certFile] = process.argv.slice(2);
let received = 0;
const server = new SMTPServer({
  key: readFileSync(keyFile),
  cert: readFileSync(certFile),
  authMethods: ['PLAIN', 'LOGIN'],
  allowInsecureAuth: false,
  disableReverseLookup: true,
  logger: false,
  onAuth(auth, session, callback) {
    if (auth.username === user && auth.password === password) return callback(null, { user: auth.username });
    return callback(new Error('Invalid username or password'));
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', chunk => chunks.push(chunk));
    stream.on('end', () => {
      received++;
      writeFileSync(join(dir, `${received}.eml`), Buffer.concat(chunks));
      console.log(JSON.stringify({ n: received, secure: session.secure, user: session.user, from: session.envelope.mailFrom.address, to: session.envelope.rcptTo.map(r => r.address) }));
      callback(null, `Ok: queued as capture-${received}`);
    });
  },
});
server.listen(Number(port), '127.0.0.1');
console.log('listening');
