// `mpp wallet channels` through the real binary: channels opened by `mpp chat` against mppx 0.11's own
// tempo.session server (session-service.mjs) are listed, closed through the service, forced shut when
// the service is gone (requestClose, the stand-in's 3 s grace, withdraw) and recovered from the chain
// when their records are lost. The chain stand-in judges every close: what came back to the payer is
// its deposit less exactly what the payee captured, and the only other cost is the fees it paid.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './lib.mjs';

const PRICE = 1000n; // base units per unit (0.001 pathUSD)
const GRACE_SECONDS = 3;
const lower = (a) => a.toLowerCase();
const sum = (values) => values.reduce((s, v) => s + BigInt(v), 0n);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

after(h.stopAll);

const balanceIn = (state, who, token = h.TOKENS.pathUSD) => BigInt(state.balances[lower(token)]?.[lower(who)] ?? 0);
const channelsOf = (state, payer) => state.channels.filter((c) => c.descriptor.payer === lower(payer.address));
const feesOf = (state, since, payer) => sum(state.fees.slice(since.fees.length).filter((f) => f.payer === lower(payer.address)).map((f) => f.amount));
/** "0.004" (token units, 6 decimals) as base units. */
const baseUnits = (text) => {
  const [whole, fraction = ''] = text.split('.');
  return BigInt(whole + fraction.padEnd(6, '0'));
};
const chatRequest = (content) => JSON.stringify({ model: 'm', messages: [{ role: 'user', content }] });

/** The store's records (<home>/channels/*.json), parsed. */
function storedRecords(home) {
  const dir = path.join(home, 'channels');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
}

