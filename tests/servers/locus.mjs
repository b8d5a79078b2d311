#!/usr/bin/env node
// An emulation of a Locus merchant (groq.mpp.paywithlocus.com, grok.mpp.paywithlocus.com) as
// ../../../shared/SERVICES.md sections 1-3 describe it, with mppx 0.11 doing the charge (Locus runs
// mppx) and settling on the chain stand-in:
//   - a request without a User-Agent gets 403 from the WAF, before anything else;
//   - GET and HEAD get Locus's JSON 404; the body is validated before any 402 (400 {"error":"Invalid
//     request","message":...}, nothing charged);
//   - exactly one challenge, tempo/charge, realm = the host, the minimal request {amount, currency
//     USDC.e, methodDetails {chainId 4217}, recipient 0x060b...9Ff0}, no fee payer (the client pays
//     gas), 5 minute expiry, description "Locus MPP: <service>/<route>"; the price depends on the body;
//   - success: 200 {"success":true,"data":<the provider's chat.completion>}, never SSE (a "stream"
//     field is ignored); grok answers requests for grok-3-mini with "model":"grok-4.3";
//   - POST /groq/models (body {}): fixed 5000, the envelope around Groq's model list.
//
//   node locus.mjs --rpc URL [--service groq|grok] [--port 0] [--chain-id 4217] [--recipient 0x..]
//       [--currency 0x..] [--realm HOST] [--variant ok|upstream-fail|no-receipt] [--models-amount 5000]
//       [--secret-key S] [--exit-on-stdin-close]
//
// Variants: upstream-fail settles the payment, then answers 502 {"success":false,"error":"Upstream API
// call failed","paymentId":<uuid>} (SERVICES.md 1.4); no-receipt answers success without a
// Payment-Receipt (never captured from Locus either way). GET /__requests lists what arrived, with each
// request's userAgent and bodyKeys.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { Expires, Mppx, NodeListener, tempo } from 'mppx/server';
import { annotate, chainClient, dynamicPrice, fetchRequest, humanUnits, LOCUS_PAYEE, MAINNET_CHAIN_ID, USDC_E } from './lib/gateway.mjs';
import { listen, parseFlags, readBody, recordRequest, sendJson, watchParent } from './lib/process.mjs';
import { chatCompletion } from './lib/upstream.mjs';

const flags = parseFlags(process.argv.slice(2), ['exit-on-stdin-close']);
watchParent({ exitOnStdinClose: flags.exitOnStdinClose === true });
if (typeof flags.rpc !== 'string') throw new Error('--rpc URL of the chain stand-in is required');
const service = flags.service ?? 'groq';
if (!['groq', 'grok'].includes(service)) throw new Error(`--service: groq or grok, not ${service}`);
const variant = flags.variant ?? 'ok';
if (!['ok', 'upstream-fail', 'no-receipt'].includes(variant)) throw new Error(`--variant: ok, upstream-fail or no-receipt, not ${variant}`);
const chainId = Number(flags.chainId ?? MAINNET_CHAIN_ID);

// Groq prices 128 max tokens of gpt-oss-20b at 8000, Grok 128 of grok-4.6 at 1000 (2026-09-28).
const PRICES = {
  groq: { base: 1600, perToken: 50, defaultTokens: 400, fields: ['max_completion_tokens', 'max_tokens'] },
  grok: { base: 360, perToken: 5, defaultTokens: 400, fields: ['max_tokens'] },
};
const price = PRICES[service];
const GROQ_MODELS = [
  { id: 'openai/gpt-oss-20b', object: 'model', created: 1_754_407_957, owned_by: 'OpenAI', active: true, context_window: 131072 },
  { id: 'llama-3.3-70b-versatile', object: 'model', created: 1_733_447_754, owned_by: 'Meta', active: true, context_window: 131072 },
  { id: 'llama-3.1-8b-instant', object: 'model', created: 1_693_721_698, owned_by: 'Meta', active: true, context_window: 131072 },
];

