#!/usr/bin/env node
// The reference MPP server: mppx 0.11's own `tempo.charge` in front of the deterministic upstream, with
// the route shapes of the real services (PROTOCOL.md section 9). Settles on the stand-in chain.
//
//   node paid-service.mjs --rpc http://127.0.0.1:N [--port 0] [--chain-id 42431]
//       [--recipient 0x..] [--amount 1000] [--models-amount 5000] [--currency 0x..]
//       [--fee-payer 0x<key> | env MPP_TEST_FEE_PAYER_KEY] [--modes pull,push | --push-only | --pull-only]
//       [--requires-auth] [--realm 127.0.0.1] [--expires-seconds 300] [--splits 0xaddr:base,...]
//       [--optimistic] [--secret-key ..] [--config file.json] [--exit-on-stdin-close]
//       [--alt-currency 0x..] [--scope-proxy] [--upstream-delay-ms N]
//
// Amounts are base units (6 decimals). Prints {"ready":true,"port":N}. Routes: see ROUTES below and
// README.md. GET /__requests lists what arrived (no credential contents).
// Conformance additions (off by default): every route is also served at zero amount under /zero;
// --alt-currency offers a second tempo charge in that token alongside the first (mppx compose);
// --scope-proxy binds the Tempo proxy routes (/<provider>/v1/*) to a scope (challenge `opaque`).
// --upstream-delay-ms makes the upstream take that long per answer, paid or free (for bench/).
import http from 'node:http';
import { Expires, Mppx, NodeListener, tempo } from 'mppx/server';
import { createClient, formatUnits, http as httpTransport } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { tempo as tempoMainnet, tempoModerato } from 'viem/chains';
import { listen, parseFlags, readBody, recordRequest, sendJson, watchParent } from './lib/process.mjs';
import { chatCompletion, chatRequestError, errorResponse, modelList } from './lib/upstream.mjs';

const flags = parseFlags(process.argv.slice(2), ['push-only', 'pull-only', 'requires-auth', 'optimistic', 'exit-on-stdin-close', 'scope-proxy']);
watchParent({ exitOnStdinClose: flags.exitOnStdinClose === true });
if (typeof flags.rpc !== 'string') throw new Error('--rpc URL of the chain stand-in is required');

const chainId = Number(flags.chainId ?? 42431);
const baseUnits = (name, fallback) => {
  const v = String(flags[name] ?? fallback);
  if (!/^\d+$/.test(v)) throw new Error(`--${name}: expected base units (a decimal integer), got ${v}`);
  return formatUnits(BigInt(v), 6); // mppx takes human units and converts with `decimals`
};
const modes = flags.pushOnly ? ['push'] : flags.pullOnly ? ['pull'] : typeof flags.modes === 'string' ? flags.modes.split(',') : undefined;
const feePayerKey = flags.feePayer ?? process.env.MPP_TEST_FEE_PAYER_KEY;
const splits = typeof flags.splits === 'string'
  ? flags.splits.split(',').map((s) => {
    const [recipient, amount] = s.split(':');
    return { recipient, amount: formatUnits(BigInt(amount), 6) };
  })
  : undefined;

// The server's only way onto the stand-in: mppx resolves its viem client through getClient.
const knownChain = { 4217: tempoMainnet, 42431: tempoModerato }[chainId] ?? { ...tempoModerato, id: chainId };
const client = createClient({ chain: knownChain, transport: httpTransport(flags.rpc, { retryCount: 0, timeout: 10_000 }) });

const mppx = Mppx.create({
  methods: [
    tempo.charge({
      testnet: chainId === 42431,
      getClient: () => client,
      recipient: flags.recipient ?? '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
      ...(flags.currency && { currency: flags.currency }),
      ...(feePayerKey && { feePayer: privateKeyToAccount(feePayerKey) }),
      ...(modes && { supportedModes: modes }),
      ...(flags.optimistic && { waitForConfirmation: false }),
    }),
  ],
  realm: flags.realm ?? '127.0.0.1',
  secretKey: flags.secretKey ?? 'mpp-e2e-paid-service-secret-key-not-a-secret',
  ...(flags.requiresAuth && { requiresAuth: true }),
});
// The 402 body says why a credential failed; echo it to stderr so a failing e2e test shows it.
mppx.onPaymentFailed(({ error }) => process.stderr.write(`paid-service: payment failed: ${error.message}\n`));

