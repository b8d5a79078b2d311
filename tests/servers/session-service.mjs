#!/usr/bin/env node
// The reference session server: mppx 0.11's own, unmodified `tempo.session` (TIP-1034 payment
// channels, sessionProtocol "v2") in front of the deterministic upstream, settling on the chain
// stand-in. A chat request with "stream": true gets the upstream's SSE answer metered by mppx (one
// unit per upstream `data:` event, `payment-need-voucher` events when the vouchers run out, a final
// `payment-receipt` event); without it, one JSON answer costs one unit. Body-less POSTs are mppx's
// management requests (open, voucher, topUp, close answered 204). SESSION.md describes the protocol.
// /both/v1/chat/completions offers a session and a charge in one 402, session first (as the Tempo
// proxies list them): mppx's own compose of tempo.session and tempo.charge, same payee and price.
// POST /__settle {"channelId":"0x.."} has mppx settle the highest voucher it accepted on that channel.
//
//   node session-service.mjs --rpc http://127.0.0.1:N [--port 0] [--chain-id 42431] [--currency 0x..]
//       [--payee-key 0x<key> | env MPP_TEST_PAYEE_KEY] [--amount 1000] [--unit-type token]
//       [--suggested-deposit 5000 | --suggested-deposit none] [--min-voucher-delta N]
//       [--fee-payer 0x<key> | env MPP_TEST_FEE_PAYER_KEY] [--realm 127.0.0.1] [--expires-seconds 300]
//       [--secret-key ..] [--config file.json] [--exit-on-stdin-close]
//
// Amounts are base units (6 decimals). The payee key is the server's account: it receives what is
// captured and pays the gas of close (fund it on the stand-in). Prints {"ready":true,"port":N,
// "payee":"0x.."}. Routes: see ROUTES below and README.md. GET /__requests lists what arrived.
import { setMaxListeners } from 'node:events';
import http from 'node:http';
import { Expires, Mppx, NodeListener, Store, tempo } from 'mppx/server';
import { createClient, formatUnits, http as httpTransport } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { tempo as tempoMainnet, tempoModerato } from 'viem/chains';
import { listen, parseFlags, readBody, recordRequest, sendJson, watchParent } from './lib/process.mjs';
import { chatCompletion, chatRequestError, errorResponse } from './lib/upstream.mjs';

const flags = parseFlags(process.argv.slice(2), ['exit-on-stdin-close']);
watchParent({ exitOnStdinClose: flags.exitOnStdinClose === true });
if (typeof flags.rpc !== 'string') throw new Error('--rpc URL of the chain stand-in is required');

const chainId = Number(flags.chainId ?? 42431);
const human = (name, fallback) => {
  const v = String(flags[name] ?? fallback);
  if (!/^\d+$/.test(v)) throw new Error(`--${name}: expected base units (a decimal integer), got ${v}`);
  return formatUnits(BigInt(v), 6); // mppx takes human units and converts with `decimals`
};
// The payee: anvil's second well-known key by default (test-only, never funded anywhere real).
const payee = privateKeyToAccount(flags.payeeKey ?? process.env.MPP_TEST_PAYEE_KEY ?? '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d');
const feePayerKey = flags.feePayer ?? process.env.MPP_TEST_FEE_PAYER_KEY;

// The server's only way onto the stand-in: mppx resolves its viem client through getClient. The
// account is attached because the server signs its own close (and settle) transactions.
const knownChain = { 4217: tempoMainnet, 42431: tempoModerato }[chainId] ?? { ...tempoModerato, id: chainId };
const client = createClient({ account: payee, chain: knownChain, pollingInterval: 100, transport: httpTransport(flags.rpc, { retryCount: 0, timeout: 10_000 }) });

// mppx's own channel store, kept here so POST /__settle can have mppx settle what it accepted.
const store = Store.memory();
const mppx = Mppx.create({
  methods: [
    tempo.session({
      account: payee,
      chainId,
      getClient: () => client,
      sse: true,
      store,
      ...(flags.currency && { currency: flags.currency }),
      ...(feePayerKey && { feePayer: privateKeyToAccount(feePayerKey) }),
    }),
    // Only the /both route offers it: a charge to the same payee, settled on the same stand-in.
    tempo.charge({
      testnet: chainId === 42431,
      getClient: () => client,
      recipient: payee.address,
      ...(flags.currency && { currency: flags.currency }),
      ...(feePayerKey && { feePayer: privateKeyToAccount(feePayerKey) }),
    }),
  ],
  realm: flags.realm ?? '127.0.0.1',
  secretKey: flags.secretKey ?? 'mpp-e2e-session-service-secret-key-not-a-secret',
});
mppx.onPaymentFailed(({ error }) => process.stderr.write(`session-service: payment failed: ${error.message}\n`));