const client = chainClient(flags.rpc, chainId);
const mppx = Mppx.create({
  methods: [
    tempo.charge({
      testnet: chainId !== MAINNET_CHAIN_ID,
      getClient: () => client,
      recipient: flags.recipient ?? LOCUS_PAYEE,
      currency: flags.currency ?? USDC_E.toLowerCase(), // the groq and grok captures carry it lowercase
    }),
  ],
  realm: flags.realm ?? `${service}.mpp.paywithlocus.com`,
  secretKey: flags.secretKey ?? 'mpp-e2e-locus-emulation-secret-key-not-a-secret',
});
mppx.onPaymentFailed(({ error }) => process.stderr.write(`locus: payment failed: ${error.message}\n`));

const json = (status, body, headers = {}) => Response.json(body, { status, headers });
const envelope = (data) => ({ success: true, data });
const notFound = () => json(404, {
  success: false, error: 'Not found',
  message: 'This endpoint does not exist. Re-read skill.md or fetch llms.txt for the list of endpoints.',
  docs: { skill: 'https://paywithlocus.com/skill.md', llms: 'https://paywithlocus.com/llms.txt' },
});
const invalid = (message) => json(400, { error: 'Invalid request', message });

/** Locus's own validation of a chat body, before any price: an error message, or null. */
function chatBodyError(body) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'body must be a JSON object';
  if (typeof body.model !== 'string' || body.model === '') return 'model is required';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages is required';
  if (body.messages.some((m) => typeof m?.role !== 'string')) return 'messages[].role is required';
  return null;
}

async function chatAnswer(body) {
  const served = service === 'grok' && body.model === 'grok-3-mini' ? 'grok-4.3' : body.model;
  const completion = await chatCompletion({ ...body, model: served, stream: false }).json();
  return json(200, envelope(completion));
}

const ROUTES = {
  [`/${service}/chat`]: { route: 'chat', validate: chatBodyError, amount: (body) => dynamicPrice(price, body, price.fields), answer: chatAnswer },
  ...(service === 'groq' && {
    '/groq/models': { route: 'models', validate: () => null, amount: () => String(flags.modelsAmount ?? 5000), answer: async () => json(200, envelope({ object: 'list', data: GROQ_MODELS })) },
  }),
};

const requests = [];

async function handle(req, res, arrivedMs) {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (req.method === 'GET' && url.pathname === '/__requests') return sendJson(res, 200, requests);
  const body = await readBody(req);
  const entry = recordRequest(requests, req, res, body, arrivedMs);
  let parsed = null;
  try {
    parsed = body.length ? JSON.parse(body.toString('utf8')) : null;
  } catch { /* validated below */ }
  annotate(entry, req, parsed);
  // The WAF in front of the merchants refuses an empty User-Agent before the app sees the request.
  if (!req.headers['user-agent']) return NodeListener.sendResponse(res, new Response('Forbidden\n', { status: 403, headers: { 'Content-Type': 'text/plain' } }));
  const r = ROUTES[url.pathname];
  if (!r || req.method !== 'POST') return NodeListener.sendResponse(res, notFound());
  if (parsed === null && body.length) return NodeListener.sendResponse(res, invalid('body must be valid JSON'));
  const problem = r.validate(parsed);
  if (problem) return NodeListener.sendResponse(res, invalid(problem));

  const result = await mppx.charge({
    amount: humanUnits(r.amount(parsed)),
    chainId,
    description: `Locus MPP: ${service}/${r.route}`,
    expires: Expires.minutes(5),
  })(fetchRequest(req, url, body));
  if (result.status === 402) return NodeListener.sendResponse(res, result.challenge);
  // Paid (mppx waited for the transfer on chain).
  if (variant === 'upstream-fail') {
    return NodeListener.sendResponse(res, json(502, { success: false, error: 'Upstream API call failed', paymentId: randomUUID() }));
  }
  const answer = await r.answer(parsed);
  return NodeListener.sendResponse(res, variant === 'no-receipt' ? answer : result.withReceipt(answer));
}

const server = http.createServer((req, res) => {
  handle(req, res, performance.now()).catch((e) => {
    process.stderr.write(`locus: ${e.stack}\n`);
    if (!res.headersSent) sendJson(res, 500, { success: false, error: 'Internal server error' });
    else res.destroy();
  });
});
await listen(server, flags.port, { service, variant });
