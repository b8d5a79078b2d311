// Price drift (issue 20), through the real binary: a 402 asking more than the price the service
// publishes (its /openapi.json x-payment-info) or than a template's last price paid, by more than
// --max-drift (default 20%), is refused before anything is signed (exit 5, both prices named). The
// reference mppx server (paid-service.mjs) publishes no OpenAPI document (404), so a small proxy in front
// of it serves one and forwards every other request unchanged.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './lib.mjs';

after(h.stopAll);

const skip = h.mppBinary() ? false : 'MPP_BIN is not set (ctest sets it to the built mpp binary)';
const CHAT_PATH = '/v1/chat/completions';

/** An OpenAPI document publishing `amount` (base units, or null: dynamic) for POST CHAT_PATH. */
const openapi = (amount, currency = h.TOKENS.pathUSD) => ({
  openapi: '3.1.0',
  info: { title: 'drift test', version: '1' },
  paths: { [CHAT_PATH]: { post: { 'x-payment-info': { intent: 'charge', method: 'tempo', amount, currency, description: 'chat' } } } },
});

/** Serves `document` at GET /openapi.json (404 when null) and forwards everything else to `target`. */
async function startPublisher(target, document) {
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, credential: Boolean(req.headers.authorization || req.headers['payment-authorization']) });
    if (req.method === 'GET' && req.url === '/openapi.json') {
      res.writeHead(document ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(document ?? { error: 'not found' }));
      return;
    }
    const upstream = http.request(new URL(req.url, target.url), { method: req.method, headers: { ...req.headers, host: new URL(target.url).host } }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, seen, close: () => new Promise((resolve) => server.close(resolve)) };
}

const stderrLines = (r) => r.stderr.split('\n').filter((l) => l.length > 0);
const errorLine = (r) => {
  const errors = stderrLines(r).filter((l) => l.startsWith('mpp: error: '));
  assert.equal(errors.length, 1, `expected one error line, got:\n${r.stderr}`);
  return errors[0];
};

