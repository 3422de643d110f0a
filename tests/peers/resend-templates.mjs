// Drives Send's /v1/templates with the official `resend` SDK: create (with declared variables and
// a sender), get, list, update, publish, duplicate, send with the template, remove. Prints the
// answers as one JSON object; any SDK error ends the run with exit code 1.
// Env: RESEND_BASE_URL (the Gateway's /v1, no trailing slash), RESEND_API_KEY, SEND_FROM.
import { Resend } from 'resend';
import { check, printResults } from './answers.mjs';

const resend = new Resend(process.env.RESEND_API_KEY);

const alias = `order-shipped-${Date.now()}`;
const created = check('create', await resend.templates.create({
  name: 'Order shipped',
  alias,
  from: process.env.SEND_FROM,
  subject: 'Order {{{ORDER_ID}}} shipped',
  html: '<p>Hi {{{NAME}}}, order {{{ORDER_ID}}} is on its way.</p>',
  variables: [
    { key: 'NAME', type: 'string', fallbackValue: 'there' },
    { key: 'ORDER_ID', type: 'string' },
  ],
}));
check('get', await resend.templates.get(created.id));
check('get_by_alias', await resend.templates.get(alias));
check('list', await resend.templates.list({ limit: 10 }));
check('update', await resend.templates.update(created.id, { subject: 'Your order {{{ORDER_ID}}} shipped' }));
check('publish', await resend.templates.publish(created.id));
check('get_published', await resend.templates.get(created.id));
const copy = check('duplicate', await resend.templates.duplicate(created.id));

check('send', await resend.emails.send({ to: ['sdk-template@example.com'], template: { id: alias, variables: { ORDER_ID: 'A-1001' } } }));
check('remove', await resend.templates.remove(copy.id));

printResults();
