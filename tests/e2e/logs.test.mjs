// mpp logs against the conversation log that real paid (and free) chat calls wrote: the last answer
// again with no request to any server or chain, the list, -q, --cid, --json, and the errors.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './lib.mjs';

after(() => free?.close());
after(h.stopAll);

const skip = h.mppBinary() ? false : 'MPP_BIN is not set (ctest sets it to the built mpp binary)';
const timeout = h.SUITE_TIMEOUT_MS;

let chain;
let service;
let rpc;
let free; // a free OpenAI-compatible endpoint with a fixed answer
let freeSeen = 0;

const FREE_ANSWER = 'The quokka is a small marsupial.\nIt is often photographed.';
const LIST_LINE = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) {2}(\S+) {2}(\S+) {2}(\S+) {2}(\d{8}-\d{6}-[0-9a-f]{8}) {2}(.*)$/;

/** `mpp chat` on the openrouter preset's route of the reference server, paying from `payer`. */
function paidChat(args, { payer, home }) {
  return h.runMpp(['chat', '--service', 'openrouter', '--base-url', `${service.url}/openrouter`, ...args, '--network', 'testnet', '--rpc-url', rpc], {
    env: { MPP_PRIVATE_KEY: payer.key },
    home,
  });
}

/** `mpp logs ARGS` with every network setting pointing at a closed port, so no request could succeed. */
function logs(args, { home }) {
  return h.runMpp(['logs', ...args], { env: { MPP_RPC_URL: 'http://127.0.0.1:9', MPP_NETWORK: 'testnet' }, home });
}

const ok = (r) => assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
const lines = (text) => text.split('\n').filter((l) => l.length > 0);

/** What every server of the stack has seen so far. */
async function seen() {
  const state = await chain.state();
  return { service: (await service.requests()).length, rpc: state.rpcCalls.length, transfers: state.transfers.length, free: freeSeen };
}

