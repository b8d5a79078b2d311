// The fault server's behaviours, one entry per /fault/<mode>/... path. Each mode has `probe` (request
// without a credential) and `paid` (request carrying a credential) handlers; a missing handler means
// "behave normally": probe -> a valid 402 challenge, paid -> 200 with the upstream answer and a
// receipt naming what the credential paid (the fault server never touches a chain).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { problem } from './challenge.mjs';

const RECIPIENT_B = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const ALPHA_USD = '0x20c0000000000000000000000000000000000001';

function sessionChallenge(ctx) {
  const { amount, currency, recipient, chainId } = ctx.config;
  return ctx.challenge({
    intent: 'session',
    request: { amount, currency, recipient, unitType: 'request', methodDetails: { chainId, escrowContract: '0xe1c4d3dce17bc111181ddf716f75bae49e61a336' } },
  });
}

// A session offer as the only one, with `methodDetails` as given: a legacy v1 offer (no
// sessionProtocol) or a v2 offer on an escrow that is not the TIP-1034 precompile.
function soleSession(ctx, methodDetails) {
  const { amount, currency, recipient, chainId } = ctx.config;
  ctx.send402([ctx.challenge({
    intent: 'session',
    request: { amount, currency, recipient, unitType: 'token', suggestedDeposit: String(BigInt(amount) * 10n), methodDetails: { chainId, ...methodDetails } },
  }).header]);
}
const CANONICAL_ESCROW = '0x4d50500000000000000000000000000000000000';

// Several offers at once: a non-Payment scheme, a session offer, and charges in two currencies.
function manyChallenges(ctx) {
  return [
    'Bearer realm="fault-server"',
    sessionChallenge(ctx).header,
    ctx.challenge().header,
    ctx.challenge({ request: { ...ctx.chargeRequest(), currency: ALPHA_USD } }).header,
  ];
}

async function sse(ctx, events, { truncate = false, stall = false } = {}) {
  ctx.res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'Payment-Receipt': await ctx.receipt() });
  for (const e of events) ctx.res.write(e);
  // Destroying the socket mid-body leaves the chunked encoding unterminated: a cut connection.
  if (truncate) setTimeout(() => ctx.res.socket?.destroy(), 50);
  else if (!stall) ctx.res.end();
  // stall: the stream stays open with no more events, until the client gives up (Ctrl-C).
}

// One challenge handed out again and again, as servers that derive ids from the request and a timestamp
// can do for parallel calls. `times`: how many probes get it before fresh ones follow (Infinity: all).
function repeatedChallenge(name, times) {
  let repeated = null;
  return (ctx) => {
    repeated ??= ctx.challenge();
    ctx.send402([ctx.counter(name) < times ? repeated.header : ctx.challenge().header]);
  };
}

const chunk = (content) => `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content } }] })}\n\n`;
const hang = () => {}; // never answers; the client's timeout has to fire

// JSON nested `depth` levels deep in arrays, around `inner`: a few hundred bytes once gzipped.
const nested = (depth, inner = '0') => '['.repeat(depth) + inner + ']'.repeat(depth);
const DEPTH = 100_000;

