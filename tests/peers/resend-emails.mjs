// Drives Send's /v1/emails with the official `resend` SDK, as an app developer would, and prints
// what came back as one JSON object. Any SDK error ends the run with exit code 1.
// Env: RESEND_BASE_URL (the Gateway's /v1... base, no trailing slash), RESEND_API_KEY, SEND_FROM.
import { Resend } from 'resend';
import { check, results, printResults } from './answers.mjs';

const resend = new Resend(process.env.RESEND_API_KEY);
const from = process.env.SEND_FROM;

const idempotencyKey = `sdk-${Date.now()}`;
const message = { from, to: ['sdk@example.com'], subject: 'From the Resend SDK', html: '<p>hi</p>', tags: [{ name: 'via', value: 'sdk' }] };
const sent = check('send', await resend.emails.send(message, { idempotencyKey }));
check('send_again', await resend.emails.send(message, { idempotencyKey }));
check('get', await resend.emails.get(sent.id));
check('list', await resend.emails.list({ limit: 10 }));

check('batch', await resend.batch.send([message, { ...message, subject: 'Second of the batch' }]));

const later = new Date(Date.now() + 3600_000).toISOString();
const scheduled = check('send_scheduled', await resend.emails.send({ ...message, subject: 'Later', scheduledAt: later }));
check('update', await resend.emails.update({ id: scheduled.id, scheduledAt: new Date(Date.now() + 7200_000).toISOString() }));
check('cancel', await resend.emails.cancel(scheduled.id));
check('get_canceled', await resend.emails.get(scheduled.id));

const conflict = await resend.emails.send({ ...message, subject: 'Another body' }, { idempotencyKey });
results.conflict_error = conflict.error;

printResults();
