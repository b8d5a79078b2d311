// mpp chat, models and quote against the reference mppx server (paid-service.mjs), which serves the
// Locus routes (/groq/chat, /grok/chat, /groq/models) and the Tempo proxy routes
// (/<provider>/v1/chat/completions) in mppx's own shape (testnet, bare bodies); payments settle on the
// chain stand-in. services.test.mjs runs the presets against emulations of the real services instead. Presets are pointed
// at it with --base-url, and payments use --network testnet --rpc-url.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './lib.mjs';

after(h.stopAll);

const skip = h.mppBinary() ? false : 'MPP_BIN is not set (ctest sets it to the built mpp binary)';
const timeout = h.SUITE_TIMEOUT_MS;

let chain;
let service;
let rpc;

/** `mpp ARGS` on testnet against the stand-in, paying from `payer` (null: no key at all). */
function mpp(args, { payer, stdin, home, env = {}, timeoutMs = 30_000 } = {}) {
  return h.runMpp([...args, '--network', 'testnet', '--rpc-url', rpc], {
    env: { ...(payer && { MPP_PRIVATE_KEY: payer.key }), ...env },
    stdin,
    home,
    timeoutMs,
  });
}

/** --service NAME --base-url for the preset's local emulation. */
function preset(name) {
  const prefix = { groq: '', grok: '', openrouter: '/openrouter', openai: '/openai' }[name];
  return ['--service', name, '--base-url', `${service.url}${prefix}`];
}

const ok = (r) => assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
const lastRequest = async () => (await service.requests()).at(-1);
const sha256 = (text) => createHash('sha256').update(text).digest('hex');