/** Sends `text` gzip-compressed (curl decompresses it), as a gzip bomb arrives. */
async function sendGzip(ctx, status, headers, text) {
  const body = zlib.gzipSync(text, { level: 9 });
  ctx.res.writeHead(status, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': body.length });
  ctx.res.end(body);
}

// 64 KiB of reasoning per event (mpp never prints it), with a short content delta every 64 events.
const REASONING_EVENT = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { reasoning: 'r'.repeat(64 * 1024) } }] })}\n\n`;
const DOT_EVENT = chunk('.');

/**
 * A paid event stream of `totalBytes` (decompressed; default 2 GiB) streamed through gzip as fast as
 * the client reads it: a few MB on the wire. Stops when the client goes away.
 */
async function reasoningFlood(ctx, totalBytes = 2 ** 31) {
  ctx.res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Content-Encoding': 'gzip', 'Payment-Receipt': await ctx.receipt() });
  const first = Buffer.from(chunk('flood:'));
  const reasoning = Buffer.from(REASONING_EVENT);
  const dot = Buffer.from(DOT_EVENT);
  let sent = 0;
  let n = 0;
  const events = Readable.from((function* produce() {
    yield first;
    sent += first.length;
    while (sent < totalBytes) {
      const next = ++n % 64 === 0 ? dot : reasoning;
      sent += next.length;
      yield next;
    }
    yield Buffer.from('data: [DONE]\n\n');
  })());
  await pipeline(events, zlib.createGzip({ level: 9 }), ctx.res).catch(() => {}); // the client hung up
}

// `count` tool-call deltas with distinct indices, 1000 per event, then [DONE].
async function manyToolCalls(ctx, count = 200_000) {
  const events = [chunk('calls:')];
  for (let start = 0; start < count; start += 1000) {
    const calls = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) calls.push({ index: i, id: `call_${i}`, type: 'function', function: { name: 'f', arguments: '{}' } });
    events.push(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { tool_calls: calls } }] })}\n\n`);
  }
  events.push('data: [DONE]\n\n');
  await sendGzip(ctx, 200, { 'Content-Type': 'text/event-stream', 'Payment-Receipt': await ctx.receipt() }, events.join(''));
}

// Text with terminal controls a hostile server or RPC might send: OSC (set title), CSI (colour), C1
// CSI, a bidi override, a bell.
export const HOSTILE_TEXT = '\u001b]0;owned\u0007\u001b[31mred\u009b2J\u202eevil';

// A JSON-RPC endpoint whose every answer is an error carrying HOSTILE_TEXT (batches too).
async function hostileRpc(ctx) {
  let calls;
  try {
    calls = JSON.parse(ctx.body.toString('utf8'));
  } catch {
    calls = { id: null };
  }
  const answer = (c) => ({ jsonrpc: '2.0', id: c?.id ?? null, error: { code: -32000, message: `node says: ${HOSTILE_TEXT}` } });
  ctx.json(200, Array.isArray(calls) ? calls.map(answer) : answer(calls));
}

// A server that is briefly overloaded, as load balancers and upstreams are: the first `times` probes of
// each path get `status` (with Retry-After when `retryAfter` gives one: a function returning the
// header's value), the rest a normal 402. `request`: the charge request that 402 offers.
function busyFirst(name, times, status, { retryAfter, request } = {}) {
  return (ctx) => {
    if (ctx.counter(`${name}:${ctx.req.url}`) < times) {
      const headers = retryAfter ? { 'Retry-After': retryAfter() } : {};
      return ctx.json(status, { error: { message: status === 429 ? 'too many requests' : 'upstream overloaded, try again', type: 'server_error' } }, headers);
    }
    ctx.send402([ctx.challenge(request ? { request: request(ctx) } : {}).header]);
  };
}
// A charge only the client can settle (push): the client broadcasts it, so the chain stand-in sees it.
const pushOnlyCharge = (ctx) => ({ ...ctx.chargeRequest(), methodDetails: { chainId: ctx.config.chainId, supportedModes: ['push'] } });

// The one challenge id with quotes and backslashes every probe of `quoted-id` gets.
export const QUOTED_ID = 'id "with" quotes \\ and \\"backslashes\\';

