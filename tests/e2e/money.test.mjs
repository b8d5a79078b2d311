// Money honesty, through the real binary against the chain stand-in (which judges what was paid): the
// network fee counts in every cap and the daily budget, mpp's own fee ceiling bounds what a hostile RPC
// can make it sign, the payer's balance is checked before signing, and `mpp wallet reconcile` (and the
// bounded reconcile before a paid call) turns an `unknown` payment into the chain's verdict.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './lib.mjs';

after(h.stopAll);

const skip = h.mppBinary() ? false : 'MPP_BIN is not set (ctest sets it to the built mpp binary)';
const lower = (a) => a.toLowerCase();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// The stand-in's fee for one of mpp's transfers: eth_estimateGas 100,000 + 5,000 at 20 gwei.
const FEE = 2100n;

/** stderr is exactly one line, `mpp: error: ...`, matching every pattern. */
function assertOneErrorLine(r, ...patterns) {
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, 1, `expected one stderr line, got:\n${r.stderr}`);
  assert.match(lines[0], /^mpp: error: /);
  for (const p of patterns) assert.match(lines[0], p);
}

describe('fees inside the caps, funds before signing, unknowns resolved', { skip, timeout: 120_000 }, () => {
  let chain;
  let rpcUrl;
  let svc; // self-paid, 1000 base units
  let pushSvc; // push only: mpp broadcasts and sees the receipt
  let slowSvc; // settles on chain, then takes 3 s to answer: mpp times out with the payment unknown
  let slowSponsoredSvc; // the same with a fee payer: the final transaction hash is the sponsor's
  let fault; // never touches the chain: a hung payment never lands; challenges expire after 2 s

  before(async () => {
    chain = await h.startChain();
    rpcUrl = `${chain.url}/client`;
    const rpc = `${chain.url}/server`;
    await chain.fund(h.FEE_PAYER.address, '100000000');
    [svc, pushSvc, slowSvc, slowSponsoredSvc, fault] = await Promise.all([
      h.startPaidService({ rpc, amount: '1000', recipient: h.RECIPIENT.address }),
      h.startPaidService({ rpc, amount: '1000', recipient: h.RECIPIENT.address, pushOnly: true }),
      h.startPaidService({ rpc, amount: '1000', recipient: h.RECIPIENT.address, upstreamDelayMs: 3000 }),
      h.startPaidService({ rpc, amount: '1000', recipient: h.RECIPIENT.address, upstreamDelayMs: 3000, feePayer: h.FEE_PAYER.key }),
      h.startFaultServer({ amount: '1000', recipient: h.RECIPIENT.address, expiresSeconds: 2 }),
    ]);
  });

  const chat = (url, payer, { args = [], home = h.makeHome(), env = {} } = {}) => h.runChat(url, { key: payer.key, rpcUrl, args, home, env });
  const credentials = async (service, n) => (await service.requests()).slice(n).filter((x) => x.credential);
  const history = async (home) => JSON.parse((await h.runMpp(['wallet', 'history', '--json'], { home })).stdout);
  const reconcile = (home) => h.runMpp(['wallet', 'reconcile', '--network', 'testnet', '--rpc-url', rpcUrl], { home });

  test('the charge fits --max-amount but charge + fee does not: exit 5 naming both, nothing signed', async () => {
    const payer = await h.newPayer(chain);
    const n = (await svc.requests()).length;
    const r = await chat(`${svc.url}/v1/chat/completions`, payer, { args: ['--max-amount', '0.003'] });
    assert.equal(r.code, 5, r.stderr);
    assertOneErrorLine(r, /costs 0\.001 pathUSD plus a network fee of up to 0\.0021 pathUSD \(0\.0031 in all\), over the per-call cap of 0\.003/, /--max-amount 0\.0031/);
    assert.deepEqual(await credentials(svc, n), []);
    assert.deepEqual(r.journal, []);
    assert.deepEqual(h.transfersFrom(await chain.state(), payer.address), []);

    // 0.0031 is exactly enough: paid, and the payer lost exactly charge + fee.
    const paid = await chat(`${svc.url}/v1/chat/completions`, payer, { args: ['--max-amount', '0.0031'] });
    assert.equal(paid.code, 0, paid.stderr);
    assert.equal(await chain.balance(payer.address), 5_000_000n - 1000n - FEE);
  });

  test('journal, history, -v and the summary show the amount and the fee apart', async () => {
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    const r = await chat(`${svc.url}/v1/chat/completions`, payer, { home, args: ['-v'] });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /cost: 0\.001 pathUSD \+ network fee up to 0\.0021 pathUSD \(gas limit 105000 \(estimated by the RPC\) at 20 gwei \(from the RPC\)\); balance 5\n/);
    assert.match(r.stderr, /paid 0\.001 pathUSD \+ network fee up to 0\.0021, tx 0x[0-9a-f]{64}\n/);
    const [signed] = r.journal;
    assert.deepEqual([signed.amount, signed.fee, lower(signed.payer)], ['1000', String(FEE), lower(payer.address)]);
    const state = await chain.state();
    const fee = state.fees.find((f) => f.txHash === signed.tx_hash);
    assert.equal(BigInt(fee.amount), FEE, 'the fee journaled is the fee the chain charged');
    const hist = await history(home);
    assert.deepEqual([hist.payments[0].amount, hist.payments[0].fee, hist.payments[0].fee_paid], ['1000', '2100', null]);
    assert.deepEqual(hist.totals.per_token.map((t) => [t.settled, t.fees]), [['1000', '2100']]);
    const text = await h.runMpp(['wallet', 'history'], { home });
    assert.match(text.stdout, /settled {2}0\.001 pathUSD \(testnet\) {2}fee up to 0\.0021 {2}127\.0\.0\.1/);
    assert.match(text.stdout, /settled 0\.001, fees 0\.0021 \(1 payment\)/);
  });

  test('a pushed payment journals the fee the receipt reports', async () => {
    const payer = await h.newPayer(chain);
    const r = await chat(`${pushSvc.url}/v1/chat/completions`, payer);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.journal.map((x) => x.type), ['signed', 'settled']);
    assert.equal(r.journal[1].fee_paid, String(FEE));
  });

  test('a sponsored payment costs no fee: none journaled, none counted', async () => {
    const payer = await h.newPayer(chain);
    const sponsored = await h.startPaidService({ rpc: `${chain.url}/server`, amount: '1000', recipient: h.RECIPIENT.address, feePayer: h.FEE_PAYER.key });
    const r = await chat(`${sponsored.url}/v1/chat/completions`, payer, { args: ['--max-amount', '0.001', '--daily-limit', '0.001', '-v'] });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /network fee paid by the server/);
    assert.equal(r.journal[0].fee, '0');
    assert.equal(await chain.balance(payer.address), 5_000_000n - 1000n);
  });

  for (const [mode, what] of [['hugeGasPrice', /1000000 gwei \(from the RPC\)/], ['hugeGasLimit', /gas limit 5000005000 \(estimated by the RPC\)/]]) {
    test(`a hostile RPC (${mode}) is refused by mpp's fee ceiling: exit 5 naming the RPC, nothing signed`, async () => {
      const payer = await h.newPayer(chain);
      const n = (await svc.requests()).length;
      await chain.fault(mode);
      let r;
      try {
        r = await chat(`${svc.url}/v1/chat/completions`, payer, { args: ['--max-amount', '1000000'] });
      } finally {
        await chain.fault(null);
      }
      assert.equal(r.code, 5, r.stderr);
      assertOneErrorLine(r, new RegExp(`the RPC at ${rpcUrl} quotes a network fee of up to`), what, /above mpp's fee ceiling of 0\.05 \(--max-fee/);
      assert.deepEqual(await credentials(svc, n), []);
      assert.deepEqual(r.journal, []);
    });
  }

  test('the fee ceiling comes from --max-fee, MPP_MAX_FEE or max_fee in the config', async () => {
    const payer = await h.newPayer(chain);
    const url = `${svc.url}/v1/chat/completions`;
    const byFlag = await chat(url, payer, { args: ['--max-fee', '0.002'] });
    assert.equal(byFlag.code, 5, byFlag.stderr);
    assert.match(byFlag.stderr, /fee ceiling of 0\.002/);
    const byEnv = await chat(url, payer, { env: { MPP_MAX_FEE: '0.0015' } });
    assert.equal(byEnv.code, 5, byEnv.stderr);
    assert.match(byEnv.stderr, /fee ceiling of 0\.0015/);
    const home = h.makeHome();
    fs.writeFileSync(path.join(home, 'config.toml'), 'max_fee = 0.001\n');
    const byConfig = await chat(url, payer, { home });
    assert.equal(byConfig.code, 5, byConfig.stderr);
    assert.match(byConfig.stderr, /fee ceiling of 0\.001/);
    const fits = await chat(url, payer, { home, args: ['--max-fee', '0.0021'] });
    assert.equal(fits.code, 0, fits.stderr);
    assert.equal(h.transfersFrom(await chain.state(), payer.address).length, 1);
  });

  test('a sponsored charge from an unfunded wallet: exit 6, nothing signed or journaled', async () => {
    const payer = await h.newPayer(chain, 0);
    const sponsored = await h.startPaidService({ rpc: `${chain.url}/server`, amount: '1000', recipient: h.RECIPIENT.address, feePayer: h.FEE_PAYER.key });
    const before = await chain.state();
    const r = await chat(`${sponsored.url}/v1/chat/completions`, payer);
    assert.equal(r.code, 6, r.stderr);
    assertOneErrorLine(r, /holds 0 pathUSD, but this payment needs 0\.001 pathUSD; nothing was signed/, /mpp wallet fund --network testnet/);
    assert.deepEqual(await credentials(sponsored, 0), []);
    assert.deepEqual(r.journal, []);
    assert.equal((await chain.state()).txs.length, before.txs.length);
  });

  test('a self-paid payment that settled while mpp timed out: reconcile records settled with the receipt and its fee', async () => {
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    const r = await chat(`${slowSvc.url}/v1/chat/completions`, payer, { home, args: ['--timeout', '1'] });
    assert.equal(r.code, 3, r.stderr);
    assert.deepEqual(r.journal.map((x) => x.type), ['signed', 'unknown']);
    const [signed] = r.journal;
    const [transfer] = h.transfersFrom(await chain.state(), payer.address);
    assert.equal(transfer.txHash, signed.tx_hash, 'the transaction is on chain');
    let hist = await history(home);
    assert.equal(hist.payments[0].outcome, 'unknown');
    assert.match(hist.payments[0].still_unknown, /mpp wallet reconcile/);

    const rec = await reconcile(home);
    assert.equal(rec.code, 0, rec.stderr);
    assert.match(rec.stdout, new RegExp(`settled: receipt of ${signed.tx_hash} in block \\d+: status 0x1, network fee 0\\.0021 pathUSD`));
    assert.match(rec.stderr, /1 payment\(s\) asked about: 1 settled, 0 failed, 0 still undecided/);
    const journal = h.readJournal(home);
    const verdict = journal.at(-1);
    assert.deepEqual([verdict.type, verdict.id, verdict.reference, verdict.fee_paid], ['settled', signed.id, signed.tx_hash, '2100']);
    assert.match(verdict.evidence, /status 0x1/);
    h.assertJournalMatchesChain(journal, h.transfersFrom(await chain.state(), payer.address));
    hist = await history(home);
    assert.deepEqual([hist.payments[0].outcome, hist.payments[0].fee_paid], ['settled', '2100']);
    assert.deepEqual(hist.totals.per_token.map((t) => [t.settled, t.unsettled]), [['1000', '0']]);
    // A second reconcile has nothing left to ask.
    const again = await reconcile(home);
    assert.equal(again.stdout, '');
    assert.match(again.stderr, /nothing to reconcile/);
  });

  test('a sponsored payment that settled while mpp timed out: found by its transfer log to the recipient', async () => {
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    const r = await chat(`${slowSponsoredSvc.url}/v1/chat/completions`, payer, { home, args: ['--timeout', '1'] });
    assert.equal(r.code, 3, r.stderr);
    const [signed] = r.journal;
    assert.equal(signed.tx_hash, '', 'the sponsor re-signs: mpp cannot know the final hash');
    assert.ok(Number.isInteger(signed.block) && signed.memo.startsWith('0x'), JSON.stringify(signed));
    const [transfer] = h.transfersFrom(await chain.state(), payer.address);
    assert.ok(transfer, 'the sponsored transaction is on chain');
    const rec = await reconcile(home);
    assert.equal(rec.code, 0, rec.stderr);
    assert.match(rec.stdout, new RegExp(`settled: TransferWithMemo of 0\\.001 pathUSD \\(testnet\\) to ${h.RECIPIENT.address} with this payment's memo in tx ${transfer.txHash}`));
    const verdict = h.readJournal(home).at(-1);
    assert.deepEqual([verdict.type, verdict.reference, verdict.fee_paid], ['settled', transfer.txHash, '0']);
    h.assertJournalMatchesChain(h.readJournal(home), h.transfersFrom(await chain.state(), payer.address));
  });

  test('a payment that never landed: still unknown while it could, then failed, and it stops counting against the daily limit', async () => {
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    const limit = ['--daily-limit', '0.0031']; // one payment with its fee
    const hung = await chat(`${fault.url}/fault/hang-after-payment/money/v1/chat/completions`, payer, { home, args: ['--timeout', '1', ...limit] });
    assert.equal(hung.code, 3, hung.stderr);
    const [signed] = hung.journal;
    assert.deepEqual(hung.journal.map((x) => x.type), ['signed', 'unknown']);
    assert.deepEqual(h.transfersFrom(await chain.state(), payer.address), [], 'the fault server never broadcasts');

    // It counts: the next payment does not fit.
    const blocked = await chat(`${svc.url}/v1/chat/completions`, payer, { home, args: limit });
    assert.equal(blocked.code, 5, blocked.stderr);
    assert.match(blocked.stderr, /daily/);

    // While its validBefore is ahead of the chain, the chain cannot tell. (validBefore is 2 s after
    // signing: on a loaded machine the chain may already be past it here, and then this first
    // reconcile is the one that must record the failure.)
    await chain.fund(h.UNFUNDED.address, '1'); // a block at the current time
    const early = await reconcile(home);
    const failedLine = new RegExp(`failed: no receipt for ${signed.tx_hash}, and it can no longer land: its validBefore \\S+ has passed`);
    let rec = early;
    if (!failedLine.test(early.stdout)) {
      assert.match(early.stdout, /still unknown: not on chain yet; it can still land until/);
      assert.equal(h.readJournal(home).filter((x) => x.type === 'failed').length, 0);

      await h.waitFor(() => Math.floor(Date.now() / 1000) > signed.valid_before, { timeoutMs: 10_000, what: 'validBefore to pass' });
      await sleep(1100);
      await chain.fund(h.UNFUNDED.address, '1'); // the chain moves on past validBefore
      rec = await reconcile(home);
    }
    assert.equal(rec.code, 0, rec.stderr);
    assert.match(rec.stdout, failedLine);
    const failed = h.readJournal(home).at(-1);
    assert.deepEqual([failed.type, failed.id], ['failed', signed.id]);
    const hist = await history(home);
    assert.equal(hist.payments[0].outcome, 'failed');
    assert.deepEqual(hist.totals.per_token.map((t) => [t.settled, t.unsettled, t.fees]), [['0', '0', '0']]);

    // The budget has room again: the same limit now lets a payment through.
    const paid = await chat(`${svc.url}/v1/chat/completions`, payer, { home, args: limit });
    assert.equal(paid.code, 0, paid.stderr);
    assert.equal(h.transfersFrom(await chain.state(), payer.address).length, 1);
    h.assertJournalMatchesChain(paid.journal, h.transfersFrom(await chain.state(), payer.address));
  });

  test('before a paid call, mpp asks the chain about earlier unknown payments by itself', async () => {
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    const hung = await chat(`${fault.url}/fault/hang-after-payment/auto/v1/chat/completions`, payer, { home, args: ['--timeout', '1'] });
    assert.equal(hung.code, 3, hung.stderr);
    const [signed] = hung.journal;
    await h.waitFor(() => Math.floor(Date.now() / 1000) > signed.valid_before, { timeoutMs: 10_000, what: 'validBefore to pass' });
    await sleep(1100);
    await chain.fund(h.UNFUNDED.address, '1');
    const started = Date.now();
    const next = await chat(`${svc.url}/v1/chat/completions`, payer, { home, args: ['-v', '--daily-limit', '0.0031'] });
    assert.equal(next.code, 0, next.stderr);
    assert.match(next.stderr, /earlier payment .* failed: no receipt for/);
    assert.deepEqual(next.journal.map((x) => x.type), ['signed', 'unknown', 'failed', 'signed', 'settled']);
    assert.ok(Date.now() - started < 10_000);
  });

  test('the reconcile before a paid call is bounded: a slow RPC makes it give up, and the call goes on', async () => {
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    const hung = await chat(`${fault.url}/fault/hang-after-payment/slow/v1/chat/completions`, payer, { home, args: ['--timeout', '1'] });
    assert.equal(hung.code, 3, hung.stderr);
    await chain.fault('slow', 1500);
    let next;
    try {
      next = await chat(`${svc.url}/v1/chat/completions`, payer, { home, args: ['-v'] });
    } finally {
      await chain.fault(null);
    }
    assert.equal(next.code, 0, next.stderr);
    assert.match(next.stderr, /could not ask the chain about earlier payments of unknown outcome/);
    assert.deepEqual(next.journal.map((x) => x.type), ['signed', 'unknown', 'signed', 'settled'], 'nothing recorded without an answer');
  });
});
