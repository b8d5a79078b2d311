// Batch pre-flight and the batch budget (issue 20): `mpp quote --batch` prices every line of a chat
// batch file without paying, and `mpp chat --batch --budget X` never commits more than X (amounts plus
// fee bounds), even with parallel workers, against the reference mppx server and the chain stand-in.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './lib.mjs';

after(h.stopAll);

const skip = h.mppBinary() ? false : 'MPP_BIN is not set (ctest sets it to the built mpp binary)';
const timeout = h.SUITE_TIMEOUT_MS;
const PRICE = 1000n; // the service's --amount, base units

let chain;
let service;
let rpc;

function mpp(args, { payer, stdin, home, env = {} } = {}) {
  return h.runMpp([...args, '--network', 'testnet', '--rpc-url', rpc], {
    env: { ...(payer && { MPP_PRIVATE_KEY: payer.key }), ...env },
    stdin,
    home,
    timeoutMs: 30_000,
  });
}

const groq = () => ['--service', 'groq', '--base-url', service.url];
const jsonLines = (text) => text.trim().split('\n').map((l) => JSON.parse(l));
const chatRequests = async () => (await service.requests()).filter((r) => r.path === '/groq/chat').length;
const ten = ['"a"', '"b"', '"a"', '"c"', '"b"', JSON.stringify({ messages: [{ role: 'user', content: 'd' }] }), '"e"', '"a"', '"f"', '"g"'];

