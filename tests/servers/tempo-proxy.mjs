#!/usr/bin/env node
// An emulation of a Tempo-hosted proxy (openrouter.mpp.tempo.xyz, openai.mpp.tempo.xyz) as
// ../../../shared/SERVICES.md sections 4-6 describe it, with mppx 0.11 doing the charge and its fee
// payer co-signing, settling on the chain stand-in:
//   - no validation before the 402: any request to the chat route gets one, body or not;
//   - four challenges in ONE WWW-Authenticate line, realm = the host, payee 0xca4e...79Fe:
//     a tempo/charge in NanoUSD, the sponsored tempo/charge in USDC.e (methodDetails {chainId 4217,
//     feePayer true}), then two tempo/session legs (TIP-1034 v2: escrow 0x4d50..., USDC.e and
//     NanoUSD). Only the USDC.e charge can be paid here; the session legs are offered, never served;
//   - the price depends on the body (5125 for an empty one, as captured);
//   - success: the provider's body bare, SSE deltas for "stream": true, with a Payment-Receipt;
//   - errors after payment are the upstream's, passed through, without a receipt.
//
//   node tempo-proxy.mjs --rpc URL [--service openrouter|openai] [--port 0] [--chain-id 4217]
//       [--recipient 0x..] [--realm HOST] [--fee-payer 0xKEY | env MPP_TEST_FEE_PAYER_KEY]
//       [--variant ok|region-block|user-not-found] [--secret-key S] [--exit-on-stdin-close]
//
// Variants (both seen in 2026-07/08, tempoxyz/mpp#852): region-block settles, then passes OpenAI's
// 403 unsupported_country_region_territory through; user-not-found settles, then passes
// OpenRouter's 401 "User not found" through. GET /__requests lists what arrived, with each request's
// userAgent, bodyKeys and stream.
import http from 'node:http';
import { Expires, Mppx, NodeListener, tempo } from 'mppx/server';
import { privateKeyToAccount } from 'viem/accounts';
import { annotate, chainClient, dynamicPrice, fetchRequest, humanUnits, MAINNET_CHAIN_ID, NANO_USD, SESSION_ESCROW, TEMPO_PAYEE, USDC_E } from './lib/gateway.mjs';
import { makeChallenge } from './lib/challenge.mjs';
import { listen, parseFlags, readBody, recordRequest, sendJson, watchParent } from './lib/process.mjs';
import { chatCompletion } from './lib/upstream.mjs';

const flags = parseFlags(process.argv.slice(2), ['exit-on-stdin-close']);
watchParent({ exitOnStdinClose: flags.exitOnStdinClose === true });
if (typeof flags.rpc !== 'string') throw new Error('--rpc URL of the chain stand-in is required');
const service = flags.service ?? 'openrouter';
if (!['openrouter', 'openai'].includes(service)) throw new Error(`--service: openrouter or openai, not ${service}`);
const variant = flags.variant ?? 'ok';
if (!['ok', 'region-block', 'user-not-found'].includes(variant)) throw new Error(`--variant: ok, region-block or user-not-found, not ${variant}`);
const chainId = Number(flags.chainId ?? MAINNET_CHAIN_ID);
const realm = flags.realm ?? `${service}.mpp.tempo.xyz`;
const recipient = flags.recipient ?? TEMPO_PAYEE;
// A well-known anvil key (#2), test-only: the proxy's sponsor. Fund it with USDC.e for the fees.
const feePayerKey = flags.feePayer ?? process.env.MPP_TEST_FEE_PAYER_KEY ?? '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a';
const secretKey = flags.secretKey ?? 'mpp-e2e-tempo-proxy-emulation-secret-key-not-a-secret';

const client = chainClient(flags.rpc, chainId);
const mppx = Mppx.create({
  methods: [
    tempo.charge({
      testnet: chainId !== MAINNET_CHAIN_ID,
      getClient: () => client,
      recipient,
      currency: USDC_E,
      feePayer: privateKeyToAccount(feePayerKey),
    }),
  ],
  realm,
  secretKey,
});
mppx.onPaymentFailed(({ error }) => process.stderr.write(`tempo-proxy: payment failed: ${error.message}\n`));

