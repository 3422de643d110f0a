// Signs a webhook body as Resend (through Svix) does, with the official `svix` package, so the
// .NET tests check Send's verifier against the real signer. Prints the svix-signature value.
// Usage: node svix-sign.mjs <whsec_ secret> <svix-id> <unix seconds> <body file>
import { readFile } from 'node:fs/promises';
import { Webhook } from 'svix';

const [secret, id, seconds, file] = process.argv.slice(2);
const body = await readFile(file, 'utf8');
console.log(new Webhook(secret).sign(id, new Date(Number(seconds) * 1000), body));
