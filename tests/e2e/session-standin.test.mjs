// Proves the chain stand-in's TIP-1034 escrow and session-service.mjs are real: mppx 0.11's own
// session client (tempo.session.manager) pays the unmodified mppx 0.11 tempo.session server, and the
// stand-in judges what moved. Every test reconciles balances exactly: payer -> escrow on open and
// topUp, escrow -> payee (what was captured) and escrow -> payer (the refund) on close or withdraw,
// plus the fees the stand-in lists per transaction.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as h from './lib.mjs';

const { viem, viemAccounts, viemChains, viemTempo, mppxClient, mppxTempo } = await h.loadDeps();
const viemTempoTransaction = () => viemTempo.Transaction;
const { Chain: EscrowChain, Voucher } = mppxTempo.Session.Precompile;
const ESCROW = '0x4d50500000000000000000000000000000000000';
const TOKEN = h.TOKENS.pathUSD;
const PRICE = 1000n;
const CLOSE_GRACE_SECONDS = 3;
const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';
const CHANNEL_OPENED_TOPIC = '0xdebaba36f0e9c7978f536fed432d9360b1f9646d7ca88531c34c3eae43f154a7';

after(h.stopAll);

const lower = (a) => a.toLowerCase();
const balanceIn = (state, who, token = TOKEN) => BigInt(state.balances[lower(token)]?.[lower(who)] ?? 0);
const feesPaidBy = (state, who, since) => state.fees.slice(since ? since.fees.length : 0)
  .filter((f) => f.payer === lower(who)).reduce((sum, f) => sum + BigInt(f.amount), 0n);
const channelIn = (state, channelId) => state.channels.find((c) => c.channelId === lower(channelId));
const eventsOf = (channel) => channel.events.map((e) => e.event);
const chat = (content, extra = {}) => JSON.stringify({ model: 'm', messages: [{ role: 'user', content }], ...extra });
const post = (body) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(30_000) });

const escrowAbi = mppxTempo.Session.Precompile.escrowAbi;
const escrowData = (functionName, ...args) => viem.encodeFunctionData({ abi: escrowAbi, functionName, args });
const requestCloseData = (descriptor) => escrowData('requestClose', descriptor);
const withdrawData = (descriptor) => escrowData('withdraw', descriptor);
const settleData = (descriptor, cumulative, signature) => escrowData('settle', descriptor, cumulative, signature);
/** The 4-byte selector of an argument-less custom error, computed here (not taken from the stand-in). */
const errorSelector = (name) => viem.keccak256(viem.stringToHex(`${name}()`)).slice(0, 10);

/** closeGraceEnd of the CloseRequested event in transaction `hash`. */
async function closeGraceEndOf(chain, hash) {
  const receipt = await chain.rpc('eth_getTransactionReceipt', [hash]);
  const [event] = viem.parseEventLogs({ abi: escrowAbi, logs: receipt.logs, eventName: 'CloseRequested' });
  return event.args.closeGraceEnd;
}

/** A viem client on the stand-in for `key` (RPC calls tagged /client). */
function viemClient(chain, key) {
  return viem.createClient({
    account: viemAccounts.privateKeyToAccount(key), chain: viemChains.tempoModerato, pollingInterval: 100,
    transport: viem.http(`${chain.url}/client`, { retryCount: 0 }),
  });
}

/** mppx 0.11's session client for `key`, capped at `maxDeposit` (human units). */
function sessionClient(chain, key, maxDeposit = '0.1') {
  return mppxClient.tempo.session.manager({ account: viemAccounts.privateKeyToAccount(key), client: viemClient(chain, key), maxDeposit });
}

