// The fault server misbehaves exactly as documented, so a failing mpp test points at mpp, not at it.
// Raw node:http requests: fetch would hide status lines, big headers and cut connections.
import assert from 'node:assert/strict';
import http from 'node:http';
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

  test('ok: 402 then 200 with an (unsettled) receipt', async () => {
    assert.equal((await send('ok')).status, 402);
    const paid = await send('ok', true);
    assert.equal(paid.status, 200);
    assert.equal(JSON.parse(paid.body).choices[0].message.content, 'echo: hi');
    assert.ok(paid.headers['payment-receipt']);
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
});