const unitType = typeof flags.unitType === 'string' ? flags.unitType : 'token';
const suggestedDeposit = flags.suggestedDeposit === 'none' ? undefined : human('suggestedDeposit', '5000');
const perUnit = { unitType, price: () => human('amount', '1000') };
// unitType "request": an SSE answer is charged once, not per event.
const perRequest = { unitType: 'request', price: () => human('amount', '1000') };
// method+path -> route. Tempo proxy shapes (/<provider>/v1/*) and the plain OpenAI path.
const ROUTES = {
  'POST /v1/chat/completions': perUnit,
  'POST /openrouter/v1/chat/completions': perUnit,
  'POST /openai/v1/chat/completions': perUnit,
  'POST /per-request/v1/chat/completions': perRequest,
  'POST /both/v1/chat/completions': { ...perUnit, charge: true },
};

function route(method, path) {
  if (path.startsWith('/free/')) {
    const inner = ROUTES[`${method} ${path.slice('/free'.length)}`];
    return inner && { ...inner, price: null };
  }
  return ROUTES[`${method} ${path}`];
}

const requests = [];

async function handle(req, res, arrivedMs) {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (req.method === 'GET' && url.pathname === '/__requests') return sendJson(res, 200, requests);
  const body = await readBody(req);
  if (req.method === 'POST' && url.pathname === '/__settle') {
    // The payee's own settle of the highest voucher mppx accepted on a channel (mppx's settle()).
    const { channelId } = JSON.parse(body.toString('utf8'));
    return sendJson(res, 200, { txHash: await tempo.settle(store, client, channelId) });
  }
  recordRequest(requests, req, res, body, arrivedMs);
  const r = route(req.method, url.pathname);
  if (!r) return NodeListener.sendResponse(res, errorResponse(404, `no route ${req.method} ${url.pathname}`, 'not_found'));

  // A body is a chat request, checked before any payment (so a bad one is never charged). No body is
  // either mppx's management POST (answered by mppx, the upstream never runs) or a content request
  // without a chat body, which the upstream refuses like a real provider would.
  let parsed = null;
  if (body.length > 0) {
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return NodeListener.sendResponse(res, errorResponse(400, 'request body is not valid JSON'));
    }
    const problem = chatRequestError(parsed);
    if (problem) return NodeListener.sendResponse(res, errorResponse(400, problem));
  }
  const upstream = () => (parsed ? chatCompletion(parsed) : errorResponse(400, 'request body must be a JSON object'));
  if (!r.price) return NodeListener.sendResponse(res, upstream());

  const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);
  // A metered stream waiting for a voucher stops when its client goes away (mppx 0.11 has no timeout).
  const abort = new AbortController();
  setMaxListeners(0, abort.signal); // mppx listens once per reserved tick of a long stream
  res.on('close', () => abort.abort());
  const request = new Request(url, {
    method: req.method,
    headers: Object.entries(req.headers).filter(([k]) => !hopByHop.has(k)).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])),
    ...(body.length && { body }),
    signal: abort.signal,
  });
  const expires = flags.expiresSeconds !== undefined && { expires: Expires.seconds(Number(flags.expiresSeconds)) };
  const sessionOptions = {
    amount: r.price(),
    unitType: r.unitType,
    ...(suggestedDeposit && { suggestedDeposit }),
    ...(flags.minVoucherDelta !== undefined && { minVoucherDelta: human('minVoucherDelta', '0') }),
    ...expires,
  };
  const result = r.charge
    ? await mppx.compose(['tempo/session', sessionOptions], ['tempo/charge', { amount: r.price(), ...expires }])(request)
    : await mppx.session(sessionOptions)(request);
  if (result.status === 402) return NodeListener.sendResponse(res, result.challenge);
  return NodeListener.sendResponse(res, result.withReceipt(upstream()));
}

const server = http.createServer((req, res) => {
  handle(req, res, performance.now()).catch((e) => {
    process.stderr.write(`session-service: ${e.stack}\n`);
    if (!res.headersSent) sendJson(res, 500, { type: 'https://paymentauth.org/problems/internal-payment-error', title: 'Internal error', detail: e.message });
    else res.destroy();
  });
});
await listen(server, flags.port, { payee: payee.address });
