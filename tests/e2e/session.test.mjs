// Paying by session, through the real binary: mpp against mppx 0.11's own tempo.session server
// (session-service.mjs), settling on the chain stand-in, which judges what moved. The server's
// accounting is read back the way a payee would claim it: mppx's own settle() of the highest voucher
// it accepted (POST /__settle), which the stand-in's escrow checks against the payer's signature.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as h from './lib.mjs';

const ESCROW = '0x4d50500000000000000000000000000000000000';
const PRICE = 1000n; // base units per unit (0.001 pathUSD)
const lower = (a) => a.toLowerCase();

after(h.stopAll);

const balanceIn = (state, who, token = h.TOKENS.pathUSD) => BigInt(state.balances[lower(token)]?.[lower(who)] ?? 0);
const channelIn = (state, channelId) => state.channels.find((c) => c.channelId === lower(channelId));
const streamRequest = (content) => JSON.stringify({ model: 'm', messages: [{ role: 'user', content }], stream: true });

/** The journal's records for the payments of one run, by type. */
const ofType = (journal, type) => journal.filter((r) => r.type === type);
/** The highest cumulative amount mpp signed on `channelId`, from the journal (open and vouchers). */
function signedCumulative(journal, channelId) {
  return journal.filter((r) => r.channel_id === channelId && r.cumulative !== undefined)
    .reduce((max, r) => (BigInt(r.cumulative) > max ? BigInt(r.cumulative) : max), 0n);
}
/** The payment-receipt event of a raw metered stream, parsed. */
function finalReceipt(stdout) {
  const match = /event: payment-receipt\ndata: (.*)\n/.exec(stdout);
  assert.ok(match, `no payment-receipt event in:\n${stdout}`);
  return JSON.parse(match[1]);
}

/** Everything the escrow holds is what its open channels hold, and each channel's money is accounted for. */
function assertEscrowBacksChannels(state) {
  const held = state.channels.filter((c) => c.open).reduce((sum, c) => sum + BigInt(c.deposit) - BigInt(c.settled), 0n);
  assert.equal(balanceIn(state, ESCROW), held, 'escrow balance = open channels\' deposit - settled');
}

