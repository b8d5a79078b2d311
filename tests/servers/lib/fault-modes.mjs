// The fault server's behaviours, one entry per /fault/<mode>/... path. Each mode has `probe` (request
// without a credential) and `paid` (request carrying a credential) handlers; a missing handler means
// "behave normally": probe -> a valid 402 challenge, paid -> 200 with the upstream answer and an
// unsettled receipt (the fault server never touches a chain).
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

// Several offers at once: a non-Payment scheme, a session offer, and charges in two currencies.
function manyChallenges(ctx) {
  return [
    'Bearer realm="fault-server"',
    sessionChallenge(ctx).header,
    ctx.challenge().header,
    ctx.challenge({ request: { ...ctx.chargeRequest(), currency: ALPHA_USD } }).header,
  ];
}

function sse(ctx, events, { truncate = false, stall = false } = {}) {
  ctx.res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'Payment-Receipt': ctx.fakeReceipt() });
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
};
