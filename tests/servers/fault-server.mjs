#!/usr/bin/env node
// Fault-injecting MPP server (plain node:http, no mppx): issues its own valid 402 challenges and then
// misbehaves in the way the path names, so one process serves every fault:
//
//   ANY /fault/<mode>[/anything]          modes: lib/fault-modes.mjs (and README.md)
//   GET /__requests, DELETE /__requests   what arrived (never credential contents)
//
//   node fault-server.mjs [--port 0] [--chain-id 42431] [--recipient 0x..] [--currency 0x..]
//       [--amount 1000] [--realm 127.0.0.1] [--expires-seconds 300] [--exit-on-stdin-close]
//
// It also listens on a second ephemeral port, the "other origin" that redirect modes point to (same
// handler, same request log). Ready line: {"ready":true,"port":N,"otherPort":M}.
import http from 'node:http';
import { makeChallenge, problem } from './lib/challenge.mjs';
import { decodeTempoTransaction } from './lib/tempo-tx.mjs';
import { MODES } from './lib/fault-modes.mjs';
import { listen, parseFlags, readBody, recordRequest, sendJson, sendResponse, watchParent } from './lib/process.mjs';
import { chatCompletion, chatRequestError } from './lib/upstream.mjs';

const flags = parseFlags(process.argv.slice(2), ['exit-on-stdin-close']);
watchParent({ exitOnStdinClose: flags.exitOnStdinClose === true });

const config = {
  chainId: Number(flags.chainId ?? 42431),
  recipient: flags.recipient ?? '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  currency: flags.currency ?? '0x20c0000000000000000000000000000000000000',
  amount: String(flags.amount ?? '1000'),
  realm: flags.realm ?? '127.0.0.1',
  expiresSeconds: Number(flags.expiresSeconds ?? 300),
};
const requests = [];
const issued = new Set(); // challenge ids this process handed out
const counters = new Map();
let otherPort;

function context(req, res, body, { mode, rest }) {
  const ctx = {
    req, res, body, config,
    chargeRequest: () => ({ amount: config.amount, currency: config.currency, recipient: config.recipient, methodDetails: { chainId: config.chainId } }),
    challenge({ request = ctx.chargeRequest(), expires = new Date(Date.now() + config.expiresSeconds * 1000), ...extra } = {}) {
      const c = makeChallenge({ realm: config.realm, request, expires, ...extra });
      issued.add(c.id);
      return c;
    },
    counter(name) {
      const n = counters.get(name) ?? 0;
      counters.set(name, n + 1);
      return n;
    },
    json: (status, obj, headers = {}) => sendJson(res, status, obj, headers),
    // Several entries become several WWW-Authenticate header lines.
    send402(challenges, headers = {}, statusMessage) {
      const text = JSON.stringify(problem('payment-required', 'Payment is required.'));
      res.writeHead(402, statusMessage ?? 'Payment Required', {
        'WWW-Authenticate': challenges, 'Cache-Control': 'no-store', 'Content-Type': 'application/problem+json', ...headers,
      });
      res.end(text);
    },
    // A receipt shaped like mppx's, naming what the credential paid (it settles nothing): the signed
    // transaction's hash, the pushed hash, the challenge id for a proof; zeros for a fee-payer envelope,
    // whose final hash only a co-signing server knows. `fields` override any of it.
    async receipt(fields = {}) {
      const receipt = { method: 'tempo', status: 'success', timestamp: new Date().toISOString(), reference: await paidReference(req), ...fields };
      return Buffer.from(JSON.stringify(receipt)).toString('base64url');
    },
    async ok(receiptFields) {
      let parsed = null;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch { /* not JSON: answer with a fixed message */ }
      const reply = parsed && !chatRequestError(parsed) ? parsed : { messages: [{ role: 'user', content: `${req.method} ${req.url}` }] };
      const response = chatCompletion(reply);
      response.headers.set('Payment-Receipt', await ctx.receipt(receiptFields));
      await sendResponse(res, response);
    },
    redirectToOtherOrigin() {
      res.writeHead(302, { Location: `http://127.0.0.1:${otherPort}/fault/ok${rest}`, 'Content-Length': 0 });
      res.end();
    },
  };
  return ctx;
}

const ZERO_HASH = `0x${'00'.repeat(32)}`;

/** What a receipt for the credential in `req` names as its reference (see ctx.receipt). */
async function paidReference(req) {
  const header = req.headers['payment-authorization'] ?? req.headers.authorization ?? '';
  try {
    const credential = JSON.parse(Buffer.from(header.trim().split(/\s+/)[1] ?? '', 'base64url').toString('utf8'));
    const { type, signature, hash } = credential.payload ?? {};
    if (type === 'hash') return hash;
    if (type === 'proof') return credential.challenge.id;
    if (type === 'transaction' && signature?.startsWith('0x76')) return (await decodeTempoTransaction(signature)).hash;
  } catch { /* not a credential this server can read: zeros */ }
  return ZERO_HASH;
}

async function handle(req, res, origin) {
  // An absolute-form target ("POST http://host/path") is a request sent to us as a proxy: log it and
  // forward nothing, so a test can tell whether a client went through a proxy at all.
  if (/^[a-z]+:\/\//i.test(req.url)) {
    const entry = recordRequest(requests, req, res, await readBody(req));
    Object.assign(entry, { origin, mode: null, proxied: true });
    return sendJson(res, 502, { error: 'the fault server forwards nothing as a proxy' });
  }
  const url = new URL(req.url, 'http://127.0.0.1');
  if (url.pathname === '/__requests' && req.method === 'GET') return sendJson(res, 200, requests);
  if (url.pathname === '/__requests' && req.method === 'DELETE') return sendJson(res, 200, { cleared: requests.splice(0).length });
  const body = await readBody(req);
  const entry = recordRequest(requests, req, res, body);
  const match = /^\/fault\/([^/]+)(\/.*)?$/.exec(url.pathname);
  const mode = match && Object.hasOwn(MODES, match[1]) ? match[1] : null;
  Object.assign(entry, { origin, mode });
  if (entry.credential?.challengeId) entry.credential.challengeKnown = issued.has(entry.credential.challengeId);
  if (!mode) return sendJson(res, 404, { error: `unknown fault path ${url.pathname}; modes: ${Object.keys(MODES).join(', ')}` });

  const ctx = context(req, res, body, { mode, rest: (match[2] ?? '') + url.search });
  const hasCredential = entry.hasAuthorization || entry.hasPaymentAuthorization;
  const handler = hasCredential ? MODES[mode].paid : MODES[mode].probe;
  if (handler) return handler(ctx);
  return hasCredential ? ctx.ok() : ctx.send402([ctx.challenge().header]);
}

function serve(origin) {
  const server = http.createServer((req, res) => {
    handle(req, res, origin).catch((e) => {
      process.stderr.write(`fault-server: ${e.stack}\n`);
      if (!res.headersSent) sendJson(res, 500, { error: e.message });
    });
  });
  // CONNECT (an https request through a proxy): logged, then refused.
  server.on('connect', (req, socket) => {
    requests.push({ method: 'CONNECT', path: req.url, origin, proxied: true, hasAuthorization: false, hasPaymentAuthorization: false, credential: null });
    socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
  });
  return server;
}

const other = serve('other');
otherPort = await new Promise((resolve) => other.listen(0, '127.0.0.1', () => resolve(other.address().port)));
await listen(serve('main'), flags.port, { otherPort });