/** What the escrow holds in `token` must be what its open channels hold: deposit - settled each. */
function assertEscrowBacksChannels(state, token = TOKEN) {
  const held = state.channels.filter((c) => c.open && c.descriptor.token === lower(token))
    .reduce((sum, c) => sum + BigInt(c.deposit) - BigInt(c.settled), 0n);
  assert.equal(balanceIn(state, ESCROW, token), held, 'escrow balance equals the open channels\' deposit - settled');
  for (const c of state.channels) {
    assert.equal(BigInt(c.totalDeposited), BigInt(c.paidToPayee) + BigInt(c.refundedToPayer) + BigInt(c.deposit) - BigInt(c.settled),
      `channel ${c.channelId}: deposits = paid + refunded + still held`);
  }
}

describe('open, vouchers and a cooperative close (plain JSON)', { timeout: h.SUITE_TIMEOUT_MS }, () => {
  let chain;
  let service;
  let payer;
  before(async () => {
    chain = await h.startChain({ closeGraceSeconds: CLOSE_GRACE_SECONDS });
    service = await h.startSessionService({ rpc: `${chain.url}/server`, amount: String(PRICE), suggestedDeposit: '5000' });
    payer = await h.newPayer(chain, '1000000');
    await chain.fund(h.RECIPIENT.address, '1000000'); // the payee pays the gas of close
  });

  test('the 402 offers a v2 session on the canonical escrow', async () => {
    const res = await fetch(`${service.url}/v1/chat/completions`, post(chat('hi')));
    assert.equal(res.status, 402);
    const header = res.headers.get('www-authenticate');
    assert.match(header, /intent="session"/);
    const request = JSON.parse(Buffer.from(/request="([^"]+)"/.exec(header)[1], 'base64url').toString('utf8'));
    assert.deepEqual(request, {
      amount: '1000', currency: TOKEN, recipient: h.RECIPIENT.address, suggestedDeposit: '5000', unitType: 'token',
      methodDetails: { chainId: 42431, escrowContract: ESCROW, sessionProtocol: 'v2' },
    });
  });

  test('one open, then vouchers only; close captures spent and refunds the rest', async () => {
    const manager = sessionClient(chain, payer.key);
    const start = await chain.state();
    const url = `${service.url}/v1/chat/completions`;
    const answers = [];
    for (const word of ['one', 'two', 'three']) {
      const res = await manager.fetch(url, post(chat(word)));
      assert.equal(res.status, 200, await res.clone().text());
      answers.push((await res.json()).choices[0].message.content);
      assert.equal(res.receipt.channelId, manager.channelId);
    }
    assert.deepEqual(answers, ['echo: one', 'echo: two', 'echo: three']);
    assert.equal(manager.cumulative, 3n * PRICE);

    const open = await chain.state();
    const channel = channelIn(open, manager.channelId);
    assert.ok(channel, 'the stand-in derived the same channel id as the mppx client');
    assert.deepEqual(channel.descriptor, {
      payer: lower(payer.address), payee: lower(h.RECIPIENT.address), operator: '0x0000000000000000000000000000000000000000',
      token: TOKEN, salt: channel.descriptor.salt, authorizedSigner: lower(payer.address), expiringNonceHash: channel.descriptor.expiringNonceHash,
    });
    assert.deepEqual([channel.open, channel.deposit, channel.settled, channel.closeRequestedAt], [true, '5000', '0', 0]);
    assert.deepEqual(eventsOf(channel), ['ChannelOpened']);
    // Exactly one transaction from the payer: the open, broadcast by the server.
    const payerTxs = open.txs.slice(start.txs.length).filter((t) => t.from === lower(payer.address));
    assert.equal(payerTxs.length, 1);
    assert.equal(balanceIn(start, payer.address) - balanceIn(open, payer.address), 5000n + feesPaidBy(open, payer.address, start));
    assertEscrowBacksChannels(open);
    // getChannelState through the RPC agrees.
    const state = await EscrowChain.getChannelState(viemClient(chain, payer.key), manager.channelId);
    assert.deepEqual(state, { settled: 0n, deposit: 5000n, closeRequestedAt: 0 });

    // The open's receipt carries the TIP-20 Transfer into the escrow, then ChannelOpened, in the
    // standard log shape (what eth_getLogs filters).
    const openTx = await chain.rpc('eth_getTransactionReceipt', [channel.events[0].txHash]);
    const logs = openTx.logs.map((l) => [l.address, l.topics[0], l.logIndex, l.blockNumber, l.transactionHash]);
    assert.deepEqual(logs, [
      [TOKEN, TRANSFER_TOPIC, '0x0', openTx.blockNumber, openTx.transactionHash],
      [ESCROW, CHANNEL_OPENED_TOPIC, '0x1', openTx.blockNumber, openTx.transactionHash],
    ]);
    const [opened] = viem.parseEventLogs({ abi: escrowAbi, logs: openTx.logs, eventName: 'ChannelOpened' });
    assert.equal(opened.args.channelId, manager.channelId);
    assert.equal(opened.args.deposit, 5000n);
    assert.equal(lower(opened.args.payer), lower(payer.address));

    const receipt = await manager.close();
    assert.equal(receipt.acceptedCumulative, '3000');
    assert.equal(receipt.spent, '3000');
    const closed = await chain.state();
    const final = channelIn(closed, manager.channelId);
    assert.deepEqual([final.open, final.paidToPayee, final.refundedToPayer], [false, '3000', '2000']);
    assert.deepEqual(eventsOf(final), ['ChannelOpened', 'ChannelClosed']);
    assert.ok(final.events[1].txHash === receipt.txHash);
    // Payer: initial - what was captured - its own fees (only the open's); payee: + captured - close fee.
    assert.equal(balanceIn(start, payer.address) - balanceIn(closed, payer.address), 3000n + feesPaidBy(closed, payer.address, start));
    assert.equal(balanceIn(closed, h.RECIPIENT.address) - balanceIn(start, h.RECIPIENT.address), 3000n - feesPaidBy(closed, h.RECIPIENT.address, start));
    assert.equal(balanceIn(closed, ESCROW), 0n);
    assertEscrowBacksChannels(closed);
    // The channel is gone on chain; a later voucher is refused by the server.
    assert.deepEqual(await EscrowChain.getChannelState(viemClient(chain, payer.key), manager.channelId), { settled: 0n, deposit: 0n, closeRequestedAt: 0 });
  });
});

