// mpp chat as a shell filter: -f files (paths, URLs, stdin), -a images, -x/--extract-last, and --json
// for one call and for batch lines, against the reference mppx server (paid-service.mjs, whose model
// echoes the last user message) and the chain stand-in, plus small local HTTP servers where a test
// must see the request body itself or serve a file.
import assert from 'node:assert/strict';
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
let chatUrl;

function mpp(args, { payer, stdin, home, env = {} } = {}) {
  return h.runMpp([...args, '--network', 'testnet', '--rpc-url', rpc], {
    env: { ...(payer && { MPP_PRIVATE_KEY: payer.key }), ...env },
    stdin,
    home,
    timeoutMs: 30_000,
  });
}

const ok = (r) => assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
const requestCount = async () => (await service.requests()).length;

/** A local HTTP server answering `handler(req, body)` → {status, headers, body}; records requests. */
async function localServer(handler) {
  const seen = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method, url: req.url, body: body.toString('utf8') });
      const answer = handler(req, body);
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, seen, close: () => server.close() };
}

/** A free OpenAI-compatible endpoint (no 402) that answers `content` and keeps the request bodies. */
function freeChat(content) {
  return localServer(() => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      id: 'c1', object: 'chat.completion', created: 1, model: 'vision-1',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    }),
  }));
}

