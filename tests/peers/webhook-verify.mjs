// Verifies a captured webhook delivery with the official `standardwebhooks` package, as a
// customer's receiver would. Prints the parsed payload's type, or exits 1 with the error.
// Usage: node webhook-verify.mjs <whsec_ secret> <webhook-id> <webhook-timestamp> <webhook-signature> <body file>
import { readFile } from 'node:fs/promises';
import { Webhook } from 'standardwebhooks';

const [secret, id, timestamp, signature, file] = process.argv.slice(2);
const body = await readFile(file, 'utf8');
try {
  const payload = new Webhook(secret.replace(/^whsec_/, '')).verify(body, {
    'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature,
  });
  console.log('verified ' + payload.type);
} catch (error) {
  console.log('refused ' + error.message);
  process.exit(1);
}