describe('mpp wallet channels', { timeout: h.SUITE_TIMEOUT_MS }, () => {
  let chain;
  let service;
  let url;
  const rpc = () => `${chain.url}/client`;
  const channels = (args, payer, home) =>
    h.runMpp(['wallet', 'channels', ...args, '--network', 'testnet', '--rpc-url', rpc()], { env: { MPP_PRIVATE_KEY: payer.key }, home });
  const chat = async (payer, home, content, target = url) => {
    const r = await h.runChat(target, { key: payer.key, rpcUrl: rpc(), home, stdin: chatRequest(content) });
    assert.equal(r.code, 0, r.stderr);
    return r;
  };
  // The channels' records: written by `chat` itself once channels persist; until then (and whenever
  // they are lost) `recover` rebuilds them from the chain and the journal.
  const recover = async (payer, home) => {
    const r = await channels(['recover'], payer, home);
    assert.equal(r.code, 0, r.stderr);
    return r;
  };
  // `wallet history --json`: the payments and the closes the journal holds.
  const history = async (home) => {
    const r = await h.runMpp(['wallet', 'history', '--json'], { home });
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  const listed = async (payer, home) => {
    const r = await channels(['--json'], payer, home);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout);
  };

  before(async () => {
    chain = await h.startChain({ closeGraceSeconds: GRACE_SECONDS });
    service = await h.startSessionService({ rpc: `${chain.url}/server`, amount: String(PRICE), suggestedDeposit: '5000' });
    url = `${service.url}/v1/chat/completions`;
    await chain.fund(h.RECIPIENT.address, '1000000'); // the payee pays the gas of its close
  });

  test('close --all after calls returns the deposit less exactly what the service captured; the records say closed; a second close is a no-op', async () => {
    const payer = await h.newPayer(chain, '1000000');
    const home = h.makeHome();
    const start = await chain.state();
    await chat(payer, home, 'first');
    await chat(payer, home, 'second');
    // Both calls paid on one channel, which `chat` keeps in the store; recover has nothing to add.
    const [open, ...others] = await listed(payer, home);
    assert.deepEqual(others, []);
    assert.equal(open.status, 'open');
    assert.equal(open.endpoint, url);
    assert.equal(open.payee, h.RECIPIENT.address);
    assert.equal(open.signed, String(2n * PRICE));
    assert.equal(BigInt(open.refundable), BigInt(open.deposit) - BigInt(open.spent));
    assert.match((await recover(payer, home)).stdout, /already in the store/);

    const closed = await channels(['close', '--all'], payer, home);
    assert.equal(closed.code, 0, closed.stderr);
    assert.match(closed.stdout, /^closed channel 0x[0-9a-f]{64} by its service/);
    const printed = sum([...closed.stdout.matchAll(/: ([0-9.]+) pathUSD refunded/g)].map((m) => baseUnits(m[1])));
    const end = await chain.state();
    const mine = channelsOf(end, payer);
    assert.equal(mine.length, 1);
    assert.ok(mine.every((c) => !c.open), 'no channel of the payer is left open');
    const captured = sum(mine.map((c) => c.paidToPayee));
    assert.equal(captured, 2n * PRICE, 'the service captured exactly what the two calls cost');
    assert.equal(balanceIn(end, payer.address), balanceIn(start, payer.address) - feesOf(end, start, payer) - captured,
      'initial balance - fees - what the service captured, to the base unit');
    assert.equal(printed, sum(mine.map((c) => c.refundedToPayer)), 'what mpp printed is what the chain refunded');
    assert.ok(storedRecords(home).every((r) => r.status === 'closed'), 'every record is closed');
    assert.ok((await listed(payer, home)).every((c) => c.status === 'closed'));
    // The history shows the close beside the two calls, with what the chain says came back.
    const { closes } = await history(home);
    assert.equal(closes.length, 1);
    assert.equal(closes[0].mode, 'cooperative');
    assert.equal(closes[0].channel_id, open.channel_id);
    assert.equal(BigInt(closes[0].refunded), BigInt(mine[0].refundedToPayer));
    assert.equal(BigInt(closes[0].kept), captured);
    assert.equal(BigInt(closes[0].deposit), BigInt(mine[0].totalDeposited));
    const text = await h.runMpp(['wallet', 'history'], { home });
    assert.match(text.stdout, new RegExp(`closed  [0-9.]+ pathUSD \\(testnet\\) refunded, 0\\.002 kept by the payee  127\\.0\\.0\\.1  cooperative channel ${open.channel_id}`));

    const again = await channels(['close', '--all'], payer, home);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /no open channels to close/);
    const one = await channels(['close', open.channel_id], payer, home);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /already closed; nothing to do/);
    assert.equal((await chain.state()).txs.length, end.txs.length, 'a second close sends nothing');

    // The next call opens a new channel in place of the closed one.
    await chat(payer, home, 'after the close');
    const [reopened] = await listed(payer, home);
    assert.equal(reopened.status, 'open');
    assert.notEqual(reopened.channel_id, open.channel_id);
  });

  test('with the service gone, close fails (3) and says --force; --force, then --finalize after the grace period returns deposit - settled', async () => {
    const gone = await h.startSessionService({ rpc: `${chain.url}/server`, amount: String(PRICE), suggestedDeposit: '5000' });
    const payer = await h.newPayer(chain, '1000000');
    const home = h.makeHome();
    const start = await chain.state();
    await chat(payer, home, 'soon gone', `${gone.url}/v1/chat/completions`);
    await recover(payer, home);
    const [channel] = await listed(payer, home);
    await gone.stop();

    const refused = await channels(['close', channel.channel_id], payer, home);
    assert.equal(refused.code, 3, refused.stderr);
    assert.match(refused.stderr, /--force/);
    assert.equal(storedRecords(home)[0].status, 'open', 'a failed close leaves the record as it was');

    const forced = await channels(['close', '--force', channel.channel_id.slice(0, 12)], payer, home);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /--finalize/);
    assert.equal(storedRecords(home)[0].status, 'closing');
    const requested = channelsOf(await chain.state(), payer)[0];
    assert.ok(requested.open && requested.closeRequestedAt > 0, 'requestClose is on chain');

    const early = await channels(['close', '--finalize', channel.channel_id], payer, home);
    assert.equal(early.code, 5, early.stderr);
    assert.match(early.stderr, /grace period .* ends at .*run this again then/);

    await sleep(GRACE_SECONDS * 1000 + 500);
    const finalized = await channels(['close', '--finalize', channel.channel_id], payer, home);
    assert.equal(finalized.code, 0, finalized.stderr);
    const end = await chain.state();
    const closed = channelsOf(end, payer)[0];
    assert.equal(closed.open, false);
    assert.equal(BigInt(closed.refundedToPayer), BigInt(closed.totalDeposited) - BigInt(requested.settled), 'deposit - settled came back');
    assert.equal(balanceIn(end, payer.address),
      balanceIn(start, payer.address) - feesOf(end, start, payer) - BigInt(closed.paidToPayee));
    assert.equal(storedRecords(home)[0].status, 'closed');
    // Both steps are in the history: the request with its fee, then the withdraw with the refund.
    const { closes } = await history(home);
    assert.deepEqual(closes.map((c) => c.mode), ['request-close', 'withdraw']);
    // Each transaction was journaled before it was broadcast, and its outcome after, with one hash.
    const noted = h.readJournal(home).filter((x) => x.type === 'close').map((x) => [x.mode, lower(x.tx_hash)]);
    assert.deepEqual(noted.map(([mode]) => mode), ['request-close-sent', 'request-close', 'withdraw-sent', 'withdraw']);
    assert.equal(noted[0][1], lower(closes[0].tx_hash));
    assert.equal(noted[2][1], lower(closes[1].tx_hash));
    for (const close of closes) {
      const fee = end.fees.find((f) => lower(f.txHash) === lower(close.tx_hash));
      assert.ok(fee, `the journaled ${close.mode} transaction is the one on chain`);
      assert.equal(close.fee_paid, fee.amount, `the ${close.mode} fee journaled is what the chain charged`);
    }
    assert.equal(BigInt(closes[1].refunded), BigInt(closed.refundedToPayer));
    assert.equal(BigInt(closes[1].kept), BigInt(closed.paidToPayee));
    const again = await channels(['close', '--finalize', channel.channel_id], payer, home);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already closed/);
  });

  test('recover rebuilds a deleted store from the chain; with the journal the endpoint is known and close works', async () => {
    const payer = await h.newPayer(chain, '1000000');
    const home = h.makeHome();
    const start = await chain.state();
    await chat(payer, home, 'remember me');
    fs.rmSync(path.join(home, 'channels'), { recursive: true, force: true });
    assert.deepEqual((await listed(payer, home)), []);

    const found = await recover(payer, home);
    assert.match(found.stdout, /recovered channel 0x[0-9a-f]{64}: deposit 0\.005 pathUSD, 0\.001 pathUSD signed \(from the journal\); endpoint /);
    const [channel] = await listed(payer, home);
    assert.equal(channel.endpoint, url);
    assert.equal(channel.signed, String(PRICE));
    const known = await recover(payer, home);
    assert.match(known.stdout, /already in the store/);

    const closed = await channels(['close', channel.channel_id], payer, home);
    assert.equal(closed.code, 0, closed.stderr);
    const end = await chain.state();
    const [onChain] = channelsOf(end, payer);
    assert.equal(onChain.open, false);
    assert.equal(BigInt(onChain.paidToPayee), PRICE);
    assert.equal(balanceIn(end, payer.address), balanceIn(start, payer.address) - feesOf(end, start, payer) - PRICE);
  });

  test('recover without the journal: no endpoint, so close says to use --force, which returns the whole deposit', async () => {
    const payer = await h.newPayer(chain, '1000000');
    const home = h.makeHome();
    const start = await chain.state();
    await chat(payer, home, 'forget me');
    fs.rmSync(path.join(home, 'channels'), { recursive: true, force: true });
    fs.rmSync(path.join(home, 'payments.jsonl'));
    const found = await recover(payer, home);
    assert.match(found.stdout, /0 pathUSD signed \(the payee's settled amount\); no endpoint known: close it with 'mpp wallet channels close --force 0x/);
    const [channel] = await listed(payer, home);
    assert.equal(channel.endpoint, '');

    const refused = await channels(['close', channel.channel_id], payer, home);
    assert.equal(refused.code, 5, refused.stderr);
    assert.match(refused.stderr, /no endpoint .*--force/);
    const forced = await channels(['close', '--force', channel.channel_id], payer, home);
    assert.equal(forced.code, 0, forced.stderr);
    await sleep(GRACE_SECONDS * 1000 + 500);
    const finalized = await channels(['close', '--finalize', channel.channel_id], payer, home);
    assert.equal(finalized.code, 0, finalized.stderr);
    const end = await chain.state();
    const [onChain] = channelsOf(end, payer);
    assert.equal(onChain.open, false);
    assert.equal(onChain.refundedToPayer, onChain.totalDeposited, 'nothing was settled: the whole deposit came back');
    assert.equal(balanceIn(end, payer.address), balanceIn(start, payer.address) - feesOf(end, start, payer));
  });
});