describe('price drift: --max-drift against published and last prices', { skip, timeout: h.SUITE_TIMEOUT_MS }, () => {
  let chain;
  let rpcUrl;
  const services = {};

  before(async () => {
    chain = await h.startChain();
    rpcUrl = `${chain.url}/client`;
    for (const amount of ['1000', '1200', '1500']) {
      services[amount] = await h.startPaidService({ rpc: `${chain.url}/server`, amount });
    }
  });

  /** `mpp chat --url PUBLISHER/v1/chat/completions ARGS "hello"` paying from a new payer. */
  async function chat(publisher, args = [], { home = h.makeHome(), payer } = {}) {
    payer ??= await h.newPayer(chain);
    const start = await chain.state();
    const r = await h.runMpp(['chat', '--url', `${publisher.url}${CHAT_PATH}`, '--network', 'testnet', '--rpc-url', rpcUrl, ...args, 'hello'], {
      env: { MPP_PRIVATE_KEY: payer.key },
      home,
    });
    const transfers = h.transfersFrom(await chain.state(), payer.address, start);
    return { r, transfers, journal: h.readJournal(home), home };
  }

  test('a 402 asking 50% more than the published price is refused with both prices; nothing signed', async () => {
    const publisher = await startPublisher(services['1500'], openapi('1000'));
    try {
      const { r, transfers, journal } = await chat(publisher, ['--max-drift', '20%']);
      assert.equal(r.code, 5, r.stderr);
      assert.equal(r.stdout, '');
      const line = errorLine(r);
      assert.match(line, /asks 0\.0015 pathUSD/);
      assert.match(line, /published 0\.001 pathUSD/);
      assert.match(line, /\+50%/);
      assert.match(line, /--max-drift off/);
      assert.ok(line.includes(`${publisher.url}${CHAT_PATH}`), line);
      assert.deepEqual(journal, [], 'nothing journaled');
      assert.equal(transfers.length, 0, 'no transfer on the chain');
      assert.ok(publisher.seen.every((s) => !s.credential), 'no credential sent');
      assert.deepEqual(publisher.seen.map((s) => `${s.method} ${s.url}`), ['GET /openapi.json', `POST ${CHAT_PATH}`]);
      // --max-drift off, or a larger drift, pays it.
      const paid = await chat(publisher, ['--max-drift', '60']);
      assert.equal(paid.r.code, 0, paid.r.stderr);
      assert.equal(paid.transfers.length, 1);
      const off = await chat(publisher, ['--max-drift', 'off']);
      assert.equal(off.r.code, 0, off.r.stderr);
      assert.equal(off.transfers.length, 1);
    } finally {
      await publisher.close();
    }
  });

  test('exactly 20% more is paid; the price list is fetched once a day per origin', async () => {
    const publisher = await startPublisher(services['1200'], openapi('1000'));
    try {
      const home = h.makeHome();
      const first = await chat(publisher, ['--max-drift', '20%'], { home });
      assert.equal(first.r.code, 0, first.r.stderr);
      assert.match(first.r.stdout, /hello/);
      assert.equal(first.transfers.length, 1);
      assert.equal(first.transfers[0].amount, '1200');
      const second = await chat(publisher, ['--max-drift', '20%', '-v'], { home });
      assert.equal(second.r.code, 0, second.r.stderr);
      assert.match(second.r.stderr, /published 0\.001 pathUSD .*asks 0\.0012 pathUSD \(\+20%; --max-drift 20%\)/);
      assert.equal(publisher.seen.filter((s) => s.url === '/openapi.json').length, 1, 'the second call used the cache');
      assert.ok(fs.readdirSync(path.join(home, 'discovery')).length === 1);
    } finally {
      await publisher.close();
    }
  });

  test('config max_drift turns the check on; no document (404) or a dynamic price: paid, nothing said', async () => {
    const home = h.makeHome();
    fs.writeFileSync(path.join(home, 'config.toml'), 'max_drift = "10%"\n');
    const strict = await startPublisher(services['1200'], openapi('1000'));
    const none = await startPublisher(services['1500'], null);
    const dynamic = await startPublisher(services['1500'], openapi(null));
    try {
      const refused = await chat(strict, [], { home });
      assert.equal(refused.r.code, 5, refused.r.stderr);
      assert.match(errorLine(refused.r), /\+20%, more than --max-drift 10%/);
      assert.equal(refused.transfers.length, 0);
      for (const publisher of [none, dynamic]) {
        const { r, transfers } = await chat(publisher, [], { home });
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stderr, '');
        assert.equal(transfers.length, 1);
      }
      const verbose = await chat(dynamic, ['-v', '--max-drift', '20%']);
      assert.equal(verbose.r.code, 0, verbose.r.stderr);
      assert.match(verbose.r.stderr, /publishes a dynamic price; nothing to compare/);
    } finally {
      await Promise.all([strict.close(), none.close(), dynamic.close()]);
    }
  });

  test('quote shows the drift from the published price', async () => {
    const publisher = await startPublisher(services['1500'], openapi('1000'));
    try {
      const r = await h.runMpp(['quote', '--url', `${publisher.url}${CHAT_PATH}`, '--data', JSON.stringify(h.CHAT_REQUEST), '--network', 'testnet', '--rpc-url', rpcUrl, '--max-drift', '20%']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /published 0\.001 pathUSD \(http:\/\/127\.0\.0\.1:\d+\/openapi\.json\), asks 0\.0015 pathUSD \(\+50%; --max-drift 20%; chat would refuse it\)/);
    } finally {
      await publisher.close();
    }
  });

  test('a template records the price paid; a higher 402 on the next -t call is refused', async () => {
    const home = h.makeHome();
    const payer = await h.newPayer(chain);
    const run = (service, args) =>
      h.runMpp(['chat', ...args, '--network', 'testnet', '--rpc-url', rpcUrl, 'hello'], { env: { MPP_PRIVATE_KEY: payer.key }, home });
    const saved = await run(services['1000'], ['--save', 'cheap', '--url', `${services['1000'].url}${CHAT_PATH}`, '-s', 'be brief']);
    assert.equal(saved.code, 0, saved.stderr);
    const file = path.join(home, 'templates', 'cheap.toml');
    const first = await run(services['1000'], ['-t', 'cheap']);
    assert.equal(first.code, 0, first.stderr);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /^last_price = ['"]0\.001['"]$/m);
    assert.match(text, new RegExp(`^last_price_currency = ['"]${h.TOKENS.pathUSD}['"]$`, 'im'));
    assert.match(text, /^last_price_intent = ['"]charge['"]$/m);
    assert.match(text, /^system = ['"]be brief['"]$/m, 'the rest of the template is kept');
    // The same template pointed at a service now asking 1.5x: refused, nothing signed.
    fs.writeFileSync(file, text.replace(services['1000'].url, services['1500'].url));
    const before = h.readJournal(home).length;
    const start = await chain.state();
    const served = (await services['1500'].requests()).length;
    const refused = await run(services['1500'], ['-t', 'cheap']);
    assert.equal(refused.code, 5, refused.stderr);
    const line = errorLine(refused);
    assert.match(line, /asks 0\.0015 pathUSD but published 0\.001 pathUSD \(the last price paid with template cheap\): \+50%/);
    assert.equal(h.readJournal(home).length, before, 'nothing journaled');
    assert.equal(h.transfersFrom(await chain.state(), payer.address, start).length, 0);
    const reqs = (await services['1500'].requests()).slice(served);
    assert.equal(reqs.length, 1, 'one unpaid probe');
    assert.ok(reqs.every((x) => !x.hasAuthorization && !x.hasPaymentAuthorization), 'the server got no credential');
  });
});
