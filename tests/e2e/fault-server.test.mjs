// The fault server misbehaves exactly as documented, so a failing mpp test points at mpp, not at it.
// Raw node:http requests: fetch would hide status lines, big headers and cut connections.
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import * as h from './lib.mjs';

after(h.stopAll);

const BODY = JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] });
// A syntactically valid credential; the fault server never verifies payment.
const CREDENTIAL = `Payment ${Buffer.from(JSON.stringify({ challenge: { id: 'x' }, payload: { type: 'transaction', signature: '0x76' }, source: 'did:pkh:eip155:42431:0x0' })).toString('base64url')}`;

/** Resolves {status, statusMessage, headers, rawHeaders, body} or {error} when the connection dies. */
function request(url, { headers = {}, timeoutMs = 5_000 } = {}) {
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, maxHeaderSize: 256 * 1024, timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, statusMessage: res.statusMessage, headers: res.headers, rawHeaders: res.rawHeaders, body }));
      res.on('error', (error) => resolve({ status: res.statusCode, body, error: error.code ?? error.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ error: error.code ?? error.message }));
    req.end(BODY);
  });
}

describe('fault server', { timeout: h.SUITE_TIMEOUT_MS }, () => {
  let fault;
  let url;
  before(async () => {
    fault = await h.startFaultServer();
    url = (mode, credential) => [`${fault.url}/fault/${mode}/v1/chat/completions`, credential ? { headers: { authorization: CREDENTIAL } } : {}];
  });
  const send = (mode, credential, extra = {}) => {
    const [u, opts] = url(mode, credential);
    return request(u, { ...opts, ...extra });
  };

  test('ok: 402 then 200 with a receipt (zeros for a transaction it cannot read)', async () => {
    assert.equal((await send('ok')).status, 402);
    const paid = await send('ok', true);
    assert.equal(paid.status, 200);
    assert.equal(JSON.parse(paid.body).choices[0].message.content, 'echo: hi');
    const receipt = JSON.parse(Buffer.from(paid.headers['payment-receipt'], 'base64url').toString('utf8'));
    assert.equal(receipt.status, 'success');
    assert.equal(receipt.reference, `0x${'00'.repeat(32)}`);
  });

  test('after-payment faults', async () => {
    assert.ok((await send('close-after-credential', true)).error);
    assert.equal((await send('500-after-payment', true)).status, 500);
    const again = await send('402-again-after-payment', true);
    assert.equal(again.status, 402);
    assert.match(JSON.parse(again.body).type, /verification-failed/);
    assert.equal((await send('hang-after-payment', true, { timeoutMs: 300 })).error, 'timeout');
    assert.equal((await send('hang', false, { timeoutMs: 300 })).error, 'timeout');
  });

  test('challenge shape faults', async () => {
    assert.equal((await send('no-challenge-402')).headers['www-authenticate'], undefined);
    assert.equal((await send('huge-header')).headers['x-filler'].length, 64 * 1024);
    assert.ok((await send('huge-challenge')).headers['www-authenticate'].length > 64 * 1024);
    assert.equal((await send('empty-reason')).statusMessage, '');
    const lines = (await send('multi-challenge-headers')).rawHeaders.filter((_, i, a) => i % 2 === 1 && /^www-authenticate$/i.test(a[i - 1]));
    assert.equal(lines.length, 4);
  });

  test('redirects point at the other origin, which logs separately', async () => {
    const r = await send('redirect');
    assert.equal(r.status, 302);
    const target = new URL(r.headers.location);
    assert.notEqual(target.port, String(fault.port));
    assert.equal((await send('redirect-after-payment')).status, 402);
    assert.equal((await send('redirect-after-payment', true)).status, 302);
    assert.equal((await request(target.href)).status, 402);
    const log = await fault.requests();
    assert.equal(log.at(-1).origin, 'other');
  });

  test('SSE faults: malformed events, cut connection', async () => {
    const bad = await send('malformed-sse', true);
    assert.equal(bad.status, 200);
    assert.doesNotMatch(bad.body, /\[DONE\]/);
    const cut = await send('truncated-sse', true);
    assert.ok(cut.error, 'expected the connection to be cut mid-body');
  });

  test('payment-authorization-header wants the credential in that header', async () => {
    assert.equal((await send('payment-authorization-header', true)).status, 402);
    const [u] = url('payment-authorization-header');
    assert.equal((await request(u, { headers: { 'payment-authorization': CREDENTIAL } })).status, 200);
  });

  test('the request log never holds credential contents', async () => {
    const log = await fault.requests();
    assert.ok(log.some((r) => r.hasAuthorization && r.credential?.parsed));
    assert.ok(log.some((r) => r.hasPaymentAuthorization));
    assert.equal(JSON.stringify(log).includes(CREDENTIAL.slice(8, 40)), false);
    assert.equal(JSON.stringify(log).includes('0x76'), false);
  });

  /** Like request(), keeping the body as bytes; `limit` stops reading (and hangs up) past that many. */
  function rawBody(mode, { credential = false, method = 'POST', path: target, body = BODY, limit = Infinity } = {}) {
    return new Promise((resolve) => {
      const headers = { 'content-type': 'application/json', ...(credential && { authorization: CREDENTIAL }) };
      const req = http.request({ host: '127.0.0.1', port: fault.port, method, path: target ?? `/fault/${mode}/v1/chat/completions`, headers }, (res) => {
        const chunks = [];
        let size = 0;
        res.on('data', (d) => {
          chunks.push(d);
          size += d.length;
          if (size > limit) req.destroy();
        });
        const done = () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) });
        res.on('end', done);
        res.on('close', done);
      });
      req.on('error', () => {});
      req.end(body);
    });
  }

  test('hostile modes: nesting 100,000 deep in a few hundred gzipped bytes, before and after payment', async () => {
    const before = await rawBody('nested-error-body');
    assert.equal(before.status, 500);
    assert.equal(before.headers['content-encoding'], 'gzip');
    assert.ok(before.body.length < 2000, `${before.body.length} bytes on the wire`);
    const text = zlib.gunzipSync(before.body).toString('utf8');
    assert.ok(text.startsWith(`{"error":${'['.repeat(100_000)}0`));
    for (const mode of ['nested-error-after-payment', 'nested-sse-error', 'nested-tool-calls']) {
      const paid = await rawBody(mode, { credential: true });
      assert.equal(paid.status, 200, mode);
      assert.ok(paid.headers['payment-receipt'], mode);
      assert.ok(zlib.gunzipSync(paid.body).toString('utf8').includes('['.repeat(100_000)), mode);
    }
  });

  test('hostile modes: the reasoning flood is gzipped reasoning events that go on and on', async () => {
    const flood = await rawBody('reasoning-flood', { credential: true, limit: 8 * 1024 });
    assert.equal(flood.status, 200);
    assert.equal(flood.headers['content-encoding'], 'gzip');
    const text = zlib.gunzipSync(flood.body, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString('utf8');
    assert.ok(text.startsWith('data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"flood:"}}]}'));
    assert.ok(text.length > 10 * flood.body.length, `${text.length} bytes from ${flood.body.length}`);
    assert.match(text, /"reasoning":"r{65536}"/);
  });

  test('hostile modes: 200,000 tool calls with distinct indices', async () => {
    const paid = await rawBody('many-tool-calls', { credential: true });
    const events = zlib.gunzipSync(paid.body).toString('utf8').split('\n\n').filter((e) => e.startsWith('data: {'));
    const indices = events.flatMap((e) => JSON.parse(e.slice(6)).choices[0].delta.tool_calls?.map((c) => c.index) ?? []);
    assert.equal(new Set(indices).size, 200_000);
  });

  test('hostile modes: one challenge id with quotes and backslashes, every time', async () => {
    const [a, b] = [await send('quoted-id'), await send('quoted-id')];
    assert.equal(a.headers['www-authenticate'], b.headers['www-authenticate']);
    assert.ok(a.headers['www-authenticate'].startsWith('Payment id="id \\"with\\" quotes \\\\ and \\\\\\"backslashes\\\\", '), a.headers['www-authenticate']);
  });

  test('hostile modes: an RPC whose every answer is an error with terminal controls', async () => {
    const batch = await rawBody('hostile-rpc', { body: JSON.stringify([{ jsonrpc: '2.0', id: 7, method: 'eth_chainId', params: [] }]) });
    const [answer] = JSON.parse(batch.body.toString('utf8'));
    assert.equal(answer.id, 7);
    assert.ok(answer.error.message.includes('\u001b]0;owned\u0007'));
    assert.ok(answer.error.message.includes('\u202e'));
  });

  test('hostile modes: a receipt that names another transaction', async () => {
    const paid = await send('receipt-other-reference', true);
    const receipt = JSON.parse(Buffer.from(paid.headers['payment-receipt'], 'base64url').toString('utf8'));
    assert.equal(receipt.reference, `0x${'ab'.repeat(32)}`);
  });

  test('a request sent to it as a proxy is logged as proxied and forwarded nowhere', async () => {
    const proxied = await rawBody(null, { path: 'http://example.com/anything' });
    assert.equal(proxied.status, 502);
    const entry = (await fault.requests()).at(-1);
    assert.equal(entry.proxied, true);
    assert.equal(entry.path, 'http://example.com/anything');
  });
});