describe('mpp chat, models and quote', { skip, timeout }, () => {
  before(async () => {
    chain = await h.startChain();
    service = await h.startPaidService({ rpc: `${chain.url}/server`, amount: '1000', modelsAmount: '5000' });
    rpc = `${chain.url}/client`;
  });

  test('each preset streams the completion from its own route and pays once', async () => {
    const routes = { groq: '/groq/chat', grok: '/grok/chat', openrouter: '/openrouter/v1/chat/completions', openai: '/openai/v1/chat/completions' };
    for (const [name, route] of Object.entries(routes)) {
      const payer = await h.newPayer(chain);
      const home = h.makeHome();
      const r = await mpp(['chat', ...preset(name), 'hello', 'paid', 'world'], { payer, home });
      ok(r);
      assert.equal(r.stdout, 'echo: hello paid world\n', name);
      assert.equal(r.stderr, '', `${name}: nothing on stderr without -v when it is not a terminal`);
      const req = await lastRequest();
      assert.equal(req.path, route);
      assert.equal(req.status, 200);
      const transfers = h.transfersFrom(await chain.state(), payer.address);
      assert.equal(transfers.length, 1, name);
      assert.equal(transfers[0].amount, '1000');
      const journal = h.readJournal(home);
      assert.deepEqual(journal.map((x) => x.type), ['signed', 'settled'], name);
    }
  });

  test('a pipeline gets the completion only: stdin text comes before the prompt', async () => {
    const payer = await h.newPayer(chain);
    const url = `${service.url}/v1/chat/completions`;
    const r = await mpp(['chat', '--url', url, '-m', 'm'], { payer, stdin: 'hello' });
    ok(r);
    assert.equal(r.stdout, 'echo: hello\n');
    assert.equal(Buffer.byteLength(r.stdout), 12); // printf 'hello' | mpp chat --url ... | wc -c
    const both = await mpp(['chat', '--url', url, '-m', 'm', 'summarize'], { payer, stdin: 'my notes' });
    ok(both);
    assert.equal(both.stdout, 'echo: my notes summarize\n');
  });

  test('repeatable options take one value each, so the prompt after them stays the prompt', async () => {
    const payer = await h.newPayer(chain);
    const url = `${service.url}/v1/chat/completions`;
    const r = await mpp(['chat', '--url', url, '-m', 'm', '--stop', 'a', '-o', 'seed=3', 'hello', 'there'], { payer });
    ok(r);
    assert.equal(r.stdout, 'echo: hello there\n');
  });

  test('-v prints model, tokens, amount and tx on stderr in one line; --no-stream reads one JSON answer', async () => {
    const payer = await h.newPayer(chain);
    const r = await h.runMpp(['chat', ...preset('openai'), '--no-stream', '-v', '--network', 'testnet', '--rpc-url', rpc, 'two words'], { env: { MPP_PRIVATE_KEY: payer.key } });
    ok(r);
    assert.equal(r.stdout, 'echo: two words\n');
    const [transfer] = h.transfersFrom(await chain.state(), payer.address);
    const summary = r.stderr.split('\n').find((l) => l.includes('tokens'));
    assert.ok(summary, r.stderr);
    assert.match(summary, /^mpp: gpt-4o-mini, 5 tokens \(2 in, 3 out\), paid 0\.001 pathUSD \+ network fee up to 0\.0021, tx 0x[0-9a-f]{64}$/);
    assert.ok(summary.endsWith(transfer.txHash), `${summary} vs ${transfer.txHash}`);
  });

  test('a JSON request on stdin is the whole request, and flags override its fields', async () => {
    const payer = await h.newPayer(chain);
    const stdin = JSON.stringify({ model: 'from-stdin', messages: [{ role: 'user', content: 'from json' }] });
    const r = await mpp(['chat', ...preset('openrouter'), '-m', 'flag-model', '--no-stream', '-v'], { payer, stdin });
    ok(r);
    assert.equal(r.stdout, 'echo: from json\n');
    assert.match(r.stderr, /mpp: flag-model, /);
  });

  test('--raw writes the event stream unchanged; a bare JSON request with --raw goes byte for byte', async () => {
    const payer = await h.newPayer(chain);
    const r = await mpp(['chat', ...preset('openrouter'), '--raw', 'raw words'], { payer }); // grok does not stream
    ok(r);
    assert.match(r.stdout, /^data: \{.*"chat\.completion\.chunk"/);
    assert.ok(r.stdout.trimEnd().endsWith('data: [DONE]'), r.stdout);
    const body = '{ "model" : "m",\n "messages": [{"role":"user","content":"exact bytes"}] }';
    const raw = await mpp(['chat', '--url', `${service.url}/v1/chat/completions`, '--raw'], { payer, stdin: body });
    ok(raw);
    const answer = JSON.parse(raw.stdout);
    assert.equal(answer.choices[0].message.content, 'echo: exact bytes');
    assert.equal((await lastRequest()).bodySha256, sha256(body));
  });

  test('a free answer needs no key, and an HTTP error is exit 3 with the server\'s words', async () => {
    const free = await mpp(['chat', '--service', 'openai', '--base-url', `${service.url}/free/openai`, 'no key'], { payer: null });
    ok(free);
    assert.equal(free.stdout, 'echo: no key\n');
    const missing = await mpp(['chat', '--url', `${service.url}/nowhere`, 'x'], { payer: null });
    assert.equal(missing.code, 3, missing.stderr);
    assert.equal(missing.stdout, '');
    assert.match(missing.stderr, /^mpp: error: HTTP 404 from .*\/nowhere: no route POST \/nowhere/);
    assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
  });

  test('--batch -j 4 pays once per line and writes the results in input order', async () => {
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    const lines = ['"one"', '"two"', JSON.stringify({ messages: [{ role: 'user', content: 'three' }] }), '"four"', '', '"five"', '"six"'];
    const before = await chain.state();
    const r = await mpp(['chat', ...preset('groq'), '--batch', '-', '-j', '4'], { payer, home, stdin: `${lines.join('\n')}\n` });
    ok(r);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(out.map((o) => o.index), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(out.map((o) => o.output), ['echo: one', 'echo: two', 'echo: three', 'echo: four', 'echo: five', 'echo: six']);
    assert.ok(out.every((o) => o.paid === '0.001'));
    const transfers = h.transfersFrom(await chain.state(), payer.address, before);
    assert.equal(transfers.length, 6);
    assert.deepEqual(new Set(out.map((o) => o.tx)), new Set(transfers.map((t) => t.txHash)));
    assert.equal(h.readJournal(home).filter((x) => x.type === 'settled').length, 6);
  });

  test('a failed batch line never stops the rest, and the exit code says one failed', async () => {
    const payer = await h.newPayer(chain);
    const batch = path.join(h.makeHome(), 'in.jsonl');
    fs.writeFileSync(batch, '"fine"\n{not json\n"also fine"\n');
    const r = await mpp(['chat', ...preset('openai'), '--batch', batch, '-j', '2'], { payer });
    assert.equal(r.code, 2, r.stderr);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(out.length, 3);
    assert.equal(out[0].output, 'echo: fine');
    assert.match(out[1].error, /^batch line 2: not valid JSON/);
    assert.equal(out[1].paid, undefined);
    assert.equal(out[2].output, 'echo: also fine');
    assert.match(r.stderr, /1 of 3 batch lines failed/);
    assert.doesNotMatch(r.stderr, /\r/, 'no progress bar when stderr is not a terminal');
  });

  // Each payment counts 0.001 plus up to 0.0021 in fees (the limit was 0.002 before fees counted).
  test('batch workers share the daily budget: with room for two payments, two of four lines pay', async () => {
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    const before = await chain.state();
    const r = await mpp(['chat', ...preset('grok'), '--batch', '-', '-j', '4', '--daily-limit', '0.0062'], { payer, home, stdin: '"a"\n"b"\n"c"\n"d"\n' });
    assert.equal(r.code, 5, r.stderr);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(out.map((o) => o.index), [0, 1, 2, 3]);
    assert.equal(out.filter((o) => o.paid === '0.001').length, 2, r.stdout);
    assert.equal(out.filter((o) => /daily/.test(o.error ?? '')).length, 2, r.stdout);
    assert.equal(h.transfersFrom(await chain.state(), payer.address, before).length, 2);
    assert.match(r.stderr, /2 of 4 batch lines failed/);
  });

  test('-c continues the last conversation and --list shows it', async () => {
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    const first = await mpp(['chat', ...preset('openrouter'), '-v', 'first'], { payer, home });
    ok(first);
    assert.match(first.stderr, /\(1 in, 2 out\)/);
    const second = await mpp(['chat', ...preset('openrouter'), '-v', '-c', 'second'], { payer, home });
    ok(second);
    assert.equal(second.stdout, 'echo: second\n');
    // The history went along: "first" + "echo: first" + "second" = 4 prompt words.
    assert.match(second.stderr, /\(4 in, 2 out\)/);
    const list = await h.runMpp(['chat', '--list'], { home });
    ok(list);
    const [line, ...rest] = list.stdout.trim().split('\n');
    assert.equal(rest.length, 0, list.stdout);
    assert.match(line, /^\d{8}-\d{6}-[0-9a-f]{8} {2}\d{4}-\d\d-\d\d \d\d:\d\d {2}2 turns {2}first$/);
    const cid = line.split(' ')[0];
    const third = await mpp(['chat', ...preset('openrouter'), '-v', '--cid', cid, 'third'], { payer, home });
    ok(third);
    assert.match(third.stderr, /\((7) in, /);
    const files = fs.readdirSync(path.join(home, 'conversations'));
    assert.deepEqual(files, [`${cid}.jsonl`]);
    const none = await mpp(['chat', ...preset('openrouter'), '-c', 'x'], { payer, home: h.makeHome() });
    assert.equal(none.code, 2, none.stderr);
  });

  test('models lists a paid listing through the journal; --json gives it unchanged', async () => {
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    const r = await mpp(['models', ...preset('groq')], { payer, home });
    ok(r);
    assert.equal(r.stdout, 'llama-3.3-70b-versatile\ngrok-3-mini\ngpt-4o-mini\nopenai/gpt-4o-mini\n');
    assert.equal((await lastRequest()).method, 'POST');
    const transfers = h.transfersFrom(await chain.state(), payer.address);
    assert.deepEqual(transfers.map((t) => t.amount), ['5000']);
    assert.deepEqual(h.readJournal(home).map((x) => x.type), ['signed', 'settled']);
    const json = await mpp(['models', '--url', `${service.url}/v1/models`, '--json'], { payer: null });
    ok(json);
    assert.equal(JSON.parse(json.stdout).data.length, 4);
    const capped = await mpp(['models', ...preset('groq'), '--max-amount', '0.001'], { payer, home });
    assert.equal(capped.code, 5, capped.stderr);
  });

  test('a config service overrides a preset\'s url and becomes the default', async () => {
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    fs.writeFileSync(path.join(home, 'config.toml'), `service = "openai"\n[services.openai]\nurl = "${service.url}/openai"\n`);
    const r = await mpp(['chat', 'configured'], { payer, home });
    ok(r);
    assert.equal(r.stdout, 'echo: configured\n');
    assert.equal((await lastRequest()).path, '/openai/v1/chat/completions');
  });

  test('quote shows the price without paying or a key: the table on stdout, JSON with --json', async () => {
    const home = h.makeHome();
    const before = await chain.state();
    const r = await mpp(['quote', ...preset('groq'), 'hello'], { payer: null, home });
    ok(r);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^POST http:\/\/127\.0\.0\.1:\d+\/groq\/chat: payment required, 1 challenge\n/);
    assert.match(r.stdout, /amount {7}0\.001 pathUSD \(1000 base units\)/);
    assert.match(r.stdout, /chain {8}testnet \(42431\)/);
    assert.match(r.stdout, new RegExp(`recipient {4}${h.RECIPIENT.address}`));
    assert.match(r.stdout, /mpp would pay challenge 1\n$/);
    const json = await mpp(['quote', ...preset('openai'), '--json', '--max-amount', '0.0005'], { payer: null, home });
    ok(json);
    const quote = JSON.parse(json.stdout);
    assert.equal(quote.status, 402);
    assert.equal(quote.would_pay, null);
    assert.equal(quote.challenges[0].amount_base_units, '1000');
    assert.equal(quote.challenges[0].token, 'pathUSD');
    assert.equal(quote.challenges[0].payable, false);
    assert.match(quote.challenges[0].verdict, /over the per-call cap/);
    assert.equal((await chain.state()).transfers.length, before.transfers.length, 'quote paid nothing');
    assert.deepEqual(h.readJournal(home), []);
    const data = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'as given' }] });
    const given = await mpp(['quote', '--url', `${service.url}/v1/chat/completions`, '--data', '@-', '--json'], { payer: null, stdin: data });
    ok(given);
    assert.equal(JSON.parse(given.stdout).would_pay, 0);
    assert.equal((await lastRequest()).bodySha256, sha256(data));
    const free = await mpp(['quote', '--url', `${service.url}/v1/models`, '-X', 'GET', '--json'], { payer: null });
    ok(free);
    assert.equal(JSON.parse(free.stdout).free, true);
  });

  test('quote --discover prints the price table from /openapi.json without probing', async () => {
    const seen = [];
    const document = {
      openapi: '3.1.0',
      paths: {
        '/v1/chat/completions': { post: { 'x-payment-info': { intent: 'charge', method: 'tempo', amount: '1000', currency: h.TOKENS.pathUSD, description: 'chat' } } },
        '/v1/models': { get: { 'x-payment-info': { offers: [{ intent: 'charge', method: 'tempo', amount: null, currency: h.TOKENS.pathUSD }] } } },
      },
    };
    const server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(req.url === '/openapi.json' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.url === '/openapi.json' ? document : { error: 'no' }));
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${server.address().port}`;
      const r = await mpp(['quote', '--url', `${base}/v1/chat/completions`, '--discover'], { payer: null });
      ok(r);
      assert.deepEqual(seen, ['GET /openapi.json']);
      assert.match(r.stdout, /^prices from http:\/\/127\.0\.0\.1:\d+\/openapi\.json/);
      assert.match(r.stdout, /\* POST {4}\/v1\/chat\/completions {2}charge {2}tempo {5}0\.001/);
      assert.match(r.stdout, /GET {5}\/v1\/models {12}charge {2}tempo {5}dynamic/);
      const json = await mpp(['quote', '--url', `${base}/v1/chat/completions`, '--discover', '--json'], { payer: null });
      ok(json);
      assert.equal(JSON.parse(json.stdout).offers.length, 2);
    } finally {
      server.close();
    }
  });

  test('--help of chat, models and quote ends with examples', async () => {
    for (const command of ['chat', 'models', 'quote']) {
      const r = await h.runMpp([command, '--help']);
      ok(r);
      const examples = r.stdout.trimEnd().split('Examples:\n').at(-1).split('\n');
      assert.ok(examples.length >= 2 && examples.every((l) => l.startsWith('  ')), `${command}: ${r.stdout}`);
      assert.ok(examples.some((l) => l.includes(`mpp ${command}`)), command);
    }
  });
});