/** The `content` deltas of an SSE answer's `message` data, joined. */
const textOf = (messages) => messages.map((m) => JSON.parse(m).choices?.[0]?.delta?.content ?? '').join('');
const managementPosts = (requests, action) => requests.filter((r) => r.credential?.action === action && r.bodyBytes === 0);

describe('a metered SSE stream: need-voucher, top-ups, cooperative close', { timeout: h.SUITE_TIMEOUT_MS }, () => {
  let chain;
  let service;
  before(async () => {
    chain = await h.startChain({ closeGraceSeconds: CLOSE_GRACE_SECONDS });
    service = await h.startSessionService({ rpc: `${chain.url}/server`, amount: String(PRICE), suggestedDeposit: '5000' });
    await chain.fund(h.RECIPIENT.address, '1000000');
  });

  test('every upstream event is one unit; the deposit is topped up; the close refunds exactly', async () => {
    const payer = await h.newPayer(chain, '1000000');
    const manager = sessionClient(chain, payer.key);
    const start = await chain.state();
    const words = 'one two three four five six seven eight nine ten';
    const receipts = [];
    const stream = await manager.sse(`${service.url}/openrouter/v1/chat/completions`, {
      ...post(chat(words, { stream: true })), onReceipt: (r) => receipts.push(r),
    });
    const messages = [];
    for await (const data of stream) messages.push(data);
    assert.equal(textOf(messages), `echo: ${words}`);
    // role chunk + "echo: " + ten words + finish chunk; [DONE] is dropped, never charged.
    const units = 1 + 1 + 10 + 1;
    assert.equal(messages.length, units);
    assert.equal(receipts.length, 1);
    assert.deepEqual([receipts[0].spent, receipts[0].units, receipts[0].acceptedCumulative], [String(units * 1000), units, String(units * 1000)]);
    assert.equal(manager.cumulative, BigInt(units) * PRICE);

    const streamed = await chain.state();
    const channel = channelIn(streamed, manager.channelId);
    // Opened with suggestedDeposit 5000; each top-up adds suggestedDeposit (the shortfall is smaller).
    const topUps = eventsOf(channel).filter((e) => e === 'TopUp').length;
    assert.equal(topUps, 2);
    assert.deepEqual([channel.deposit, channel.totalDeposited, channel.settled], ['15000', '15000', '0']);
    const requests = await service.requests();
    assert.equal(managementPosts(requests, 'topUp').length, topUps);
    assert.ok(managementPosts(requests, 'voucher').length >= units - 1 - topUps, 'mid-stream vouchers came as body-less POSTs');
    // The payer sent three transactions (open, two top-ups), all broadcast by the server.
    const payerTxs = streamed.txs.slice(start.txs.length).filter((t) => t.from === lower(payer.address));
    assert.equal(payerTxs.length, 3);
    assert.equal(balanceIn(start, payer.address) - balanceIn(streamed, payer.address), 15000n + feesPaidBy(streamed, payer.address, start));
    assertEscrowBacksChannels(streamed);

    const receipt = await manager.close();
    assert.equal(receipt.spent, String(units * 1000));
    const closed = await chain.state();
    const final = channelIn(closed, manager.channelId);
    assert.deepEqual([final.open, final.paidToPayee, final.refundedToPayer], [false, String(units * 1000), String(15000 - units * 1000)]);
    assert.equal(balanceIn(start, payer.address) - balanceIn(closed, payer.address), BigInt(units) * PRICE + feesPaidBy(closed, payer.address, start));
    assert.equal(balanceIn(closed, h.RECIPIENT.address) - balanceIn(start, h.RECIPIENT.address),
      BigInt(units) * PRICE - feesPaidBy(closed, h.RECIPIENT.address, start));
    assertEscrowBacksChannels(closed);
  });

  test('unitType "request": a whole stream costs one unit', async () => {
    const payer = await h.newPayer(chain, '1000000');
    const manager = sessionClient(chain, payer.key);
    const receipts = [];
    const stream = await manager.sse(`${service.url}/per-request/v1/chat/completions`, {
      ...post(chat('a b c d e f g h', { stream: true })), onReceipt: (r) => receipts.push(r),
    });
    const messages = [];
    for await (const data of stream) messages.push(data);
    assert.equal(textOf(messages), 'echo: a b c d e f g h');
    assert.deepEqual([receipts[0].spent, receipts[0].units], ['1000', 1]);
    await manager.close();
    const final = channelIn(await chain.state(), manager.channelId);
    assert.deepEqual([final.paidToPayee, final.refundedToPayer], ['1000', '4000']);
  });
});