const chat = { kind: 'chat', price: () => baseUnits('amount', '1000') };
const models = { kind: 'models', price: () => baseUnits('modelsAmount', '5000') };
// method+path -> route. Locus: /groq/*, /grok/*; Tempo proxy: /<provider>/v1/*; plain OpenAI paths.
const ROUTES = {
  'POST /groq/chat': chat,
  'POST /groq/models': models,
  'GET /groq/models': models,
  'POST /grok/chat': chat,
  'POST /openrouter/v1/chat/completions': chat,
  'POST /openai/v1/chat/completions': chat,
  'POST /v1/chat/completions': chat,
  'POST /zero/v1/chat/completions': { kind: 'chat', price: () => '0' }, // zero amount: proof credential
  'GET /v1/models': { kind: 'models', price: null },
  'GET /openai/v1/models': { kind: 'models', price: null },
  'GET /openrouter/v1/models': { kind: 'models', price: null },
};

function route(method, path) {
  // Every route is also served unpaid under /free, for baselines.
  if (path.startsWith('/free/')) {
    const inner = ROUTES[`${method} ${path.slice('/free'.length)}`];
    return inner && { ...inner, price: null };
  }
  const exact = ROUTES[`${method} ${path}`];
  if (!exact && path.startsWith('/zero/')) {
    const inner = ROUTES[`${method} ${path.slice('/zero'.length)}`];
    return inner && { ...inner, price: () => '0' };
  }
  return exact;
}

const requests = [];
const upstreamDelayMs = Number(flags.upstreamDelayMs ?? 0);
if (!Number.isInteger(upstreamDelayMs) || upstreamDelayMs < 0) throw new Error(`--upstream-delay-ms: expected whole milliseconds, got ${flags.upstreamDelayMs}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function handle(req, res, arrivedMs) {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (req.method === 'GET' && url.pathname === '/__requests') return sendJson(res, 200, requests);
  const body = await readBody(req);
  recordRequest(requests, req, res, body, arrivedMs);
  const r = route(req.method, url.pathname);
  if (!r) return NodeListener.sendResponse(res, errorResponse(404, `no route ${req.method} ${url.pathname}`, 'not_found'));

  let parsed = null;
  if (r.kind === 'chat') {
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return NodeListener.sendResponse(res, errorResponse(400, 'request body is not valid JSON'));
    }
    // Bad requests are refused before the payment step, so they are never charged.
    const problem = chatRequestError(parsed);
    if (problem) return NodeListener.sendResponse(res, errorResponse(400, problem));
  }
  const upstream = async () => {
    if (upstreamDelayMs) await sleep(upstreamDelayMs);
    return r.kind === 'chat' ? chatCompletion(parsed) : modelList();
  };
  if (!r.price) return NodeListener.sendResponse(res, await upstream());

  // The body is already buffered: framing headers of the original connection do not carry over.
  const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);
  const request = new Request(url, {
    method: req.method,
    headers: Object.entries(req.headers).filter(([k]) => !hopByHop.has(k)).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])),
    ...(body.length && { body }),
  });
  const scoped = flags.scopeProxy && /^\/(zero\/)?[a-z]+\/v1\//.test(url.pathname);
  const options = {
    amount: r.price(),
    chainId,
    ...(splits && { splits }),
    ...(flags.expiresSeconds !== undefined && { expires: Expires.seconds(Number(flags.expiresSeconds)) }),
    ...(scoped && { scope: `${req.method} ${url.pathname}` }),
  };
  const charge = typeof flags.altCurrency === 'string'
    ? mppx.compose(['tempo/charge', options], ['tempo/charge', { ...options, currency: flags.altCurrency }])
    : mppx.charge(options);
  const result = await charge(request);
  if (result.status === 402) return NodeListener.sendResponse(res, result.challenge);
  return NodeListener.sendResponse(res, result.withReceipt(await upstream()));
}

const server = http.createServer((req, res) => {
  handle(req, res, performance.now()).catch((e) => {
    process.stderr.write(`paid-service: ${e.stack}\n`);
    if (!res.headersSent) sendJson(res, 500, { type: 'https://paymentauth.org/problems/internal-payment-error', title: 'Internal error', detail: e.message });
    else res.destroy();
  });
});
await listen(server, flags.port);