describe('mpp chat as a filter: files, images, extraction, JSON', { skip, timeout }, () => {
  before(async () => {
    chain = await h.startChain();
    service = await h.startPaidService({ rpc: `${chain.url}/server`, amount: '1000' });
    rpc = `${chain.url}/client`;
    chatUrl = `${service.url}/v1/chat/completions`;
  });

  test('git diff | mpp chat -f RULES.md "review": the diff, the named file, then the prompt, paid once', async () => {
    const payer = await h.newPayer(chain);
    const dir = h.makeHome('mpp-files-');
    const rules = path.join(dir, 'RULES.md');
    fs.writeFileSync(rules, 'Be strict.\nNo nits.\n');
    const diff = 'diff --git a/x.c b/x.c\n+int x;\n';
    const r = await mpp(['chat', '--url', chatUrl, '-m', 'm', '-f', rules, 'review'], { payer, stdin: diff });
    ok(r);
    // The upstream echoes the user message it received, byte for byte.
    assert.equal(r.stdout, `echo: ${diff}\n<file name="${rules}">\nBe strict.\nNo nits.\n</file>\n\nreview\n`);
    assert.equal(h.transfersFrom(await chain.state(), payer.address).length, 1);
  });

  test('-f - reads stdin as a named file; -f URL fetches the body without paying', async () => {
    const payer = await h.newPayer(chain);
    const files = await localServer((req) =>
      req.url === '/notes.txt'
        ? { status: 200, headers: { 'content-type': 'text/plain' }, body: 'remote notes\n' }
        : { status: 402, headers: { 'www-authenticate': 'Payment id="x"' }, body: 'pay' });
    try {
      const r = await mpp(['chat', '--url', chatUrl, '-m', 'm', '-f', `${files.url}/notes.txt`, '-f', '-', 'sum up'],
        { payer, stdin: 'local text' });
      ok(r);
      assert.equal(r.stdout, `echo: <file name="${files.url}/notes.txt">\nremote notes\n</file>\n\n<file name="stdin">\nlocal text\n</file>\n\nsum up\n`);
      assert.deepEqual(files.seen.map((s) => `${s.method} ${s.url}`), ['GET /notes.txt']);
      assert.equal(h.transfersFrom(await chain.state(), payer.address).length, 1, 'only the chat was paid');

      const before = await requestCount();
      const paywalled = await mpp(['chat', '--url', chatUrl, '-m', 'm', '-f', `${files.url}/paid`, 'x'], { payer });
      assert.equal(paywalled.code, 2, paywalled.stderr);
      assert.match(paywalled.stderr, /asks for payment \(402\); mpp fetches -f URLs without paying/);
      assert.equal(await requestCount(), before, 'nothing reached the chat service');
      assert.equal(h.transfersFrom(await chain.state(), payer.address).length, 1);
    } finally {
      files.close();
    }
  });

  test('a binary or oversized -f file is refused before anything is sent or paid', async () => {
    const payer = await h.newPayer(chain);
    const dir = h.makeHome('mpp-files-');
    const binary = path.join(dir, 'a.out');
    fs.writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]));
    const big = path.join(dir, 'big.log');
    fs.writeFileSync(big, 'x'.repeat(1024 * 1024 + 1));
    const before = await requestCount();
    const r1 = await mpp(['chat', '--url', chatUrl, '-f', binary, 'explain'], { payer });
    assert.equal(r1.code, 2, r1.stderr);
    assert.equal(r1.stderr.trim().split('\n').length, 1, r1.stderr);
    assert.match(r1.stderr, /a\.out: not a text file \(it holds NUL bytes\); -f takes text/);
    const r2 = await mpp(['chat', '--url', chatUrl, '-f', big, 'explain'], { payer });
    assert.equal(r2.code, 2, r2.stderr);
    assert.match(r2.stderr, /big\.log: larger than 1 MiB/);
    const r3 = await mpp(['chat', '--url', chatUrl, '-f', path.join(dir, 'missing.md'), 'explain'], { payer });
    assert.equal(r3.code, 2, r3.stderr);
    assert.equal(await requestCount(), before);
    assert.equal(h.transfersFrom(await chain.state(), payer.address).length, 0);
    assert.deepEqual(r1.stdout + r2.stdout + r3.stdout, '');
  });

  test('-a sends images as image_url parts: a data: URL with the checked MIME type, a URL as given', async () => {
    const upstream = await freeChat('a cat');
    const dir = h.makeHome('mpp-images-');
    const png = path.join(dir, 'dot.png');
    const bytes = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    fs.writeFileSync(png, bytes);
    try {
      const r = await mpp(['chat', '--url', `${upstream.url}/v1/chat/completions`, '--no-stream', '-a', png,
        '-a', 'https://example.com/cat.jpg', 'what is this?'], {});
      ok(r);
      assert.equal(r.stdout, 'a cat\n');
      const sent = JSON.parse(upstream.seen.at(-1).body);
      assert.deepEqual(sent.messages, [{ role: 'user', content: [
        { type: 'text', text: 'what is this?' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${bytes.toString('base64')}` } },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
      ] }]);

      const text = path.join(dir, 'not-an-image.png');
      fs.writeFileSync(text, 'hello');
      const seen = upstream.seen.length;
      const refused = await mpp(['chat', '--url', `${upstream.url}/v1/chat/completions`, '-a', text, 'x'], {});
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /not-an-image\.png: not a PNG, JPEG, GIF or WebP image/);
      assert.equal(upstream.seen.length, seen, 'nothing was sent');
    } finally {
      upstream.close();
    }
  });

  test('-x prints exactly the first fenced block, --extract-last the last; the log keeps the whole answer', async () => {
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    const prompt = 'Try:\n```python\nprint("one")\n```\nor\n~~~sh\necho two\n~~~\nthanks';
    const first = await mpp(['chat', '--url', chatUrl, '-m', 'm', '-x', prompt], { payer, home });
    ok(first);
    assert.equal(first.stdout, 'print("one")\n');
    const last = await mpp(['chat', '--url', chatUrl, '-m', 'm', '--extract-last', prompt], { payer, home });
    ok(last);
    assert.equal(last.stdout, 'echo two\n');
    const logs = fs.readdirSync(path.join(home, 'conversations'));
    const records = logs.flatMap((f) => fs.readFileSync(path.join(home, 'conversations', f), 'utf8').trim().split('\n'))
      .map((l) => JSON.parse(l));
    assert.equal(records.length, 2);
    for (const record of records) assert.equal(record.response, `echo: ${prompt}`);
    const none = await mpp(['chat', '--url', chatUrl, '-m', 'm', '-x', 'no code here'], { payer, home });
    ok(none);
    assert.equal(none.stdout, 'echo: no code here\n', 'no fence: the whole answer, as llm does');
    assert.equal(h.transfersFrom(await chain.state(), payer.address).length, 3);
  });

  test('--json: one object with the output, model, usage, what was paid and the conversation', async () => {
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    const r = await mpp(['chat', '--service', 'openai', '--base-url', `${service.url}/openai`, '--json', 'hello', 'json'],
      { payer, home });
    ok(r);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.stdout);
    const out = JSON.parse(lines[0]);
    const [transfer] = h.transfersFrom(await chain.state(), payer.address);
    assert.equal(out.output, 'echo: hello json');
    assert.equal(out.model, 'gpt-4o-mini');
    assert.deepEqual(out.usage, { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 });
    assert.equal(out.service, 'openai');
    assert.equal(out.url, `${service.url}/openai/v1/chat/completions`);
    assert.equal(out.intent, 'charge');
    assert.equal(out.paid, '0.001');
    assert.equal(transfer.amount, '1000');
    // The network fee as the chain charged it: exact, or within the bound mpp reports.
    const state = await chain.state();
    const charged = state.fees.filter((f) => f.txHash === transfer.txHash && f.payer === payer.address.toLowerCase())
      .reduce((n, f) => n + BigInt(f.amount), 0n);
    const units = (text) => BigInt(Math.round(Number(text) * 1e6));
    assert.ok(charged > 0n, "the payer paid its own network fee here");
    assert.ok(out.fee !== undefined || out.fee_max !== undefined, r.stdout);
    if (out.fee !== undefined) assert.equal(units(out.fee), charged, r.stdout);
    else assert.ok(units(out.fee_max) >= charged, `${out.fee_max} covers ${charged}`);
    assert.equal(out.token.toLowerCase(), h.TOKENS.pathUSD.toLowerCase());
    assert.equal(out.token_symbol, 'pathUSD');
    assert.match(out.tx, /^0x[0-9a-f]{64}$/);
    assert.equal(out.tx, transfer.txHash);
    assert.equal(fs.readdirSync(path.join(home, 'conversations')).map((f) => f.replace(/\.jsonl$/, ''))[0], out.conversation);
    assert.ok(out.timings.total_ms > 0 && out.timings.first_output_ms > 0 && out.timings.first_output_ms <= out.timings.total_ms, r.stdout);
  });

  test('--json: a failed call is JSON on stdout with its exit code, the same as without --json', async () => {
    const dead = await localServer(() => ({ status: 500, body: '' }));
    dead.close();
    const r = await mpp(['chat', '--url', `${dead.url}/v1/chat/completions`, '--json', '--connect-timeout', '2', 'hi'], {});
    assert.equal(r.code, 3, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.exit_code, 3);
    assert.match(out.error, /connect|refused/i);
    assert.equal(out.url, `${dead.url}/v1/chat/completions`);
    assert.equal(out.output, undefined);
    const usage = await mpp(['chat', '--url', chatUrl, '--json', '-f', '/nonexistent/rules.md', 'hi'], {});
    assert.equal(usage.code, 2);
    assert.equal(JSON.parse(usage.stdout).exit_code, 2);
    const parse = await mpp(['chat', '--json', '--temperature', 'warm', 'hi'], {});
    assert.equal(parse.code, 2);
    assert.deepEqual(Object.keys(JSON.parse(parse.stdout)).slice(0, 2), ['error', 'exit_code']);
  });

  test('batch lines carry the same fields as --json', async () => {
    const payer = await h.newPayer(chain);
    const r = await mpp(['chat', '--service', 'groq', '--base-url', service.url, '-m', 'llama-3.3-70b-versatile', '--batch', '-'],
      { payer, stdin: '"one"\n"two"\n' });
    ok(r);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => [l.index, l.output]), [[0, 'echo: one'], [1, 'echo: two']]);
    const txs = h.transfersFrom(await chain.state(), payer.address);
    assert.equal(txs.length, 2);
    for (const line of lines) {
      assert.equal(line.service, 'groq');
      assert.equal(line.model, 'llama-3.3-70b-versatile');
      assert.equal(line.intent, 'charge');
      assert.equal(line.paid, '0.001');
      assert.match(line.tx, /^0x[0-9a-f]{64}$/);
      assert.equal(typeof line.usage.total_tokens, 'number');
      assert.ok(line.timings.total_ms > 0);
    }
  });
});
