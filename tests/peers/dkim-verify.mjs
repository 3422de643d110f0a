// Verifies the DKIM signatures of a message with `mailauth`, looking the keys up in a real DNS
// server. Prints mailauth's result as JSON. Usage: node dkim-verify.mjs <message.eml> <dns host:port>
import { readFile } from 'node:fs/promises';
import { Resolver } from 'node:dns/promises';
import mailauth from 'mailauth/lib/dkim/verify.js';

const [messagePath, server] = process.argv.slice(2);
const resolver = new Resolver({ timeout: 3000, tries: 2 });
resolver.setServers([server]);

const message = await readFile(messagePath);
const result = await mailauth.dkimVerify(message, { resolver: (name, type) => resolver.resolve(name, type) });
console.log(JSON.stringify(result.results.map(r => ({
  domain: r.signingDomain ?? null, selector: r.selector ?? null, result: r.status.result, comment: r.status.comment ?? null,
}))));