// 5125 was the charge quote for an empty body (openrouter, 2026-09-28); more tokens cost more.
const PRICE = { base: 5125, perToken: 10, defaultTokens: 0 };
const TOKEN_FIELDS = ['max_tokens', 'max_completion_tokens'];

/** The two session legs, as a TIP-1034 v2 server words them (SESSION.md section 2). */
function sessionLegs(amount) {
  const expires = new Date(Date.now() + 5 * 60_000);
  return [USDC_E, NANO_USD].map((currency) => makeChallenge({
    realm, intent: 'session', expires, secret: secretKey, description: `${service} - generation`,
    request: {
      amount, currency, recipient, unitType: 'request', suggestedDeposit: String(BigInt(amount) * 10n),
      methodDetails: { chainId, escrowContract: SESSION_ESCROW, feePayer: true, sessionProtocol: 'v2' },
    },
  }).header);
}

/** mppx's 402 with every challenge joined into one WWW-Authenticate line, session legs appended. */
async function challengeResponse(response, amount) {
  const lines = [];
  response.headers.forEach((value, name) => {
    if (name.toLowerCase() === 'www-authenticate') lines.push(value);
  });
  const headers = new Headers(response.headers);
  headers.set('WWW-Authenticate', [...lines, ...sessionLegs(amount)].join(', '));
  return new Response(await response.text(), { status: 402, headers });
}

const upstreamError = {
  'region-block': () => Response.json({ error: { code: 'unsupported_country_region_territory', message: 'Country, region, or territory not supported', param: null, type: 'request_forbidden' } }, { status: 403 }),
  'user-not-found': () => Response.json({ error: { message: 'User not found.', code: 401 } }, { status: 401 }),
};

/** The upstream's own validation (after payment: the proxy forwards whatever it was paid for). */
function upstreamBodyError(body) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'body must be a JSON object';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return "'messages' must be a non-empty array";
  return null;
}

const requests = [];

async function handle(req, res, arrivedMs) {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (req.method === 'GET' && url.pathname === '/__requests') return sendJson(res, 200, requests);
  const body = await readBody(req);
  const entry = recordRequest(requests, req, res, body, arrivedMs);
  let parsed = null;
  try {
    parsed = body.length ? JSON.parse(body.toString('utf8')) : null;
  } catch { /* the upstream decides, after payment */ }
  annotate(entry, req, parsed);
  if (url.pathname !== '/v1/chat/completions' || req.method === 'HEAD') {
    return NodeListener.sendResponse(res, Response.json({ error: { message: 'Not Found', type: 'not_found' } }, { status: 404 }));
  }
  const amount = dynamicPrice(PRICE, parsed, TOKEN_FIELDS);
  const options = { amount: humanUnits(amount), chainId, expires: Expires.minutes(5) };
  const result = await mppx.compose(['tempo/charge', { ...options, currency: NANO_USD }], ['tempo/charge', options])(fetchRequest(req, url, body));
  if (result.status === 402) return NodeListener.sendResponse(res, await challengeResponse(result.challenge, amount));
  // Paid and settled (sponsored). What follows is the upstream's answer, passed through.
  if (upstreamError[variant]) return NodeListener.sendResponse(res, upstreamError[variant]());
  const problem = upstreamBodyError(parsed);
  if (problem) return NodeListener.sendResponse(res, Response.json({ error: { message: problem, type: 'invalid_request_error', param: null, code: null } }, { status: 400 }));
  return NodeListener.sendResponse(res, result.withReceipt(chatCompletion({ model: service === 'openai' ? 'gpt-4o-mini' : 'openai/gpt-4o-mini', ...parsed })));
}

const server = http.createServer((req, res) => {
  handle(req, res, performance.now()).catch((e) => {
    process.stderr.write(`tempo-proxy: ${e.stack}\n`);
    if (!res.headersSent) sendJson(res, 500, { error: { message: 'internal error', type: 'server_error' } });
    else res.destroy();
  });
});
await listen(server, flags.port, { service, variant });