describe('batch pre-flight and batch budget', { skip, timeout }, () => {
  before(async () => {
    chain = await h.startChain();
    service = await h.startPaidService({ rpc: `${chain.url}/server`, amount: String(PRICE) });
    rpc = `${chain.url}/client`;
  });

  test('quote --batch prices 10 lines, probing each distinct request once, and pays nothing', async () => {
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    const file = path.join(home, 'in.jsonl');
    fs.writeFileSync(file, `${ten.join('\n')}\n`);
    const single = await mpp(['quote', ...groq(), '--no-stream', '--json', 'a'], { payer, home });
    assert.equal(single.code, 0, single.stderr);
    const fee = BigInt(JSON.parse(single.stdout).challenges[0].network_fee.max_base_units);
    assert.ok(fee > 0n);

    const before = await chain.state();
    const probesBefore = await chatRequests();
    const r = await mpp(['quote', ...groq(), '--batch', file, '-j', '3', '--json'], { payer, home });
    assert.equal(r.code, 0, r.stderr);
    const quote = JSON.parse(r.stdout);
    assert.equal(quote.lines.length, 10);
    assert.deepEqual(quote.lines.map((l) => l.index), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.ok(quote.lines.every((l) => l.price_base_units === String(PRICE)), r.stdout);
    assert.ok(quote.lines.every((l) => l.fee_max_base_units === String(fee)), r.stdout);
    assert.equal(quote.total_base_units, String(10n * PRICE));
    assert.equal(quote.worst_case_base_units, String(10n * (PRICE + fee)));
    assert.equal(quote.quoted, 10);
    assert.equal(quote.failed, 0);
    assert.equal(quote.probes, 7); // a, b, c, d, e, f, g
    assert.equal((await chatRequests()) - probesBefore, 7);
    assert.equal(quote.fits_daily_budget, null);
    assert.equal((await chain.state()).transfers.length, before.transfers.length, 'quote paid nothing');
    assert.equal(h.readJournal(home).length, 0);

    const text = await mpp(['quote', ...groq(), '--batch', file], { payer, home });
    assert.equal(text.code, 0, text.stderr);
    const rows = text.stdout.split('\n').filter((l) => /^\d+ {2,}/.test(l));
    assert.equal(rows.length, 10, text.stdout);
    assert.ok(rows.every((l) => l.includes('0.001 ')), text.stdout);
    assert.match(text.stdout, /^total: 0\.01 for 10 line\(s\) \(7 distinct request\(s\) probed\)$/m);
  });

  test('quote --batch says whether the worst case fits the daily budget, and counts failed lines apart', async () => {
    const home = h.makeHome();
    const stdin = '"x"\n{not json\n"y"\n';
    const fits = await mpp(['quote', ...groq(), '--batch', '-', '--json', '--daily-limit', '1'], { payer: null, home, stdin });
    assert.equal(fits.code, 2, fits.stderr); // the bad line is bad input
    const q = JSON.parse(fits.stdout);
    assert.equal(q.quoted, 2);
    assert.equal(q.failed, 1);
    assert.match(q.lines[1].error, /^batch line 2: not valid JSON/);
    assert.equal(q.total_base_units, String(2n * PRICE));
    assert.equal(q.daily_limit, '1');
    assert.equal(q.fits_daily_budget, true);
    assert.match(fits.stderr, /1 of 3 batch lines could not be quoted/);

    const tight = await mpp(['quote', ...groq(), '--batch', '-', '--daily-limit', '0.002'], { payer: null, home, stdin: '"x"\n"y"\n' });
    assert.equal(tight.code, 0, tight.stderr);
    assert.match(tight.stdout, /^daily budget: does not fit: /m);
    assert.match(tight.stdout, /^failed: 0 of 2 line\(s\) could not be quoted$/m);
  });

  for (const jobs of ['1', '4']) {
    test(`chat --batch --budget -j ${jobs} stops at the budget: the rest is skipped and the chain shows no more paid`, async () => {
      const payer = await h.newPayer(chain);
      const home = h.makeHome();
      const lines = Array.from({ length: 10 }, (_, i) => `"line ${i}"`).join('\n');
      const q = await mpp(['quote', ...groq(), '--batch', '-', '--json'], { payer, home, stdin: `"line 0"\n` });
      const perLine = BigInt(JSON.parse(q.stdout).worst_case_base_units); // price + fee bound
      const budget = 4n * perLine + perLine / 2n; // room for four lines and a half
      const budgetText = (Number(budget) / 1e6).toFixed(6);
      const before = await chain.state();
      const r = await mpp(['chat', ...groq(), '--batch', '-', '-j', jobs, '--budget', budgetText], { payer, home, stdin: `${lines}\n` });
      assert.equal(r.code, 5, r.stderr);
      const out = jsonLines(r.stdout);
      assert.deepEqual(out.map((o) => o.index), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const paid = out.filter((o) => o.paid !== undefined);
      const skipped = out.filter((o) => /^skipped: the batch budget \(--budget /.test(o.error ?? ''));
      assert.equal(paid.length, 4, r.stdout);
      assert.equal(skipped.length, 6, r.stdout);
      assert.ok(skipped.every((o) => o.exit_code === 5 && o.paid === undefined), r.stdout);
      if (jobs === '1') assert.deepEqual(paid.map((o) => o.index), [0, 1, 2, 3]);
      const transfers = h.transfersFrom(await chain.state(), payer.address, before);
      assert.equal(transfers.length, 4);
      const feesBound = paid.reduce((sum, o) => sum + BigInt(Math.round(Number(o.fee ?? o.fee_max ?? '0') * 1e6)), 0n);
      const total = transfers.reduce((sum, t) => sum + BigInt(t.amount), 0n) + feesBound;
      assert.ok(total <= budget, `paid ${total} > budget ${budget}`);
      assert.match(r.stderr, /stopped at the batch budget \(--budget [0-9.]+\): .* 6 of 10 batch lines skipped/);
      assert.equal(h.readJournal(home).filter((x) => x.type === 'signed').length, 4);
    });
  }

  test('a budget the whole batch fits in changes nothing, and a bad --budget is a usage error', async () => {
    const payer = await h.newPayer(chain);
    const r = await mpp(['chat', ...groq(), '--batch', '-', '-j', '2', '--budget', '1'], { payer, stdin: '"p"\n"q"\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(jsonLines(r.stdout).map((o) => o.output), ['echo: p', 'echo: q']);
    const bad = await mpp(['chat', ...groq(), '--batch', '-', '--budget', '-1'], { payer, stdin: '"p"\n' });
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /--budget -1: expected an amount in token units/);
    const alone = await mpp(['chat', ...groq(), '--budget', '1', 'hi'], { payer });
    assert.equal(alone.code, 2, alone.stderr);
  });
});