describe('a session-only service', { timeout: h.SUITE_TIMEOUT_MS }, () => {
  let chain;
  let service;
  let url;
  const rpc = () => `${chain.url}/client`;
  const settle = (channelId) => h.fetchJson(`${service.url}/__settle`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channelId }) });

  before(async () => {
    chain = await h.startChain();
    service = await h.startSessionService({ rpc: `${chain.url}/server`, amount: String(PRICE), suggestedDeposit: '5000' });
    url = `${service.url}/v1/chat/completions`;
    await chain.fund(h.RECIPIENT.address, '1000000'); // the payee pays the gas of its settle
  });

  test('one call opens one channel within --max-deposit, prints the answer, and the payee can claim exactly the voucher', async () => {
    const payer = await h.newPayer(chain, '1000000');
    const start = await chain.state();
    // A plain JSON answer (no "stream"): one unit.
    const r = await h.runChat(url, { key: payer.key, rpcUrl: rpc(), args: ['--max-deposit', '0.003'] });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).choices[0].message.content, 'echo: hello paid world');
    const { journal } = r;
    const [open] = ofType(journal, 'signed');
    assert.equal(open.mode, 'session open');
    assert.equal(open.deposit, '3000'); // --max-deposit under suggestedDeposit 5000
    assert.equal(open.cumulative, String(PRICE));
    assert.equal(open.escrow, ESCROW);
    assert.equal(ofType(journal, 'settled').length, 1);

    const state = await chain.state();
    const payerTxs = state.txs.slice(start.txs.length).filter((t) => t.from === lower(payer.address));
    assert.equal(payerTxs.length, 1, 'one transaction from the payer: the open');
    const channel = channelIn(state, open.channel_id);
    assert.ok(channel, 'the stand-in knows the channel mpp journaled');
    assert.deepEqual([channel.open, channel.deposit, channel.settled], [true, '3000', '0']);
    assert.equal(channel.descriptor.payee, lower(h.RECIPIENT.address));
    assert.equal(channel.descriptor.payer, lower(payer.address));
    assert.equal(balanceIn(start, payer.address) - balanceIn(state, payer.address) - 3000n,
      state.fees.slice(start.fees.length).filter((f) => f.payer === lower(payer.address)).reduce((s, f) => s + BigInt(f.amount), 0n),
      'the payer lost the deposit and the open\'s fee, nothing else');

    await settle(open.channel_id);
    const settled = channelIn(await chain.state(), open.channel_id);
    assert.equal(settled.settled, String(PRICE), 'what the server can claim is the one voucher mpp signed');
    assertEscrowBacksChannels(await chain.state());
  });

  test('a stream long enough for several vouchers arrives whole; a short deposit is topped up; cumulative = units x price', async () => {
    const payer = await h.newPayer(chain, '1000000');
    const words = 'one two three four five six seven eight';
    const r = await h.runChat(url, { key: payer.key, rpcUrl: rpc(), stdin: streamRequest(words) });
    assert.equal(r.code, 0, r.stderr);
    const text = [...r.stdout.matchAll(/^data: (\{.*\})$/gm)].map((m) => JSON.parse(m[1]))
      .filter((d) => d.choices).map((d) => d.choices[0].delta.content ?? '').join('');
    assert.equal(text, `echo: ${words}`);
    const receipt = finalReceipt(r.stdout);
    const units = BigInt(receipt.units);
    assert.ok(units > 5n, `the stream costs more than the first deposit holds (${units} units)`);
    assert.equal(BigInt(receipt.spent), units * PRICE);

    const [open] = ofType(r.journal, 'signed');
    const vouchers = ofType(r.journal, 'voucher');
    const topUps = ofType(r.journal, 'top-up');
    assert.ok(vouchers.length >= 2, 'several vouchers during the stream');
    assert.equal(topUps.length, 2, 'a top-up (by suggestedDeposit) each time the deposit ran out');
    const cumulative = signedCumulative(r.journal, open.channel_id);
    assert.equal(cumulative, units * PRICE, 'mpp signed exactly what the stream metered');
    assert.equal(BigInt(receipt.acceptedCumulative), cumulative);
    for (const v of vouchers) assert.equal(v.channel_id, open.channel_id);

    const channel = channelIn(await chain.state(), open.channel_id);
    assert.equal(BigInt(channel.deposit), topUps.reduce((sum, t) => sum + BigInt(t.deposit), 5000n), 'the top-ups landed in the escrow');
    assert.ok(channel.events.some((e) => e.event === 'TopUp'));
    assert.ok(BigInt(channel.deposit) <= 1_000_000n, 'never past --max-deposit (default 1.00)');
    await settle(open.channel_id);
    assert.equal(BigInt(channelIn(await chain.state(), open.channel_id).settled), cumulative);
    assertEscrowBacksChannels(await chain.state());

    // History shows the call once: its channel, its vouchers and top-ups folded in.
    const history = await h.runMpp(['wallet', 'history', '--json'], { home: r.home });
    const [call] = JSON.parse(history.stdout).payments;
    assert.deepEqual([call.channel_id, call.cumulative, call.vouchers, call.top_ups, call.amount],
      [open.channel_id, String(cumulative), vouchers.length, 2, String(cumulative)]);
    const table = await h.runMpp(['wallet', 'history'], { home: r.home });
    assert.match(table.stdout, new RegExp(`session open on channel ${open.channel_id} \\(\\+${vouchers.length} vouchers, 2 top-ups\\)`));
  });

  test('the text of a metered stream prints as text, with no payment event in it', async () => {
    const payer = await h.newPayer(chain, '1000000');
    const r = await h.runMpp(['chat', '--url', url, '--network', 'testnet', '--rpc-url', rpc(), 'stream', 'this', 'please'],
      { env: { MPP_PRIVATE_KEY: payer.key } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'echo: stream this please\n');
    assert.doesNotMatch(r.stderr, /without a Payment-Receipt/, 'the stream\'s own receipt counts');
    const journal = h.readJournal(r.home);
    assert.ok(ofType(journal, 'voucher').length >= 1);
    assert.equal(ofType(journal, 'settled')[0].reference_source, 'receipt');
  });

  test('a batch pays its lines on one channel: one open, then vouchers only', async () => {
    const payer = await h.newPayer(chain, '1000000');
    const home = h.makeHome();
    const file = `${home}/prompts.jsonl`;
    (await import('node:fs')).writeFileSync(file, '"one"\n"two"\n"three"\n');
    const r = await h.runMpp(['chat', '--url', url, '--network', 'testnet', '--rpc-url', rpc(), '--no-stream', '--batch', file],
      { env: { MPP_PRIVATE_KEY: payer.key }, home });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.output).sort(), ['echo: one', 'echo: three', 'echo: two']);
    const signed = ofType(h.readJournal(home), 'signed');
    assert.deepEqual(signed.map((x) => x.mode).sort(), ['session open', 'session voucher', 'session voucher']);
    assert.equal(new Set(signed.map((x) => x.channel_id)).size, 1, 'one channel for the whole batch');
    assert.deepEqual(signed.map((x) => x.cumulative), ['1000', '2000', '3000'], 'vouchers one after another');
    const opened = (await chain.state()).channels.filter((c) => c.descriptor.payer === lower(payer.address));
    assert.equal(opened.length, 1);
  });

  test('--max-amount below what the stream needs stops paying with exit 5, keeps the text, and never signs past the cap', async () => {
    const payer = await h.newPayer(chain, '1000000');
    const cap = 6100n; // the open's fee (2100 on the stand-in) plus four units
    const r = await h.runMpp(['chat', '--url', url, '--network', 'testnet', '--rpc-url', rpc(), '--max-amount', '0.0061',
      'one two three four five six seven eight nine ten'], { env: { MPP_PRIVATE_KEY: payer.key } });
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, /over the per-call cap of 0\.0061 \(--max-amount\); mpp stopped paying and signed nothing more/);
    assert.match(r.stdout, /^echo: one /, 'what arrived before the stop stays printed');
    assert.ok(!r.stdout.includes('ten'));
    const journal = h.readJournal(r.home);
    const [open] = ofType(journal, 'signed');
    const cumulative = signedCumulative(journal, open.channel_id);
    assert.ok(cumulative + BigInt(open.fee) <= cap, `signed ${cumulative} + fee ${open.fee} within the cap ${cap}`);
    assert.match(ofType(journal, 'settled')[0].note ?? '', /answer stopped/);
    await settle(open.channel_id);
    assert.equal(BigInt(channelIn(await chain.state(), open.channel_id).settled), cumulative, 'the server holds nothing beyond it');
  });
});

