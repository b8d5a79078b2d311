// The chain stand-in checks what it claims to check: the shared vectors decode and authenticate, and
// transactions signed by the reference implementation (viem/ox) are accepted or refused by the same
// rules a Tempo node applies to a payment (PROTOCOL.md sections 5 and 7).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as h from './lib.mjs';
import { deps, signTempoTx, transferCall } from './signing.mjs';

const { viem } = deps;
const { decodeTempoTransaction } = await import(pathToFileURL(path.join(h.SERVERS_DIR, 'lib/tempo-tx.mjs')).href);
const vectors = JSON.parse(fs.readFileSync(path.join(h.REPO, 'tests/data/tempo-transactions.json'), 'utf8'));
const now = () => Math.floor(Date.now() / 1000);
const pay = (amount = 1000n, memo) => [transferCall(h.TOKENS.pathUSD, h.RECIPIENT.address, amount, memo)];
// The stand-in's documented fee: the whole gas limit at maxFeePerGas, in 6-decimal units, rounded up.
const feeOf = (gas, maxFeePerGas) => (gas * maxFeePerGas + 10n ** 12n - 1n) / 10n ** 12n;

after(h.stopAll);

describe('decoder against the shared vectors', { timeout: h.SUITE_TIMEOUT_MS }, () => {
  for (const v of vectors.transactions) {
    test(`${v.name} (${v.kind})`, async () => {
      if (v.expect.signedRaw) {
        const tx = await decodeTempoTransaction(v.expect.signedRaw);
        assert.equal(tx.sender, v.sender);
        assert.equal(tx.senderHash, v.expect.senderSigningHash);
        assert.equal(tx.hash, v.expect.txHash);
        return;
      }
      const envelope = await decodeTempoTransaction(v.expect.credentialEnvelope0x78);
      assert.equal(envelope.feePayerMode, 'envelope');
      assert.equal(envelope.sender, v.sender);
      const final = await decodeTempoTransaction(v.expect.finalRaw);
      assert.equal(final.sender, v.sender);
      assert.equal(final.feePayer, v.feePayer);
      assert.equal(final.feePayerHash, v.expect.feePayerSigningHash);
      assert.equal(final.hash, v.expect.finalTxHash);
      assert.equal(final.feeToken, v.feeTokenChosenBySponsor.toLowerCase());
    });
  }

  test('refuses a non-minimal integer even when RLP round-trips', async () => {
    const items = viem.fromRlp(`0x${vectors.transactions[1].expect.signedRaw.slice(4)}`, 'hex');
    items[0] = '0x0001';
    await assert.rejects(decodeTempoTransaction(`0x76${viem.toRlp(items).slice(2)}`), /chainId: integer has a leading zero byte/);
  });
});

