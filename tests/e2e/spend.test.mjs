// mpp wallet spend: paid chat calls through the real binary against the reference server (settling on
// the chain stand-in), then the spend report's totals checked against the journal and against what the
// chain moved: transfers to the service and the fees the payer paid. The groupings (model,
// conversation, template) come from what chat journaled on each signed record; tokens from the usage
// log. A Locus emulation that takes payment and then fails (upstream-fail) gives an undelivered
// payment, which the report lists apart.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import * as h from './lib.mjs';

after(h.stopAll);

const skip = h.mppBinary() ? false : 'MPP_BIN is not set (ctest sets it to the built mpp binary)';
const timeout = h.SUITE_TIMEOUT_MS;
const ok = (r) => assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
const sum = (xs) => xs.reduce((a, b) => a + BigInt(b), 0n);

describe('mpp wallet spend against the reference server', { skip, timeout }, () => {
  let chain;
  let service;
  let rpc;
  let payer;
  let home;
  let start; // the chain's state before the calls
  const outputs = []; // chat --json results of the paid calls

  const mpp = (args, { stdin } = {}) =>
    h.runMpp([...args, '--network', 'testnet', '--rpc-url', rpc], { env: { MPP_PRIVATE_KEY: payer.key }, stdin, home });
  const spend = (args) => h.runMpp(['wallet', 'spend', ...args], { home });

  before(async () => {
    chain = await h.startChain();
    service = await h.startPaidService({ rpc: `${chain.url}/server`, amount: '1000', recipient: h.RECIPIENT.address });
    rpc = `${chain.url}/client`;
    payer = await h.newPayer(chain);
    home = h.makeHome();
    start = await chain.state();
    const url = `${service.url}/v1/chat/completions`;
    const chat = async (args) => {
      const r = await mpp(['chat', '--json', ...args]);
      ok(r);
      outputs.push(JSON.parse(r.stdout));
    };
    await chat(['--url', url, '-m', 'model-a', 'hello', 'there']);
    await chat(['-c', '-m', 'model-a', 'and', 'again']); // the same conversation
    const saved = await h.runMpp(['chat', '--save', 'review', '--url', url, '-m', 'model-b', '-s', 'Be brief.'], { home });
    ok(saved);
    await chat(['-t', 'review', 'review', 'this']);
    await chat(['--url', url, '--no-log', '-m', 'model-b', 'not', 'logged']);
  });

  test('--since 1d --json: the totals are the journal\'s settled amounts and fees, and what left the payer on chain', async () => {
    const r = await spend(['--since', '1d', '--json']);
    ok(r);
    assert.equal(r.stderr, '');
    const report = JSON.parse(r.stdout);
    assert.equal(report.total.length, 1, r.stdout);
    const [total] = report.total;

    const journal = h.readJournal(home);
    const settledIds = new Set(journal.filter((x) => x.type === 'settled').map((x) => x.id));
    const signed = journal.filter((x) => x.type === 'signed' && settledIds.has(x.id));
    assert.equal(signed.length, 4);
    assert.equal(total.calls, 4);
    assert.equal(BigInt(total.charged), sum(signed.map((x) => x.amount)));
    assert.equal(BigInt(total.fees), sum(signed.map((x) => x.fee)));
    assert.equal(BigInt(total.total), BigInt(total.charged) + BigInt(total.fees));
    assert.equal(BigInt(total.avg_per_call), BigInt(total.total) / 4n);

    // The chain stand-in: the transfers are the charges, the fees the payer paid are the fees, and the
    // payer's balance went down by exactly the total.
    const now = await chain.state();
    const transfers = h.transfersFrom(now, payer.address, start);
    assert.equal(transfers.length, 4);
    assert.equal(sum(transfers.map((t) => t.amount)), BigInt(total.charged));
    const fees = now.fees.slice(start.fees.length).filter((f) => f.payer === payer.address.toLowerCase());
    assert.equal(fees.length, 4);
    assert.equal(sum(fees.map((f) => f.amount)), BigInt(total.fees));
    assert.equal(await chain.balance(payer.address), 5_000_000n - BigInt(total.total));
    h.assertJournalMatchesChain(journal, transfers);
    assert.equal(report.not_counted, 0);
    assert.deepEqual(report.undelivered, { payments: [], total: [] });
  });

  test('groups by day, service, model, conversation and template; untagged calls under (unknown)', async () => {
    const report = JSON.parse((await spend(['--since', '1d', '--json'])).stdout);
    const keyed = (rows) => Object.fromEntries(rows.map((x) => [x.key, x.calls]));
    assert.deepEqual(keyed(report.by_day), { [new Date().toISOString().slice(0, 10)]: 4 });
    assert.deepEqual(keyed(report.by_service), { '127.0.0.1': 4 });
    assert.deepEqual(keyed(report.by_model), { 'model-a': 2, 'model-b': 2 });
    assert.deepEqual(keyed(report.by_template), { review: 1, '(unknown)': 3 });
    const [first, second, third] = outputs;
    assert.equal(first.conversation, second.conversation, '-c continued the first conversation');
    assert.notEqual(third.conversation, first.conversation);
    assert.deepEqual(keyed(report.by_conversation), { [first.conversation]: 2, [third.conversation]: 1, '(unknown)': 1 });
    // The signed records carry the tags the report groups by.
    const signed = h.readJournal(home).filter((x) => x.type === 'signed');
    assert.deepEqual(signed.map((x) => [x.model, x.template, x.conversation]), [
      ['model-a', undefined, first.conversation],
      ['model-a', undefined, first.conversation],
      ['model-b', 'review', third.conversation],
      ['model-b', undefined, undefined],
    ]);
  });

  test('per 1k tokens: the cost of the calls that reported usage over their tokens', async () => {
    const report = JSON.parse((await spend(['--since', '1d', '--json'])).stdout);
    const [total] = report.total;
    const withUsage = outputs.filter((o) => o.usage && o.usage.total_tokens > 0);
    assert.ok(withUsage.length > 0, `the reference upstream reports usage: ${JSON.stringify(outputs)}`);
    const tokens = withUsage.reduce((a, o) => a + o.usage.total_tokens, 0);
    assert.equal(total.tokens, tokens);
    assert.equal(total.calls_with_usage, withUsage.length);
    const costWithUsage = BigInt(total.total) * BigInt(withUsage.length) / 4n; // every call cost the same
    assert.equal(BigInt(total.per_1k_tokens), costWithUsage * 1000n / BigInt(tokens));
  });

  test('--csv: one header, the same totals in token units; the table has every section', async () => {
    const json = JSON.parse((await spend(['--since', '1d', '--json'])).stdout);
    const csv = await spend(['--since', '1d', '--csv']);
    ok(csv);
    const rows = csv.stdout.split('\r\n').filter((l) => l.length > 0).map((l) => l.split(','));
    assert.deepEqual(rows[0], ['group', 'key', 'token', 'chain_id', 'currency', 'calls', 'charged', 'fees', 'total', 'avg_per_call', 'per_1k_tokens', 'tokens']);
    const total = rows.find((x) => x[0] === 'total');
    const units = (base) => (Number(base) / 1e6).toString();
    assert.deepEqual([total[5], total[6], total[7], total[8]], ['4', units(json.total[0].charged), units(json.total[0].fees), units(json.total[0].total)]);
    assert.equal(rows.filter((x) => x[0] === 'model').length, 2);

    const text = await spend(['--since', '1d']);
    ok(text);
    for (const section of ['Total:', 'By day (UTC):', 'By service:', 'By model:', 'By conversation:', 'By template:']) {
      assert.ok(text.stdout.includes(`\n${section}\n`) || text.stdout.includes(`${section}\n`), `${section}\n${text.stdout}`);
    }
    assert.match(text.stdout, /model-a\s+pathUSD \(testnet\)\s+2\s+0\.002\s/);
  });

  test('--until and --since bound the period; a bad period is exit 2 with one line', async () => {
    const none = JSON.parse((await spend(['--until', '1d', '--json'])).stdout);
    assert.deepEqual(none.total, []);
    const future = new Date(Date.now() + 2 * 86400_000).toISOString().slice(0, 10);
    assert.deepEqual(JSON.parse((await spend(['--since', future, '--json'])).stdout).total, []);
    const all = JSON.parse((await spend(['--since', '2000-01-01', '--until', future, '--json'])).stdout);
    assert.equal(all.total[0].calls, 4);
    for (const args of [['--since', 'yesterday'], ['--until', '1y'], ['--since', '1h', '--until', '2h'], ['--json', '--csv']]) {
      const r = await spend(args);
      assert.equal(r.code, 2, `${args}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    }
  });
});

describe('mpp wallet spend lists undelivered payments apart', { skip, timeout }, () => {
  test('a Locus call paid and then failed upstream: not in the totals, listed with its status and paymentId', async () => {
    const chain = await h.startChain({ chainId: 4217 });
    const rpc = `${chain.url}/client`;
    const [good, failing] = await Promise.all([
      h.startLocus({ rpc: `${chain.url}/server`, service: 'groq' }),
      h.startLocus({ rpc: `${chain.url}/server`, service: 'groq', variant: 'upstream-fail' }),
    ]);
    const payer = await h.newPayer(chain, '5000000', h.TOKENS.USDCe);
    const home = h.makeHome();
    const chat = (server) => h.runMpp(['chat', '--service', 'groq', '--base-url', server.url, '--network', 'mainnet', '--rpc-url', rpc, 'hello'],
      { env: { MPP_PRIVATE_KEY: payer.key }, home });
    ok(await chat(good));
    assert.equal((await chat(failing)).code, 4);

    const r = await h.runMpp(['wallet', 'spend', '--since', '1d', '--json'], { home });
    ok(r);
    const report = JSON.parse(r.stdout);
    const journal = h.readJournal(home);
    const [goodSigned, failedSigned] = journal.filter((x) => x.type === 'signed');
    assert.equal(report.total[0].calls, 1);
    assert.equal(report.total[0].charged, goodSigned.amount);
    assert.equal(report.undelivered.payments.length, 1);
    const [undelivered] = report.undelivered.payments;
    assert.equal(undelivered.id, failedSigned.id);
    assert.equal(undelivered.amount, failedSigned.amount);
    assert.match(undelivered.detail, /^HTTP 502: .*Upstream API call failed/);
    assert.match(undelivered.paymentId, /^[0-9a-f-]{36}$/);
    assert.equal(report.undelivered.total[0].calls, 1);
    // Both moved funds on chain: the delivered one is the total, the undelivered one is apart.
    const transfers = h.transfersFrom(await chain.state(), payer.address);
    assert.deepEqual(transfers.map((t) => t.amount).sort(), [goodSigned.amount, failedSigned.amount].sort());

    const text = await h.runMpp(['wallet', 'spend', '--since', '1d'], { home });
    assert.match(text.stdout, /\nUndelivered \(paid, but the service answered an error; not in the totals above\):\n {2}\S+Z {2}\S+ {2}[0-9.]+ USDC\.e \(mainnet\) {2}fee [0-9.]+ {2}model \S+ {2}\(HTTP 502: /);
  });
});

describe('mpp wallet spend after a batch', { skip, timeout }, () => {
  test('each batch line is a call of the model and template given, with its tokens', async () => {
    const chain = await h.startChain();
    const service = await h.startPaidService({ rpc: `${chain.url}/server`, amount: '1000' });
    const rpc = `${chain.url}/client`;
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    const url = `${service.url}/v1/chat/completions`;
    ok(await h.runMpp(['chat', '--save', 'short', '--url', url, '-m', 'model-c', '-s', 'Be short.'], { home }));
    const file = `${home}/prompts.txt`;
    fs.writeFileSync(file, '"first prompt"\n"second prompt"\n"third prompt"\n');
    const batch = await h.runMpp(['chat', '-t', 'short', '--batch', file, '-j', '2', '--network', 'testnet', '--rpc-url', rpc],
      { env: { MPP_PRIVATE_KEY: payer.key }, home });
    ok(batch);
    const lines = batch.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 3);

    const report = JSON.parse((await h.runMpp(['wallet', 'spend', '--since', '1h', '--json'], { home })).stdout);
    assert.deepEqual(report.by_model.map((x) => [x.key, x.calls]), [['model-c', 3]]);
    assert.deepEqual(report.by_template.map((x) => [x.key, x.calls]), [['short', 3]]);
    assert.deepEqual(report.by_conversation.map((x) => [x.key, x.calls]), [['(unknown)', 3]], 'a batch logs no conversation');
    assert.equal(report.total[0].tokens, lines.reduce((a, l) => a + l.usage.total_tokens, 0));
    assert.equal(report.total[0].calls_with_usage, 3);
    const transfers = h.transfersFrom(await chain.state(), payer.address);
    assert.equal(BigInt(report.total[0].charged), sum(transfers.map((t) => t.amount)));
  });
});