describe('sponsored: the server pays the gas of open and close', { timeout: h.SUITE_TIMEOUT_MS }, () => {
  test('the payer moves by exactly what was captured, the fee payer by the fees', async () => {
    const chain = await h.startChain({ closeGraceSeconds: CLOSE_GRACE_SECONDS });
    const service = await h.startSessionService({ rpc: `${chain.url}/server`, amount: String(PRICE), suggestedDeposit: '5000', feePayer: h.FEE_PAYER.key });
    await chain.fund(h.FEE_PAYER.address, '1000000');
    const payer = await h.newPayer(chain, '1000000');
    const probe = await fetch(`${service.url}/v1/chat/completions`, post(chat('hi')));
    assert.match(Buffer.from(/request="([^"]+)"/.exec(probe.headers.get('www-authenticate'))[1], 'base64url').toString(), /"feePayer":true/);

    const manager = sessionClient(chain, payer.key);
    const start = await chain.state();
    for (const word of ['one', 'two']) assert.equal((await manager.fetch(`${service.url}/v1/chat/completions`, post(chat(word)))).status, 200);
    const open = await chain.state();
    const openTx = open.txs.slice(start.txs.length).find((t) => t.from === lower(payer.address));
    assert.deepEqual([openTx.sponsored, openTx.feePayer], [true, lower(h.FEE_PAYER.address)]);
    assert.equal(feesPaidBy(open, payer.address, start), 0n);
    assert.equal(balanceIn(start, payer.address) - balanceIn(open, payer.address), 5000n);

    await manager.close();
    const closed = await chain.state();
    const final = channelIn(closed, manager.channelId);
    assert.deepEqual([final.paidToPayee, final.refundedToPayer], ['2000', '3000']);
    assert.equal(balanceIn(start, payer.address) - balanceIn(closed, payer.address), 2000n, 'the payer paid exactly the two units, no fee');
    assert.equal(feesPaidBy(closed, h.RECIPIENT.address, start), 0n, 'the fee payer sponsored the close too');
    const sponsorFees = closed.fees.slice(start.fees.length).filter((f) => f.payer === lower(h.FEE_PAYER.address));
    assert.equal(sponsorFees.length, 2);
    assert.equal(balanceIn(closed, h.RECIPIENT.address) - balanceIn(start, h.RECIPIENT.address), 2000n);
    assertEscrowBacksChannels(closed);
  });
});