describe('mpp logs', { skip, timeout }, () => {
  before(async () => {
    chain = await h.startChain();
    service = await h.startPaidService({ rpc: `${chain.url}/server`, amount: '1000' });
    rpc = `${chain.url}/client`;
    free = http.createServer((req, res) => {
      freeSeen += 1;
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({
          id: 'chatcmpl-free', object: 'chat.completion', created: 1_700_000_000, model: 'free-model',
          choices: [{ index: 0, message: { role: 'assistant', content: FREE_ANSWER }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 4, completion_tokens: 9, total_tokens: 13 },
        }));
      });
    });
    await new Promise((resolve) => free.listen(0, '127.0.0.1', resolve));
  });

  test('-r prints the last paid answer exactly as chat did, and no server or chain sees a request', async () => {
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    const chat = await paidChat(['hello', 'logs'], { payer, home });
    ok(chat);
    assert.equal(chat.stdout, 'echo: hello logs\n');
    const journal = h.readJournal(home);
    assert.ok(journal.length > 0);
    const before = await seen();
    assert.equal(before.transfers > 0, true);

    const r = await logs(['-r'], { home });
    ok(r);
    assert.equal(r.stdout, chat.stdout);
    assert.equal(r.stderr, '');
    const long = await logs(['--last'], { home });
    ok(long);
    assert.equal(long.stdout, chat.stdout);

    assert.deepEqual(await seen(), before, 'mpp logs reached a server or the chain');
    assert.deepEqual(h.readJournal(home), journal, 'nothing was journaled');
  });

  test('the list is newest first with time, service, model, cost, id and first prompt line; -n bounds it', async () => {
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    ok(await paidChat(['first question'], { payer, home }));
    const freeChat = await h.runMpp(['chat', '--url', `http://127.0.0.1:${free.address().port}/v1/chat/completions`, 'tell me\nabout animals'], { home });
    ok(freeChat);
    assert.equal(freeChat.stdout, `${FREE_ANSWER}\n`);
    const before = await seen();

    const r = await logs([], { home });
    ok(r);
    assert.equal(r.stderr, '');
    const [newest, older, ...rest] = lines(r.stdout);
    assert.equal(rest.length, 0, r.stdout);
    const n = newest.match(LIST_LINE);
    const o = older.match(LIST_LINE);
    assert.ok(n && o, r.stdout);
    assert.ok(n[1] >= o[1], 'newest first');
    assert.deepEqual(n.slice(3, 5), ['free-model', 'free']);
    assert.equal(n[6], 'tell me');
    assert.deepEqual([o[2], o[4], o[6]], ['openrouter', '0.001', 'first question']);
    assert.notEqual(n[5], o[5], 'two conversations');
    const files = fs.readdirSync(path.join(home, 'conversations')).map((f) => f.replace(/\.jsonl$/, '')).sort();
    assert.deepEqual(files, [n[5], o[5]].sort());

    const one = await logs(['-n', '1'], { home });
    ok(one);
    assert.deepEqual(lines(one.stdout), [newest]);
    const bad = await logs(['-n', '0'], { home });
    assert.equal(bad.code, 2, bad.stderr);
    assert.deepEqual(await seen(), before);
  });

  test('-q finds an exchange by a word of its answer; no match prints nothing and exits 0', async () => {
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    ok(await paidChat(['a paid prompt'], { payer, home }));
    ok(await h.runMpp(['chat', '--url', `http://127.0.0.1:${free.address().port}/v1/chat/completions`, 'tell me about animals'], { home }));

    // "quokka" and "echo" are only in the answers, never in a prompt.
    const quokka = await logs(['-q', 'QUOKKA'], { home });
    ok(quokka);
    const found = lines(quokka.stdout);
    assert.equal(found.length, 1, quokka.stdout);
    assert.match(found[0], / {2}free {2}\S+ {2}tell me about animals$/);
    const echo = await logs(['--query', 'echo:'], { home });
    ok(echo);
    assert.equal(lines(echo.stdout).length, 1, echo.stdout);
    assert.match(echo.stdout, / {2}a paid prompt\n$/);
    // -q with -r: the newest matching answer.
    const answer = await logs(['-r', '-q', 'paid'], { home });
    ok(answer);
    assert.equal(answer.stdout, 'echo: a paid prompt\n');

    const none = await logs(['-q', 'platypus'], { home });
    ok(none);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /^mpp: no logged exchange matches 'platypus'\n$/);
    const noneJson = await logs(['-q', 'platypus', '--json'], { home });
    ok(noneJson);
    assert.deepEqual(JSON.parse(noneJson.stdout), []);
    const noneLast = await logs(['-r', '-q', 'platypus'], { home });
    assert.equal(noneLast.code, 2, noneLast.stderr);
    assert.equal(noneLast.stdout, '');
    const empty = await logs(['-q', ''], { home });
    assert.equal(empty.code, 2, empty.stderr);
  });

  test('--cid shows a conversation oldest first; --json gives the records with their conversation', async () => {
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    ok(await paidChat(['one'], { payer, home }));
    ok(await paidChat(['-c', 'two'], { payer, home }));
    ok(await paidChat(['elsewhere'], { payer, home }));
    const journal = h.readJournal(home);
    const listed = lines((await logs([], { home })).stdout).map((l) => l.match(LIST_LINE));
    assert.equal(listed.length, 3);
    const cid = listed.find((m) => m[6] === 'two')[5];
    assert.equal(listed.find((m) => m[6] === 'one')[5], cid);

    const transcript = await logs(['--cid', cid], { home });
    ok(transcript);
    const text = transcript.stdout;
    assert.ok(text.startsWith('# '), text);
    assert.ok(text.indexOf('## Prompt\n\none\n') < text.indexOf('## Prompt\n\ntwo\n'), text);
    assert.ok(text.includes('## Response\n\necho: one\n'), text);
    assert.ok(text.endsWith('## Response\n\necho: two\n'), text);
    assert.ok(!text.includes('elsewhere'), text);
    assert.equal((text.match(/^# \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC {2}conversation /gm) ?? []).length, 2, text);
    assert.match(text, /^openrouter, \S+, paid 0\.001, tx 0x[0-9a-f]{64}$/m);

    const last = await logs(['--cid', cid, '-n', '1'], { home });
    ok(last);
    assert.ok(!last.stdout.includes('## Prompt\n\none'), last.stdout);
    assert.ok(last.stdout.includes('## Prompt\n\ntwo'), last.stdout);
    const lastAnswer = await logs(['-r', '--cid', cid], { home });
    ok(lastAnswer);
    assert.equal(lastAnswer.stdout, 'echo: two\n');

    const json = await logs(['--cid', cid, '--json'], { home });
    ok(json);
    const records = JSON.parse(json.stdout);
    assert.equal(records.length, 2);
    assert.deepEqual(Object.keys(records[0]).slice(0, 2), ['conversation_id', 'time']);
    for (const record of records) {
      assert.equal(record.conversation_id, cid);
      assert.match(record.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(record.service, 'openrouter');
      assert.equal(typeof record.model, 'string');
      assert.equal(record.paid, '0.001');
      assert.match(record.tx, /^0x[0-9a-f]{64}$/);
      assert.ok(journal.some((j) => j.tx_hash === record.tx), `tx ${record.tx} is in the journal`);
      assert.equal(typeof record.usage.total_tokens, 'number');
      assert.ok(record.url.endsWith('/openrouter/v1/chat/completions'), record.url);
    }
    assert.deepEqual(records.map((r) => r.messages.at(-1).content), ['one', 'two']);
    assert.deepEqual(records.map((r) => r.response), ['echo: one', 'echo: two']);

    const all = await logs(['--json'], { home });
    ok(all);
    assert.deepEqual(JSON.parse(all.stdout).map((r) => r.response), ['echo: elsewhere', 'echo: two', 'echo: one']);
  });

  test('an unknown --cid is exit 2 with one line; an empty log lists nothing; damaged lines are skipped', async () => {
    const home = h.makeHome();
    const none = await logs([], { home });
    ok(none);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /^mpp: no exchange logged yet .*\n$/);
    const noneJson = await logs(['--json'], { home });
    ok(noneJson);
    assert.equal(noneJson.stdout, '[]\n');
    const noneLast = await logs(['-r'], { home });
    assert.equal(noneLast.code, 2);
    assert.equal(noneLast.stdout, '');
    assert.match(noneLast.stderr, /^mpp: error: no exchange logged yet[^\n]*\n$/);

    const unknown = await logs(['--cid', '20990101-000000-deadbeef'], { home });
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stdout, '');
    assert.match(unknown.stderr, /^mpp: error: no conversation '20990101-000000-deadbeef'; [^\n]*\n$/);
    const malformed = await logs(['--cid', '../payments'], { home });
    assert.equal(malformed.code, 2);
    assert.equal(lines(malformed.stderr).length, 1, malformed.stderr);

    const payer = await h.newPayer(chain);
    ok(await paidChat(['kept'], { payer, home }));
    const [file] = fs.readdirSync(path.join(home, 'conversations'));
    fs.appendFileSync(path.join(home, 'conversations', file), 'this is not a record\n');
    // (chat -c would refuse to replay a damaged conversation; a new one is written after it)
    ok(await paidChat(['after the damage'], { payer, home }));
    const r = await logs(['--json'], { home });
    ok(r);
    assert.deepEqual(JSON.parse(r.stdout).map((x) => x.response), ['echo: after the damage', 'echo: kept']);
    assert.match(r.stderr, /^mpp: warning: skipped 1 damaged line/);
  });

  test('--help ends with examples', async () => {
    const r = await h.runMpp(['logs', '--help']);
    ok(r);
    const examples = r.stdout.trimEnd().split('Examples:\n').at(-1).split('\n');
    assert.ok(examples.length >= 2 && examples.every((l) => l.startsWith('  mpp logs')), r.stdout);
  });
});