describe('a route offering a session and a charge', { timeout: h.SUITE_TIMEOUT_MS }, () => {
  let chain;
  let url;
  before(async () => {
    chain = await h.startChain();
    const service = await h.startSessionService({ rpc: `${chain.url}/server`, amount: String(PRICE), suggestedDeposit: '5000' });
    url = `${service.url}/both/v1/chat/completions`;
    await chain.fund(h.RECIPIENT.address, '1000000');
  });

  const payWith = async (args) => {
    const payer = await h.newPayer(chain, '1000000');
    const start = await chain.state();
    const r = await h.runChat(url, { key: payer.key, rpcUrl: `${chain.url}/client`, args, verbose: true });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /echo: hello paid world/);
    const state = await chain.state();
    const toPayee = h.transfersFrom(state, payer.address, start).filter((t) => t.to === lower(h.RECIPIENT.address));
    return { r, payer, opened: state.channels.filter((c) => c.descriptor.payer === lower(payer.address)), transfers: toPayee };
  };

  test('--intent charge pays by charge: one transfer to the payee, no channel', async () => {
    const { r, opened, transfers } = await payWith(['--intent', 'charge']);
    assert.equal(opened.length, 0);
    assert.deepEqual(transfers.map((t) => [t.to, t.amount]), [[lower(h.RECIPIENT.address), String(PRICE)]]);
    assert.notEqual(ofType(r.journal, 'signed')[0].mode, 'session open');
  });

  test('--intent session pays by session: one channel, no transfer to the payee', async () => {
    const { r, opened, transfers } = await payWith(['--intent', 'session']);
    assert.equal(opened.length, 1);
    assert.equal(transfers.length, 0);
    assert.equal(ofType(r.journal, 'signed')[0].mode, 'session open');
    assert.match(r.stderr, /challenge 2\/2 \(tempo\/charge, .*not chosen: intent charge: --intent session pays session offers only/);
  });

  test('auto with no channel open pays by charge and says why', async () => {
    const { r, opened, transfers } = await payWith([]);
    assert.equal(opened.length, 0);
    assert.equal(transfers.length, 1);
    assert.match(r.stderr, /challenge 1\/2 \(tempo\/session, .*but challenge 2 is a charge, which mpp prefers to opening a channel/);
  });

  test('MPP_INTENT=session and a bad --intent', async () => {
    const payer = await h.newPayer(chain, '1000000');
    const r = await h.runChat(url, { key: payer.key, rpcUrl: `${chain.url}/client`, env: { MPP_INTENT: 'session' } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(ofType(r.journal, 'signed')[0].mode, 'session open');
    const bad = await h.runChat(url, { key: payer.key, rpcUrl: `${chain.url}/client`, args: ['--intent', 'both'] });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /the intent 'both' from --intent is not one mpp knows \(use auto, charge or session\)/);
    assert.equal(bad.journal.length, 0);
  });

  test('quote shows the session offer\'s price per unit, unit type and the deposit it would lock', async () => {
    const r = await h.runMpp(['quote', '--url', url, '--network', 'testnet', '--rpc-url', `${chain.url}/client`, '--json', '--max-deposit', '0.004', 'hi']);
    assert.equal(r.code, 0, r.stderr);
    const [session, charge] = JSON.parse(r.stdout).challenges;
    assert.equal(session.intent, 'session');
    assert.deepEqual([session.amount_base_units, session.unit_type, session.escrow, session.session_protocol, session.suggested_deposit_base_units, session.deposit_base_units],
      [String(PRICE), 'token', ESCROW, 'v2', '5000', '4000']);
    assert.equal(charge.chosen, true);
    const text = await h.runMpp(['quote', '--url', url, '--network', 'testnet', '--rpc-url', `${chain.url}/client`, 'hi']);
    assert.match(text.stdout, /price +0\.001 pathUSD per token \(1000 base units\)/);
    assert.match(text.stdout, /deposit +would lock 0\.005 pathUSD in a new channel/);
  });
});

describe('session offers mpp refuses', { timeout: h.SUITE_TIMEOUT_MS }, () => {
  let chain;
  let fault;
  before(async () => {
    chain = await h.startChain();
    fault = await h.startFaultServer({ amount: '1000', recipient: h.RECIPIENT.address });
  });

  for (const [mode, why] of [
    ['session-v1', /legacy v1 session \(no sessionProtocol "v2"\); mpp pays only TIP-1034 v2/],
    ['session-unknown-escrow', /escrow 0xE1c4d3dCe17Bc111181dDf716f75BAe49e61a336 is not the trusted escrow 0x4d50500000000000000000000000000000000000 \(--escrow ADDRESS trusts another one/i],
  ]) {
    test(`${mode}: refused with exit 5, nothing signed or journaled`, async () => {
      const payer = await h.newPayer(chain, '1000000');
      const start = await chain.state();
      const r = await h.runChat(`${fault.url}/fault/${mode}/t/v1/chat/completions`, { key: payer.key, rpcUrl: `${chain.url}/client` });
      assert.equal(r.code, 5, r.stderr);
      assert.match(r.stderr, why);
      assert.match(r.stderr, /nothing was paid/);
      assert.equal(r.journal.length, 0);
      assert.equal((await chain.state()).txs.length, start.txs.length);
      const logged = (await fault.requests()).filter((x) => x.path.includes(`/fault/${mode}/`));
      assert.equal(logged.length, 1, 'the probe only');
      assert.ok(!logged[0].hasAuthorization && !logged[0].hasPaymentAuthorization, 'no credential was sent');
    });
  }
});

describe('channels outlive the process', { timeout: h.SUITE_TIMEOUT_MS }, () => {
  let chain;
  let service;
  let cheap; // a tenth of the price and a deposit for a long stream: room to be killed mid-stream
  before(async () => {
    chain = await h.startChain({ closeGraceSeconds: 2 });
    service = await h.startSessionService({ rpc: `${chain.url}/server`, amount: String(PRICE), suggestedDeposit: '5000' });
    cheap = await h.startSessionService({ rpc: `${chain.url}/server`, amount: '100', suggestedDeposit: '100000' });
  });
  const chatArgs = (url) => ['chat', '--url', url, '--network', 'testnet', '--rpc-url', `${chain.url}/client`];
  const payerChannels = (state, payer) => state.channels.filter((c) => c.descriptor.payer === lower(payer.address));
  const opensBy = (state, since, payer) => state.txs.slice(since.txs.length).filter((t) => t.from === lower(payer.address));

  test('two mpp processes with one data directory: one open in total; the second call adds exactly one price', async () => {
    const payer = await h.newPayer(chain, '1000000');
    const home = h.makeHome();
    const start = await chain.state();
    const url = `${service.url}/v1/chat/completions`;
    const first = await h.runChat(url, { key: payer.key, rpcUrl: `${chain.url}/client`, home });
    assert.equal(first.code, 0, first.stderr);
    const second = await h.runChat(url, { key: payer.key, rpcUrl: `${chain.url}/client`, home, verbose: true });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /sending the payment credential \(session voucher/);
    const state = await chain.state();
    assert.equal(opensBy(state, start, payer).length, 1, 'one transaction from the payer in total');
    assert.equal(payerChannels(state, payer).length, 1);
    const signed = ofType(second.journal, 'signed');
    assert.deepEqual(signed.map((r) => [r.mode, r.cumulative]), [['session open', '1000'], ['session voucher', '2000']]);
    assert.equal(signed[0].channel_id, signed[1].channel_id);
  });

  test('wallet balance shows what channels lock; an old channel is named on stderr before the next call', async () => {
    const payer = await h.newPayer(chain, '1000000');
    const home = h.makeHome();
    const url = `${service.url}/v1/chat/completions`;
    const first = await h.runChat(url, { key: payer.key, rpcUrl: `${chain.url}/client`, home });
    assert.equal(first.code, 0, first.stderr);
    const balance = await h.runMpp(['wallet', 'balance', '--network', 'testnet', '--rpc-url', `${chain.url}/client`, '--json'], { env: { MPP_PRIVATE_KEY: payer.key }, home });
    assert.equal(balance.code, 0, balance.stderr);
    const pathUsd = JSON.parse(balance.stdout).balances.find((b) => b.symbol === 'pathUSD');
    assert.deepEqual([pathUsd.channels, pathUsd.locked_in_channels_base_units, pathUsd.signed_to_payees_base_units], [1, '5000', '1000']);
    const text = await h.runMpp(['wallet', 'balance', '--network', 'testnet', '--rpc-url', `${chain.url}/client`], { env: { MPP_PRIVATE_KEY: payer.key }, home });
    assert.match(text.stdout, /\+ 0\.005 locked in 1 channel \(0\.001 signed to payees; up to 0\.004 comes back on close/);
    await new Promise((r) => setTimeout(r, 2100));
    const later = await h.runChat(url, { key: payer.key, rpcUrl: `${chain.url}/client`, home, env: { MPP_CHANNEL_WARN_AGE: '2s' } });
    assert.equal(later.code, 0, later.stderr);
    assert.match(later.stderr, /1 payment channel has held a deposit for over 2 s, 0\.004 of it unspent; 'mpp wallet channels close --all' returns it/);
  });

  test('--batch -j 4 of 20 prompts: one channel, 20 paid answers, cumulative = 20 x price, no voucher refused', async () => {
    const payer = await h.newPayer(chain, '1000000');
    const home = h.makeHome();
    const fs = await import('node:fs');
    fs.writeFileSync(`${home}/prompts.jsonl`, Array.from({ length: 20 }, (_, i) => JSON.stringify(`prompt ${i}`)).join('\n') + '\n');
    const r = await h.runMpp([...chatArgs(`${service.url}/v1/chat/completions`), '--no-stream', '--batch', `${home}/prompts.jsonl`, '-j', '4'],
      { env: { MPP_PRIVATE_KEY: payer.key }, home });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 20);
    assert.deepEqual(lines.map((l) => l.output).sort(), Array.from({ length: 20 }, (_, i) => `echo: prompt ${i}`).sort());
    const journal = h.readJournal(home);
    assert.equal(ofType(journal, 'refused').length, 0);
    const signed = ofType(journal, 'signed');
    assert.equal(signed.length, 20);
    assert.equal(new Set(signed.map((x) => x.channel_id)).size, 1);
    const cumulatives = signed.map((x) => BigInt(x.cumulative)).sort((a, b) => (a < b ? -1 : 1));
    assert.deepEqual(cumulatives, Array.from({ length: 20 }, (_, i) => BigInt(i + 1) * PRICE), 'strictly increasing, never two alike');
    const state = await chain.state();
    assert.equal(payerChannels(state, payer).length, 1);
  });

  test('SIGKILL mid-stream: the next call continues on the same channel above every voucher signed', async () => {
    const payer = await h.newPayer(chain, '1000000');
    const home = h.makeHome();
    const words = Array.from({ length: 300 }, (_, i) => `w${i}`).join(' ');
    const run = h.spawnMpp([...chatArgs(`${cheap.url}/v1/chat/completions`), '-v', words], { env: { MPP_PRIVATE_KEY: payer.key }, home });
    await h.waitFor(() => (run.stderr().match(/voucher for/g) ?? []).length >= 3, { what: 'three vouchers' });
    run.proc.kill('SIGKILL');
    const killed = await run.done;
    assert.equal(killed.signal, 'SIGKILL');
    const before = h.readJournal(home);
    const [open] = ofType(before, 'signed');
    const highest = signedCumulative(before, open.channel_id);
    assert.ok(highest >= 300n, `several vouchers were signed (${highest})`);
    // The journal notes each increment, then the store takes the new cumulative, then the voucher is
    // signed and sent: a kill between the first two leaves the journal one increment ahead of the
    // store, for a voucher that was never signed.
    const fs = await import('node:fs');
    const [file] = fs.readdirSync(`${home}/channels`).filter((f) => f.endsWith('.json'));
    const stored = BigInt(JSON.parse(fs.readFileSync(`${home}/channels/${file}`, 'utf8')).cumulative);
    assert.ok(stored === highest || stored === highest - 100n, `the store (${stored}) holds the journal's highest (${highest}) or one increment less`);
    const start = await chain.state();
    const next = await h.runChat(`${cheap.url}/v1/chat/completions`, { key: payer.key, rpcUrl: `${chain.url}/client`, home });
    assert.equal(next.code, 0, next.stderr); // the service took it: above every voucher it had accepted
    const after = ofType(next.journal, 'signed').at(-1);
    assert.equal(after.mode, 'session voucher');
    assert.equal(after.channel_id, open.channel_id);
    assert.equal(BigInt(after.cumulative), stored + 100n, 'one price above the highest voucher the store kept');
    assert.ok(BigInt(after.cumulative) >= highest, 'never below a voucher that may have been signed');
    assert.equal(opensBy(await chain.state(), start, payer).length, 0, 'no second open');
  });

  test('SIGKILL after the open is on disk and sent: the next call finds the open on chain and continues on it', async () => {
    const payer = await h.newPayer(chain, '1000000');
    const home = h.makeHome();
    await chain.fault('slow', 1500); // the server's broadcast of the open takes a while
    let run;
    try {
      run = h.spawnMpp([...chatArgs(`${service.url}/v1/chat/completions`), '-v', '--no-stream', 'hello'], { env: { MPP_PRIVATE_KEY: payer.key }, home });
      await h.waitFor(() => /sending the payment credential \(session open/.test(run.stderr()), { what: 'the open credential' });
      await new Promise((r) => setTimeout(r, 500));
      run.proc.kill('SIGKILL');
      await run.done;
    } finally {
      await chain.fault(null);
    }
    const fs = await import('node:fs');
    const [file] = fs.readdirSync(`${home}/channels`).filter((f) => f.endsWith('.json'));
    const record = JSON.parse(fs.readFileSync(`${home}/channels/${file}`, 'utf8'));
    assert.equal(record.status, 'opening');
    assert.equal(record.pending.kind, 'open');
    await h.waitFor(async () => payerChannels(await chain.state(), payer).length === 1, { what: 'the server to broadcast the open' });
    const next = await h.runChat(`${service.url}/v1/chat/completions`, { key: payer.key, rpcUrl: `${chain.url}/client`, home, verbose: true });
    assert.equal(next.code, 0, next.stderr);
    assert.match(next.stderr, /opened by an earlier call, is on chain/);
    const last = ofType(next.journal, 'signed').at(-1);
    assert.equal(last.mode, 'session voucher');
    assert.equal(last.channel_id, record.channel_id);
    assert.equal(payerChannels(await chain.state(), payer).length, 1);
  });
});

describe('a channel the service reports gone', { timeout: h.SUITE_TIMEOUT_MS }, () => {
  test('is confirmed on chain before it is marked stale; the next call opens a new one', async () => {
    const { viem, viemAccounts, viemChains, mppxTempo } = await h.loadDeps();
    const chain = await h.startChain({ closeGraceSeconds: 1 });
    const service = await h.startSessionService({ rpc: `${chain.url}/server`, amount: String(PRICE), suggestedDeposit: '5000' });
    const payer = await h.newPayer(chain, '1000000');
    const home = h.makeHome();
    const url = `${service.url}/v1/chat/completions`;
    const first = await h.runChat(url, { key: payer.key, rpcUrl: `${chain.url}/client`, home });
    assert.equal(first.code, 0, first.stderr);
    const [open] = ofType(first.journal, 'signed');
    // The payer's own forced close, behind mpp's back: requestClose, then withdraw after the grace.
    const client = viem.createClient({ account: viemAccounts.privateKeyToAccount(payer.key), chain: viemChains.tempoModerato, pollingInterval: 100, transport: viem.http(`${chain.url}/client`, { retryCount: 0 }) });
    const descriptor = { payer: open.payer, payee: open.recipient, operator: open.operator, token: open.currency, salt: open.salt, authorizedSigner: open.authorized_signer, expiringNonceHash: open.expiring_nonce_hash };
    await mppxTempo.Session.Precompile.Chain.requestCloseOnChain(client, descriptor);
    await new Promise((r) => setTimeout(r, 1500));
    await mppxTempo.Session.Precompile.Chain.withdrawOnChain(client, descriptor);
    const gone = channelIn(await chain.state(), open.channel_id);
    assert.deepEqual([gone.open, gone.deposit], [false, '0'], 'the channel is gone on chain');
    await new Promise((r) => setTimeout(r, 5200)); // mppx re-reads chain state after 5 s

    const refused = await h.runChat(url, { key: payer.key, rpcUrl: `${chain.url}/client`, home });
    assert.equal(refused.code, 4, refused.stderr);
    assert.match(refused.stderr, /is gone and the chain agrees; the next call opens a new one/);
    const fs = await import('node:fs');
    const [file] = fs.readdirSync(`${home}/channels`).filter((f) => f.endsWith('.json'));
    assert.equal(JSON.parse(fs.readFileSync(`${home}/channels/${file}`, 'utf8')).status, 'stale');
    const next = await h.runChat(url, { key: payer.key, rpcUrl: `${chain.url}/client`, home });
    assert.equal(next.code, 0, next.stderr);
    const reopened = ofType(next.journal, 'signed').at(-1);
    assert.equal(reopened.mode, 'session open');
    assert.notEqual(reopened.channel_id, open.channel_id);
  });
});