describe('forced close: requestClose, settle during the grace period, withdraw', { timeout: h.SUITE_TIMEOUT_MS }, () => {
  test('withdraw refunds deposit - settled once the grace period is over, not before', async () => {
    const chain = await h.startChain({ closeGraceSeconds: CLOSE_GRACE_SECONDS });
    const service = await h.startSessionService({ rpc: `${chain.url}/server`, amount: String(PRICE), suggestedDeposit: '5000' });
    await chain.fund(h.RECIPIENT.address, '1000000');
    const payer = await h.newPayer(chain, '1000000');
    const manager = sessionClient(chain, payer.key);
    const start = await chain.state();
    assert.equal((await manager.fetch(`${service.url}/v1/chat/completions`, post(chat('hi')))).status, 200);
    const channelId = manager.channelId;
    const { descriptor } = channelIn(await chain.state(), channelId);
    const payerClient = viemClient(chain, payer.key);
    const payeeClient = viemClient(chain, h.RECIPIENT.key);
    const read = () => EscrowChain.getChannelState(payerClient, channelId);

    const grace = await chain.rpc('eth_call', [{ to: ESCROW, data: '0x956c8327' }, 'latest']);
    assert.equal(BigInt(grace), BigInt(CLOSE_GRACE_SECONDS));
    // Only the payer may start the timer.
    await assert.rejects(chain.rpc('eth_call', [{ from: h.RECIPIENT.address, to: ESCROW, data: requestCloseData(descriptor) }]),
      (e) => e.code === 3 && e.data === errorSelector('NotPayer'));

    await EscrowChain.requestCloseOnChain(payerClient, descriptor);
    const requested = await read();
    assert.ok(requested.closeRequestedAt > 0);
    const afterRequest = channelIn(await chain.state(), channelId);
    assert.deepEqual(eventsOf(afterRequest), ['ChannelOpened', 'CloseRequested']);
    const graceEnd = await closeGraceEndOf(chain, afterRequest.events[1].txHash);
    assert.equal(graceEnd, BigInt(requested.closeRequestedAt + CLOSE_GRACE_SECONDS));
    // Too early: CloseNotReady, on simulation and on submission; nothing moves.
    await assert.rejects(chain.rpc('eth_call', [{ from: payer.address, to: ESCROW, data: withdrawData(descriptor) }]),
      (e) => e.code === 3 && e.data === errorSelector('CloseNotReady'));
    const early = await chain.state();
    await assert.rejects(EscrowChain.withdrawOnChain(payerClient, descriptor));
    assert.deepEqual((await chain.state()).balances, early.balances);

    // During the grace period the payee can still claim the voucher it holds.
    const voucher = await Voucher.signVoucher(payerClient, viemAccounts.privateKeyToAccount(payer.key), { channelId, cumulativeAmount: 1000n }, ESCROW, 42431);
    await EscrowChain.settleOnChain(payeeClient, descriptor, 1000n, voucher);
    assert.deepEqual(await read(), { ...requested, settled: 1000n });
    // A replayed or lower voucher does not pay twice.
    await assert.rejects(chain.rpc('eth_call', [{ from: h.RECIPIENT.address, to: ESCROW, data: settleData(descriptor, 1000n, voucher) }]),
      (e) => e.code === 3 && e.data === errorSelector('AmountNotIncreasing'));

    await new Promise((r) => setTimeout(r, (CLOSE_GRACE_SECONDS + 1) * 1000));
    await EscrowChain.withdrawOnChain(payerClient, descriptor);
    const done = await chain.state();
    const final = channelIn(done, channelId);
    assert.deepEqual([final.open, final.paidToPayee, final.refundedToPayer], [false, '1000', '4000']);
    assert.deepEqual(eventsOf(final), ['ChannelOpened', 'CloseRequested', 'Settled', 'ChannelClosed']);
    assert.deepEqual(await read(), { settled: 0n, deposit: 0n, closeRequestedAt: 0 });
    // Payer: the settled voucher plus the fees of its open, requestClose and withdraw.
    assert.equal(feesPaidBy(done, payer.address, start) > 0n, true);
    assert.equal(balanceIn(start, payer.address) - balanceIn(done, payer.address), 1000n + feesPaidBy(done, payer.address, start));
    assert.equal(balanceIn(done, h.RECIPIENT.address) - balanceIn(start, h.RECIPIENT.address), 1000n - feesPaidBy(done, h.RECIPIENT.address, start));
    assertEscrowBacksChannels(done);
    // The server can no longer close a channel that is gone; nothing moves.
    await assert.rejects(manager.close());
    assert.deepEqual((await chain.state()).balances, done.balances);
  });
});