export const MODES = {
  ok: {},
  'close-after-credential': { paid: (ctx) => ctx.req.socket.destroy() },
  '500-after-payment': {
    paid: (ctx) => ctx.json(500, problem('internal-payment-error', 'settlement backend failed'), { 'Content-Type': 'application/problem+json' }),
  },
  '402-again-after-payment': {
    paid: (ctx) => {
      const c = ctx.challenge();
      ctx.json(402, problem('verification-failed', 'Payment verification failed: transaction reverted', c.id), { 'WWW-Authenticate': c.header, 'Content-Type': 'application/problem+json' });
    },
  },
  hang: { probe: hang, paid: hang },
  'hang-after-payment': { paid: hang },
  'no-challenge-402': {
    probe: (ctx) => ctx.json(402, problem('payment-required', 'Payment is required.'), { 'Content-Type': 'application/problem+json' }),
  },
  'garbled-challenge': {
    probe: (ctx) => ctx.send402(['Payment id="abc, realm=127.0.0.1 method=tempo intent="charge" request="eyJhbW91bnQiOi']),
  },
  'garbled-request': {
    probe: (ctx) => ctx.send402([ctx.challenge().header.replace(/request="[^"]*"/, 'request="!!not-base64url!!"')]),
  },
  'huge-header': { probe: (ctx) => ctx.send402([ctx.challenge().header], { 'X-Filler': 'x'.repeat(64 * 1024) }) },
  'huge-challenge': { probe: (ctx) => ctx.send402([ctx.challenge({ description: 'd'.repeat(64 * 1024) }).header]) },
  expired: { probe: (ctx) => ctx.send402([ctx.challenge({ expires: new Date(Date.now() - 60_000) }).header]) },
  'unparseable-expires': {
    probe: (ctx) => ctx.send402([ctx.challenge().header.replace(/expires="[^"]*"/, 'expires="next tuesday"')]),
  },
  'wrong-chain': {
    probe: (ctx) => ctx.send402([ctx.challenge({ request: { ...ctx.chargeRequest(), methodDetails: { chainId: 1 } } }).header]),
  },
  // Alternates the recipient on every 402 this mode sends (first probe: the configured recipient).
  'recipient-changes': {
    probe: (ctx) => {
      const n = ctx.counter('recipient-changes');
      const recipient = n % 2 === 0 ? ctx.config.recipient : RECIPIENT_B;
      ctx.send402([ctx.challenge({ request: { ...ctx.chargeRequest(), recipient } }).header]);
    },
  },
  redirect: { probe: (ctx) => ctx.redirectToOtherOrigin(), paid: (ctx) => ctx.redirectToOtherOrigin() },
  'redirect-after-payment': { paid: (ctx) => ctx.redirectToOtherOrigin() },
  'malformed-sse': {
    paid: (ctx) => sse(ctx, [chunk('echo:'), 'data: {"choices":[{"delta":{"content":\n\n', 'this line has no field name\n\n', chunk(' tail')]),
  },
  'stall-sse': { paid: (ctx) => sse(ctx, [chunk('echo:'), chunk(' partial')], { stall: true }) },
  'truncated-sse': { paid: (ctx) => sse(ctx, [chunk('echo:'), chunk(' partial'), 'data: {"choices":[{"del'], { truncate: true }) },
  'session-v1': { probe: (ctx) => soleSession(ctx, { escrowContract: CANONICAL_ESCROW }) },
  'session-unknown-escrow': { probe: (ctx) => soleSession(ctx, { escrowContract: '0xe1c4d3dce17bc111181ddf716f75bae49e61a336', sessionProtocol: 'v2' }) },
  'multi-challenge-one-header': { probe: (ctx) => ctx.send402([manyChallenges(ctx).join(', ')]) },
  'multi-challenge-headers': { probe: (ctx) => ctx.send402(manyChallenges(ctx)) },
  // The credential belongs in Payment-Authorization; one sent in Authorization is refused.
  'payment-authorization-header': {
    probe: (ctx) => ctx.send402([ctx.challenge({ header: 'Payment-Authorization' }).header]),
    paid: (ctx) => {
      if (ctx.req.headers['payment-authorization']) return ctx.ok();
      const c = ctx.challenge({ header: 'Payment-Authorization' });
      ctx.json(402, problem('malformed-credential', 'credential expected in the Payment-Authorization header', c.id), { 'WWW-Authenticate': c.header, 'Content-Type': 'application/problem+json' });
    },
  },
  // An upstream that takes 100 ms, behind a server that checks nothing (bench/: the client's own batch scaling).
  'upstream-100ms': { paid: async (ctx) => { await new Promise((r) => setTimeout(r, 100)); return ctx.ok(); } },
  'repeat-id': { probe: repeatedChallenge('repeat-id', Infinity) },
  'repeat-id-twice': { probe: repeatedChallenge('repeat-id-twice', 2) },
  'empty-reason': { probe: (ctx) => ctx.send402([ctx.challenge().header], {}, '') },

  // Hostile bodies (issue 15). Nesting 100,000 levels deep, gzipped: before any payment in an error
  // body, after payment in an error object, in an event-stream error, in tool_calls.
  'nested-error-body': {
    probe: (ctx) => sendGzip(ctx, 500, { 'Content-Type': 'application/json' }, `{"error":${nested(DEPTH)}}`),
  },
  'nested-error-after-payment': {
    paid: async (ctx) => sendGzip(ctx, 200, { 'Content-Type': 'application/json', 'Payment-Receipt': await ctx.receipt() }, `{"error":${nested(DEPTH)}}`),
  },
  'nested-sse-error': {
    paid: async (ctx) => sendGzip(ctx, 200, { 'Content-Type': 'text/event-stream', 'Payment-Receipt': await ctx.receipt() },
      `${chunk('partial')}data: {"error":${nested(DEPTH)}}\n\n`),
  },
  'nested-tool-calls': {
    paid: async (ctx) => sendGzip(ctx, 200, { 'Content-Type': 'application/json', 'Payment-Receipt': await ctx.receipt() },
      `{"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"x","tool_calls":${nested(DEPTH, '{}')}},"finish_reason":"tool_calls"}]}`),
  },
  // A paid stream of 2 GiB decompressed, nearly all unprinted reasoning.
  'reasoning-flood': { paid: (ctx) => reasoningFlood(ctx) },
  // 200,000 tool calls with distinct indices.
  'many-tool-calls': { paid: (ctx) => manyToolCalls(ctx) },
  // JSON-RPC errors with terminal controls in their message (point --rpc-url here).
  'hostile-rpc': { probe: hostileRpc, paid: hostileRpc },
  // Every probe gets the same challenge, whose id holds quotes and backslashes.
  'quoted-id': {
    probe: (() => {
      let repeated = null;
      return (ctx) => {
        repeated ??= ctx.challenge({ id: QUOTED_ID });
        ctx.send402([repeated.header]);
      };
    })(),
  },
  // Probes (no credential) that a flaky or rate-limiting server answers before it offers a challenge.
  // `unavailable-twice`: two 503s, then a push-only charge (the client's own transfer lands on the chain).
  'unavailable-twice': { probe: busyFirst('unavailable-twice', 2, 503, { request: pushOnlyCharge }) },
  // Always 503, whatever the client does.
  unavailable: { probe: busyFirst('unavailable', Infinity, 503) },
  // One 429 asking to wait a second, as delay-seconds; then a 402.
  'busy-retry-after': { probe: busyFirst('busy-retry-after', 1, 429, { retryAfter: () => '1' }) },
  // One 503 asking to wait until two seconds from now, as an HTTP-date; then a 402.
  'busy-retry-after-date': { probe: busyFirst('busy-retry-after-date', 1, 503, { retryAfter: () => new Date(Date.now() + 2000).toUTCString() }) },
  // Always 429, asking to wait an hour.
  'busy-for-an-hour': { probe: busyFirst('busy-for-an-hour', Infinity, 429, { retryAfter: () => '3600' }) },
  // The credential arrives while the upstream is overloaded: 503 with Retry-After (a payment must not be re-sent).
  '503-after-payment': {
    paid: (ctx) => ctx.json(503, { error: { message: 'upstream overloaded, try again', type: 'server_error' } }, { 'Retry-After': '1' }),
  },
  // Pays like `ok`, but the receipt names another transaction.
  'receipt-other-reference': { paid: (ctx) => ctx.ok({ reference: `0x${'ab'.repeat(32)}` }) },
};
