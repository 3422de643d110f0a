// Drives Send's /v1/domains with the official `resend` SDK: create, get, list, update, verify,
// remove. Prints the answers as one JSON object; any SDK error ends the run with exit code 1.
// Env: RESEND_BASE_URL (the Gateway's /v1, no trailing slash), RESEND_API_KEY, SEND_DOMAIN.
import { Resend } from 'resend';
import { check, printResults } from './answers.mjs';

const resend = new Resend(process.env.RESEND_API_KEY);

const created = check('create', await resend.domains.create({ name: process.env.SEND_DOMAIN, region: 'eu-west-1', customReturnPath: 'outbound' }));
check('get', await resend.domains.get(created.id));
check('list', await resend.domains.list({ limit: 10 }));
check('update', await resend.domains.update({ id: created.id, openTracking: true, clickTracking: false, tls: 'enforced' }));
check('verify', await resend.domains.verify(created.id));
check('remove', await resend.domains.remove(created.id));

printResults();
