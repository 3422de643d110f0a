// Verifies a captured webhook delivery with the official `svix` package, as code written for
// Resend's webhooks does, reading only the svix-* headers. Prints the payload's type, or exits 1.
// Usage: node svix-verify.mjs <whsec_ secret> <svix-id> <svix-timestamp> <svix-signature> <body file>
import { readFile } from 'node:fs/promises';
import { Webhook } from 'svix';

const [secret, id, timestamp, signature, file] = process.argv.slice(2);
const body = await readFile(file, 'utf8');
try {
  const payload = new Webhook(secret).verify(body, { 'svix-id': id, 'svix-timestamp': timestamp, 'svix-signature': signature });
  console.log('verified ' + payload.type);
} catch (error) {
  console.log('refused ' + error.message);
  process.exit(1);
}