describe('chain stand-in over JSON-RPC', { timeout: h.SUITE_TIMEOUT_MS }, () => {
  let chain;
  before(async () => {
    chain = await h.startChain();
    await chain.rpc('tempo_fundAddress', [h.PAYER.address]);
    await chain.fund(h.FEE_PAYER.address, '5000000');
  });

  test('answers the read methods mppx and viem use', async () => {
    assert.equal(await chain.rpc('eth_chainId'), '0xa5bf');
    assert.equal(await chain.rpc('net_version'), '42431');
    const balance = await chain.rpc('eth_call', [{ to: h.TOKENS.AlphaUSD, data: `0x70a08231${h.PAYER.address.slice(2).padStart(64, '0')}` }, 'latest']);
    assert.equal(BigInt(balance), 100_000_000n);
    assert.equal(BigInt(await chain.rpc('eth_call', [{ to: h.TOKENS.pathUSD, data: '0x313ce567' }, 'latest'])), 6n);
    assert.equal(await chain.rpc('eth_call', [{ to: '0x000000000000000000000000000000000000dead', data: '0x12345678' }, 'latest']), '0x');
    const block = await chain.rpc('eth_getBlockByNumber', ['latest', false]);
    assert.equal(block.number, await chain.rpc('eth_blockNumber'));
  });

  test('mines a self-paid expiring-nonce transfer and charges the fee separately', async () => {
    const before = await chain.state();
    const raw = await signTempoTx({ key: h.PAYER.key, calls: pay(1234n, `0x${'ab'.repeat(32)}`), feeToken: h.TOKENS.AlphaUSD });
    const receipt = await chain.rpc('eth_sendRawTransactionSync', [raw]);
    assert.equal(receipt.status, '0x1');
    assert.equal(receipt.transactionHash, viem.keccak256(raw));
    assert.deepEqual(receipt.logs.map((l) => l.topics[0]), [
      '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef',
      '0x57bc7354aa85aed339e000bccffabbc529466af35f0772c8f8ee1145927de7f0',
    ]);
    const s = await chain.state();
    const transfers = s.transfers.slice(before.transfers.length);
    assert.deepEqual(transfers, [{
      txHash: receipt.transactionHash, token: h.TOKENS.pathUSD, from: h.PAYER.address.toLowerCase(),
      to: h.RECIPIENT.address.toLowerCase(), amount: '1234', memo: `0x${'ab'.repeat(32)}`, kind: 'transferWithMemo',
    }]);
    assert.deepEqual(s.fees.at(-1), {
      txHash: receipt.transactionHash, token: h.TOKENS.AlphaUSD, payer: h.PAYER.address.toLowerCase(),
      amount: feeOf(1_000_000n, 41_000_000_000n).toString(), sponsored: false,
    });
    const delta = (token, who) => BigInt(s.balances[token][who.toLowerCase()] ?? 0) - BigInt(before.balances[token]?.[who.toLowerCase()] ?? 0);
    assert.equal(delta(h.TOKENS.pathUSD, h.PAYER.address), -1234n);
    assert.equal(delta(h.TOKENS.AlphaUSD, h.PAYER.address), -41_000n);
    assert.equal(delta(h.TOKENS.pathUSD, h.RECIPIENT.address), 1234n);

    await assert.rejects(chain.rpc('eth_sendRawTransaction', [raw]), /already known/);
  });

  test('charges a sponsored transaction to the fee payer', async () => {
    const raw = await signTempoTx({ key: h.PAYER.key, calls: pay(), feeToken: h.TOKENS.pathUSD, feePayer: h.FEE_PAYER.key });
    const before = await chain.balance(h.FEE_PAYER.address);
    const receipt = await chain.rpc('eth_sendRawTransactionSync', [raw]);
    assert.equal(receipt.feePayer, h.FEE_PAYER.address.toLowerCase());
    assert.equal(before - (await chain.balance(h.FEE_PAYER.address)), 41_000n);
    const tx = (await chain.state()).txs.find((t) => t.hash === receipt.transactionHash);
    assert.equal(tx.sponsored, true);
  });

  test('refuses what a node would refuse, leaving state untouched', async () => {
    const before = await chain.state();
    const cases = [
      [{ key: h.UNFUNDED.key, calls: pay() }, /insufficient/],
      [{ key: h.PAYER.key, calls: pay(10n ** 12n) }, /insufficient balance/],
      [{ key: h.PAYER.key, calls: pay(), chainId: 4217 }, /invalid chain id/],
      [{ key: h.PAYER.key, calls: pay(), validBefore: now() + 40 }, /more than 30s/],
      [{ key: h.PAYER.key, calls: pay(), validBefore: now() - 1 }, /expired/],
      [{ key: h.PAYER.key, calls: pay(), validBefore: null }, /validBefore is required/],
      [{ key: h.PAYER.key, calls: pay(), maxFeePerGas: 1_000_000_000n, maxPriorityFeePerGas: 0n }, /base fee/],
      [{ key: h.PAYER.key, calls: pay(), feePayer: true }, /0x78 is the sponsor hand-off envelope/],
      [{ key: h.PAYER.key, calls: [transferCall(h.TOKENS.pathUSD, h.TOKENS.AlphaUSD, 1n)] }, /token address/],
      [{ key: h.PAYER.key, calls: pay(), nonceKey: 0n, nonce: 5, validBefore: null }, /nonce too high/],
    ];
    for (const [opts, pattern] of cases) {
      const raw = await signTempoTx(opts);
      await assert.rejects(chain.rpc('eth_sendRawTransactionSync', [raw]), pattern, JSON.stringify(opts, (_, v) => (typeof v === 'bigint' ? v.toString() : v)));
    }
    const marker = vectors.transactions.find((v) => v.expect.handoff0x76WithZeroMarker).expect.handoff0x76WithZeroMarker;
    await assert.rejects(chain.rpc('eth_sendRawTransaction', [marker]), /0x00 sponsorship marker/);
    const after = await chain.state();
    assert.deepEqual(after.balances, before.balances);
    assert.equal(after.transfers.length, before.transfers.length);
    assert.equal(after.fees.length, before.fees.length);
  });

  test('hashes a v=0/1 signature as if it were 27/28', async () => {
    const raw = await signTempoTx({ key: h.PAYER.key, calls: pay(7n) });
    const v = Number.parseInt(raw.slice(-2), 16);
    const lowV = `${raw.slice(0, -2)}${(v - 27).toString(16).padStart(2, '0')}`;
    const receipt = await chain.rpc('eth_sendRawTransactionSync', [lowV]);
    assert.equal(receipt.transactionHash, viem.keccak256(raw));
    assert.notEqual(receipt.transactionHash, viem.keccak256(lowV));
  });

  test('keeps 2D nonces for non-expiring keys', async () => {
    const key = 7n;
    await chain.rpc('eth_sendRawTransactionSync', [await signTempoTx({ key: h.PAYER.key, calls: pay(1n), nonceKey: key, nonce: 0, validBefore: null })]);
    await assert.rejects(chain.rpc('eth_sendRawTransactionSync', [await signTempoTx({ key: h.PAYER.key, calls: pay(2n), nonceKey: key, nonce: 0, validBefore: null })]), /nonce too low/);
  });

  test('eth_call simulates transfers and reverts an unfunded sender', async () => {
    const [call] = pay(1000n);
    await assert.rejects(chain.rpc('eth_call', [{ from: h.UNFUNDED.address, calls: [{ ...call, value: '0x' }] }, 'latest']), (e) => e.code === 3 && /InsufficientBalance|insufficient/.test(e.message));
    // transfer(address,uint256) returns bool true.
    assert.equal(BigInt(await chain.rpc('eth_call', [{ from: h.PAYER.address, calls: [call] }, 'latest'])), 1n);
  });

  test('fault modes: wrongChain, slow, down', async () => {
    await chain.fault('wrongChain');
    assert.equal(await chain.rpc('eth_chainId'), '0x1079');
    await chain.fault('slow', 300);
    const t0 = Date.now();
    await chain.rpc('eth_blockNumber');
    assert.ok(Date.now() - t0 >= 300);
    await chain.fault('down');
    await assert.rejects(chain.rpc('eth_blockNumber'));
    await chain.fault(null);
    assert.equal(await chain.rpc('eth_chainId'), '0xa5bf');
    const { rpcLog } = await chain.state();
    assert.ok(rpcLog.includes('eth_blockNumber'));
  });
});