describe('escrow rules, driven with hand-signed transactions', { timeout: h.SUITE_TIMEOUT_MS }, () => {
  let chain;
  let payer;
  let signTempoTx;
  let transferCall;
  const salt = (n) => `0x${n.toString(16).padStart(64, '0')}`;
  const openCall = (p, { deposit = 5000n, token = TOKEN, payee = h.RECIPIENT.address, s = salt(1) } = {}) => ({
    to: ESCROW, data: escrowData('open', payee, '0x0000000000000000000000000000000000000000', token, deposit, s, p.address),
  });
  const revertsWith = (name) => (e) => e.code === 3 && e.data === errorSelector(name);
  const simulate = (from, data) => chain.rpc('eth_call', [{ from, to: ESCROW, data }]);
  // Fixed gas: 100,000 at 25 gwei = 2500 base units of fee.
  const sign = (key, calls, extra = {}) => signTempoTx({ key, calls, gas: 100_000n, maxFeePerGas: 25_000_000_000n, ...extra });

  before(async () => {
    ({ signTempoTx, transferCall } = await import('./signing.mjs'));
    chain = await h.startChain({ closeGraceSeconds: CLOSE_GRACE_SECONDS });
    payer = await h.newPayer(chain, '10000');
  });

  test('views agree with mppx and viem', async () => {
    const d = { payer: payer.address, payee: h.RECIPIENT.address, operator: '0x0000000000000000000000000000000000000000', token: TOKEN,
      salt: salt(7), authorizedSigner: payer.address, expiringNonceHash: salt(9) };
    const id = mppxTempo.Session.Precompile.Channel.computeId({ ...d, chainId: 42431, escrow: ESCROW });
    assert.equal(await chain.rpc('eth_call', [{ to: ESCROW, data: escrowData('computeChannelId', d.payer, d.payee, d.operator, d.token, d.salt, d.authorizedSigner, d.expiringNonceHash) }]), id);
    const digest = viem.hashTypedData({
      domain: { name: 'TIP20 Channel Reserve', version: '1', chainId: 42431, verifyingContract: ESCROW },
      types: { Voucher: [{ name: 'channelId', type: 'bytes32' }, { name: 'cumulativeAmount', type: 'uint96' }] },
      primaryType: 'Voucher', message: { channelId: id, cumulativeAmount: 12345n },
    });
    assert.equal(await chain.rpc('eth_call', [{ to: ESCROW, data: escrowData('getVoucherDigest', id, 12345n) }]), digest);
    const state = await chain.rpc('eth_call', [{ to: ESCROW, data: escrowData('getChannel', d) }]);
    const decoded = viem.decodeFunctionResult({ abi: escrowAbi, functionName: 'getChannel', data: state });
    assert.deepEqual(decoded.state, { settled: 0n, deposit: 0n, closeRequestedAt: 0 });
    assert.equal(lower(decoded.descriptor.payer), lower(payer.address));
    // Undecodable calldata reverts without data, like the node's ABI dispatch.
    await assert.rejects(simulate(payer.address, `${escrowData('getChannelState', id)}00`), (e) => e.code === 3 && e.data === '0x');
  });

  test('a transaction\'s calls are atomic: a failing transfer undoes the open', async () => {
    const before = await chain.state();
    const raw = await sign(payer.key, [openCall(payer), transferCall(TOKEN, h.RECIPIENT.address, 6000n)], { feeToken: TOKEN });
    await assert.rejects(chain.rpc('eth_sendRawTransaction', [raw]), /insufficient balance/);
    const after = await chain.state();
    assert.deepEqual([after.balances, after.channels, after.txs.length], [before.balances, before.channels, before.txs.length]);

    const ok = await sign(payer.key, [openCall(payer), transferCall(TOKEN, h.RECIPIENT.address, 1000n)], { feeToken: TOKEN });
    const hash = await chain.rpc('eth_sendRawTransaction', [ok]);
    const receipt = await chain.rpc('eth_getTransactionReceipt', [hash]);
    assert.deepEqual(receipt.logs.map((l) => [l.address, l.topics[0]]), [
      [TOKEN, TRANSFER_TOPIC], [ESCROW, CHANNEL_OPENED_TOPIC], [TOKEN, TRANSFER_TOPIC],
    ]);
    const mined = await chain.state();
    assert.equal(balanceIn(before, payer.address) - balanceIn(mined, payer.address), 5000n + 1000n + 2500n);
    assert.equal(mined.channels.length, 1);
    assertEscrowBacksChannels(mined);
    // The expiring-nonce hash the chain seeded is mppx's keccak256(encodeForSigning || sender).
    const tx = viemTempoTransaction().deserialize(ok);
    const expected = mppxTempo.Session.Precompile.Channel.computeExpiringNonceHash(tx, { sender: payer.address });
    assert.equal(mined.channels[0].descriptor.expiringNonceHash, expected);
  });

  test('custom errors revert with their selectors; nothing moves', async () => {
    const before = await chain.state();
    await assert.rejects(simulate(payer.address, openCall(payer, { deposit: 0n }).data), revertsWith('ZeroDeposit'));
    await assert.rejects(simulate(payer.address, openCall(payer, { payee: TOKEN }).data), revertsWith('InvalidPayee'));
    await assert.rejects(simulate(payer.address, openCall(payer, { token: '0x20c00000000000000000000000000000000000ff' }).data), revertsWith('InvalidToken'));
    const { descriptor } = before.channels[0];
    const missing = { ...descriptor, salt: salt(99) };
    await assert.rejects(simulate(payer.address, escrowData('topUp', missing, 1n)), revertsWith('ChannelNotFound'));
    await assert.rejects(simulate(h.RECIPIENT.address, escrowData('topUp', descriptor, 1n)), revertsWith('NotPayer'));
    await assert.rejects(simulate(payer.address, escrowData('close', descriptor, 1000n, 1000n, '0x')), revertsWith('NotPayeeOrOperator'));
    await assert.rejects(simulate(h.RECIPIENT.address, escrowData('close', descriptor, 1000n, 2000n, '0x')), revertsWith('CaptureAmountInvalid'));
    await assert.rejects(simulate(h.RECIPIENT.address, escrowData('close', descriptor, 1000n, 1000n, `0x${'11'.repeat(65)}`)), revertsWith('InvalidSignature'));
    await assert.rejects(simulate(h.RECIPIENT.address, escrowData('settle', descriptor, 6000n, '0x')), revertsWith('AmountExceedsDeposit'));
    await assert.rejects(simulate(payer.address, escrowData('topUp', descriptor, (1n << 96n) - 5000n)), revertsWith('DepositOverflow'));
    await assert.rejects(simulate(payer.address, escrowData('withdraw', descriptor)), revertsWith('CloseNotReady'));
    // On submission too: the revert comes back as the JSON-RPC error, and the transaction is not mined.
    const raw = await sign(h.RECIPIENT.key, [{ to: ESCROW, data: escrowData('topUp', descriptor, 1n) }]);
    await assert.rejects(chain.rpc('eth_sendRawTransaction', [raw]), revertsWith('NotPayer'));
    // Opening the same channel twice in one transaction: the second sees it already exists.
    const twice = await sign(payer.key, [openCall(payer, { deposit: 1n, s: salt(5) }), openCall(payer, { deposit: 1n, s: salt(5) })]);
    await assert.rejects(chain.rpc('eth_sendRawTransaction', [twice]), revertsWith('ChannelAlreadyExists'));
    const after = await chain.state();
    assert.deepEqual([after.balances, after.channels], [before.balances, before.channels]);
  });

  test('a sponsor co-signing the same open twice replays its context hash; fee tokens of escrow-only transactions', async () => {
    const sponsor = await h.newPayer(chain, '100000');
    const other = await h.newPayer(chain, '100000');
    const spender = await h.newPayer(chain, '100000', h.TOKENS.AlphaUSD);
    await chain.fund(spender.address, '100000');
    const window = { validBefore: Math.floor(Date.now() / 1000) + 20, validAfter: 1_000_000 };
    const calls = [openCall(spender, { token: h.TOKENS.AlphaUSD, s: salt(11), deposit: 1000n })];
    const first = await sign(spender.key, calls, { ...window, feePayer: sponsor.key });
    const second = await sign(spender.key, calls, { ...window, feePayer: other.key });
    assert.notEqual(viem.keccak256(first), viem.keccak256(second));
    const before = await chain.state();
    await chain.rpc('eth_sendRawTransaction', [first]);
    await assert.rejects(chain.rpc('eth_sendRawTransaction', [second]), /expiring nonce already used/);
    const sponsored = await chain.state();
    const [fee] = sponsored.fees.slice(before.fees.length);
    assert.deepEqual([fee.payer, fee.token, fee.sponsored], [lower(sponsor.address), h.TOKENS.pathUSD, true], 'sponsored without feeToken: pathUSD');

    // Self-paid and escrow-only without a feeToken: the fee is paid in the channel's token.
    const selfPaid = await sign(spender.key, [openCall(spender, { token: h.TOKENS.AlphaUSD, s: salt(12), deposit: 1000n })]);
    await chain.rpc('eth_sendRawTransaction', [selfPaid]);
    const paid = await chain.state();
    const [own] = paid.fees.slice(sponsored.fees.length);
    assert.deepEqual([own.payer, own.token], [lower(spender.address), h.TOKENS.AlphaUSD]);
    assert.equal(balanceIn(sponsored, spender.address, h.TOKENS.AlphaUSD) - balanceIn(paid, spender.address, h.TOKENS.AlphaUSD), 1000n + 2500n);
    assertEscrowBacksChannels(paid, h.TOKENS.AlphaUSD);
  });
});
