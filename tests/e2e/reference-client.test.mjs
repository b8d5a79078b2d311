// Proves the test servers are real: the reference mppx 0.11 client pays the reference mppx server
// (paid-service.mjs) and settlement lands on the chain stand-in exactly as charged, with the memo bound
// to the challenge. Also checks that the fault server's challenges parse with mppx's own parser.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as h from './lib.mjs';
import { deps, signTempoTx, transferCall } from './signing.mjs';

const { viem, viemAccounts, viemChains, mppx, mppxClient } = deps;
const CHAT = { messages: [{ role: 'user', content: 'hello paid world' }] };
const REALM = '127.0.0.1';

after(h.stopAll);

/** The reference client paying with `key`; its RPC calls are tagged /client on the stand-in. */
function referenceClient(chain, key, options = {}) {
  const client = viem.createClient({ chain: viemChains.tempoModerato, transport: viem.http(`${chain.url}/client`, { retryCount: 0 }) });
  return mppxClient.Mppx.create({
    polyfill: false,
    methods: [mppxClient.tempo.charge({ account: viemAccounts.privateKeyToAccount(key), getClient: () => client, ...options })],
  });
}

const post = (fetchFn, url, body = CHAT) => fetchFn(url, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000),
});
const decodeB64Json = (s) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
const k = (hex, bytes) => viem.keccak256(viem.stringToHex(hex)).slice(2, 2 + bytes * 2);

/** PROTOCOL.md 5.4 attribution memo, computed independently of mppx. */
const expectedMemo = (realm, challengeId) => `0x${k('mpp', 4)}01${k(realm, 10)}${'00'.repeat(10)}${k(challengeId, 7)}`;

function newEntries(after, before) {
  return {
    transfers: after.transfers.slice(before.transfers.length),
    fees: after.fees.slice(before.fees.length),
    rpc: after.rpcCalls.slice(before.rpcCalls.length),
  };
}
const serverCalls = (rpc) => rpc.filter((c) => c.path === '/server').map((c) => c.method);
const balanceIn = (state, who, token = h.TOKENS.pathUSD) => BigInt(state.balances[token]?.[who.toLowerCase()] ?? 0);

/**
 * A pull credential built the way a fixed-gas client (like ours) builds one: first challenge from
 * `response`, transferWithMemo with the attribution memo, gas 1,000,000 at 41 gwei, fee in `currency`.
 * envelope: sign for a fee payer and send the 0x78 hand-off envelope (no fee token).
 * Returns the whole Authorization value (mppx's serialize includes the `Payment ` scheme).
 */
async function manualCredential(response, key, { envelope = false } = {}) {
  const challenge = mppx.Challenge.fromResponse(response);
  const { amount, currency, recipient } = challenge.request;
  const account = viemAccounts.privateKeyToAccount(key);
  const validBefore = Math.min(Math.floor(Date.now() / 1000) + 25, Math.floor(Date.parse(challenge.expires) / 1000));
  const signature = await signTempoTx({
    key, calls: [transferCall(currency, recipient, BigInt(amount), expectedMemo(challenge.realm, challenge.id))], validBefore,
    ...(envelope ? { feePayer: true } : { feeToken: currency }),
  });
  return mppx.Credential.serialize({ challenge, payload: { type: 'transaction', signature }, source: `did:pkh:eip155:42431:${account.address}` });
}

describe('self-paid pull charge (reference client -> mppx server -> stand-in)', { timeout: h.SUITE_TIMEOUT_MS }, () => {
  let chain;
  let service;
  before(async () => {
    chain = await h.startChain();
    service = await h.startPaidService({ rpc: `${chain.url}/server`, amount: '1000', recipient: h.RECIPIENT.address });
    await chain.rpc('tempo_fundAddress', [h.PAYER.address]);
  });

  test('one paid call moves exactly the charged amount, with a memo bound to the challenge', async () => {
    const before = await chain.state();
    const res = await post(referenceClient(chain, h.PAYER.key).fetch, `${service.url}/v1/chat/completions`);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal((await res.json()).choices[0].message.content, 'echo: hello paid world');
    const receipt = decodeB64Json(res.headers.get('payment-receipt'));
    assert.equal(receipt.method, 'tempo');
    assert.equal(receipt.status, 'success');

    const after = await chain.state();
    const { transfers, fees, rpc } = newEntries(after, before);
    const [paid] = (await service.requests()).filter((r) => r.credential);
    assert.equal(paid.credential.payloadType, 'transaction');
    assert.deepEqual(transfers, [{
      txHash: receipt.reference, token: h.TOKENS.pathUSD, from: h.PAYER.address.toLowerCase(), to: h.RECIPIENT.address.toLowerCase(),
      amount: '1000', memo: expectedMemo(REALM, paid.credential.challengeId), kind: 'transferWithMemo',
    }]);
    assert.equal(fees.length, 1);
    assert.equal(fees[0].payer, h.PAYER.address.toLowerCase());
    assert.equal(balanceIn(before, h.PAYER.address) - balanceIn(after, h.PAYER.address), 1000n + BigInt(fees[0].amount));
    assert.equal(balanceIn(after, h.RECIPIENT.address) - balanceIn(before, h.RECIPIENT.address), 1000n);
    assert.deepEqual(serverCalls(rpc).filter((m) => m.startsWith('eth_send')), ['eth_sendRawTransactionSync']);
  });

  test('streams SSE after payment; the free route gives the same answer unpaid', async () => {
    const res = await post(referenceClient(chain, h.PAYER.key).fetch, `${service.url}/openrouter/v1/chat/completions`, { ...CHAT, stream: true });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /text\/event-stream/);
    const events = (await res.text()).split('\n\n').filter(Boolean);
    assert.equal(events.at(-1), 'data: [DONE]');
    const text = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)).choices[0]?.delta?.content ?? '').join('');
    assert.equal(text, 'echo: hello paid world');

    const paid = await post(referenceClient(chain, h.PAYER.key).fetch, `${service.url}/groq/chat`);
    const free = await post(fetch, `${service.url}/free/groq/chat`);
    assert.equal(free.status, 200);
    assert.equal(free.headers.get('payment-receipt'), null);
    assert.deepEqual(await free.json(), await paid.json());
  });

  test('an unfunded payer is refused and nothing moves', async () => {
    const before = await chain.state();
    // The reference client estimates gas first, which the stand-in reverts for an unfunded sender.
    const outcome = await post(referenceClient(chain, h.UNFUNDED.key).fetch, `${service.url}/v1/chat/completions`).then((r) => r.status, (e) => e);
    assert.notEqual(outcome, 200);
    // A fixed-gas client skips estimation: the server's simulation on the stand-in reverts, which
    // mppx 0.11 reports as a 500 internal-payment-error (with a fresh challenge), not a 402.
    const probe = await post(fetch, `${service.url}/v1/chat/completions`);
    assert.equal(probe.status, 402);
    const credential = await manualCredential(probe, h.UNFUNDED.key);
    const res = await fetch(`${service.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: credential }, body: JSON.stringify(CHAT),
    });
    assert.equal(res.status, 500);
    assert.match((await res.json()).type, /internal-payment-error/);
    assert.ok(res.headers.get('www-authenticate'));
    const after = await chain.state();
    const { transfers, fees, rpc } = newEntries(after, before);
    assert.deepEqual([transfers, fees], [[], []]);
    assert.deepEqual(after.balances, before.balances);
    assert.ok(!serverCalls(rpc).some((m) => m.startsWith('eth_send')));
  });

  test('a fixed-gas credential is accepted once; replaying it is refused', async () => {
    const before = await chain.state();
    const probe = await post(fetch, `${service.url}/v1/chat/completions`);
    const credential = await manualCredential(probe, h.PAYER.key);
    const send = () => fetch(`${service.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: credential }, body: JSON.stringify(CHAT),
    });
    assert.equal((await send()).status, 200);
    const replay = await send();
    assert.equal(replay.status, 402);
    assert.match((await replay.json()).type, /verification-failed/);
    const { transfers, fees } = newEntries(await chain.state(), before);
    assert.equal(transfers.length, 1);
    assert.equal(fees[0].amount, '41000'); // 1,000,000 gas at 41 gwei
  });
});

describe('fee-payer charge: the server sponsors gas', { timeout: h.SUITE_TIMEOUT_MS }, () => {
  let chain;
  let service;
  before(async () => {
    chain = await h.startChain();
    service = await h.startPaidService({ rpc: `${chain.url}/server`, feePayer: h.FEE_PAYER.key });
    await chain.rpc('tempo_fundAddress', [h.PAYER.address]);
    await chain.rpc('tempo_fundAddress', [h.FEE_PAYER.address]);
  });
  const sendWith = (credential) => fetch(`${service.url}/v1/chat/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: credential }, body: JSON.stringify(CHAT),
  });

  test('payer moves by exactly the amount, fee payer by exactly the fee', async () => {
    const probe = await post(fetch, `${service.url}/v1/chat/completions`);
    assert.equal(mppx.Challenge.fromResponse(probe).request.methodDetails.feePayer, true);

    const before = await chain.state();
    const res = await post(referenceClient(chain, h.PAYER.key).fetch, `${service.url}/v1/chat/completions`);
    assert.equal(res.status, 200, await res.clone().text());
    const after = await chain.state();
    const { transfers, fees, rpc } = newEntries(after, before);
    assert.equal(transfers.length, 1);
    assert.deepEqual(fees.map((f) => [f.payer, f.sponsored]), [[h.FEE_PAYER.address.toLowerCase(), true]]);
    assert.equal(balanceIn(before, h.PAYER.address) - balanceIn(after, h.PAYER.address), 1000n);
    assert.equal(balanceIn(before, h.FEE_PAYER.address, fees[0].token) - balanceIn(after, h.FEE_PAYER.address, fees[0].token), BigInt(fees[0].amount));
    assert.ok(serverCalls(rpc).includes('eth_chainId'));
    assert.equal((await service.requests()).at(-1).credential.payloadType, 'transaction');
  });

  test('a fixed-gas 0x78 envelope is co-signed and settled', async () => {
    const before = await chain.state();
    const credential = await manualCredential(await post(fetch, `${service.url}/v1/chat/completions`), h.PAYER.key, { envelope: true });
    assert.equal((await sendWith(credential)).status, 200);
    const after = await chain.state();
    const { transfers, fees } = newEntries(after, before);
    assert.equal(transfers.length, 1);
    assert.equal(fees[0].payer, h.FEE_PAYER.address.toLowerCase());
    assert.equal(balanceIn(before, h.PAYER.address) - balanceIn(after, h.PAYER.address), 1000n);
  });

  test('a self-paid 0x76 answering a feePayer challenge is refused on chain; nothing moves', async () => {
    // mppx co-signs it anyway, but the sender signed without the fee-payer marker, so the chain
    // recovers a different (unfunded) sender from the final transaction.
    const before = await chain.state();
    const credential = await manualCredential(await post(fetch, `${service.url}/v1/chat/completions`), h.PAYER.key);
    const res = await sendWith(credential);
    assert.equal(res.status, 500);
    const after = await chain.state();
    assert.deepEqual(after.balances, before.balances);
    assert.match(after.rejected.at(-1).reason, /insufficient/);
  });
});

describe('push mode: the client broadcasts, the server reads the receipt', { timeout: h.SUITE_TIMEOUT_MS }, () => {
  test('a push-only server accepts a hash credential', async () => {
    const chain = await h.startChain();
    const service = await h.startPaidService({ rpc: `${chain.url}/server`, pushOnly: true });
    await chain.rpc('tempo_fundAddress', [h.PAYER.address]);
    const probe = await post(fetch, `${service.url}/v1/chat/completions`);
    assert.deepEqual(mppx.Challenge.fromResponse(probe).request.methodDetails.supportedModes, ['push']);
    const before = await chain.state();
    const res = await post(referenceClient(chain, h.PAYER.key, { mode: 'push' }).fetch, `${service.url}/v1/chat/completions`);
    assert.equal(res.status, 200, await res.clone().text());
    const { transfers, rpc } = newEntries(await chain.state(), before);
    assert.equal(transfers.length, 1);
    assert.deepEqual([...new Set(serverCalls(rpc))], ['eth_getTransactionReceipt']);
    assert.equal((await service.requests()).at(-1).credential.payloadType, 'hash');
  });
});

describe('paid-service options, checked with the reference client', { timeout: h.SUITE_TIMEOUT_MS }, () => {
  let chain;
  before(async () => {
    chain = await h.startChain();
    await chain.rpc('tempo_fundAddress', [h.PAYER.address]);
  });

  test('--requires-auth: the credential travels in Payment-Authorization', async () => {
    const service = await h.startPaidService({ rpc: `${chain.url}/server`, requiresAuth: true });
    const probe = await post(fetch, `${service.url}/v1/chat/completions`);
    assert.equal(mppx.Challenge.fromResponse(probe).header, 'Payment-Authorization');
    const res = await post(referenceClient(chain, h.PAYER.key).fetch, `${service.url}/v1/chat/completions`);
    assert.equal(res.status, 200);
    const paid = (await service.requests()).at(-1);
    assert.deepEqual([paid.hasAuthorization, paid.hasPaymentAuthorization], [false, true]);
  });

  test('--splits: one transfer per split, the primary recipient gets the remainder', async () => {
    const service = await h.startPaidService({ rpc: `${chain.url}/server`, amount: '1000', splits: `${h.FEE_PAYER.address}:300` });
    const before = await chain.state();
    const res = await post(referenceClient(chain, h.PAYER.key).fetch, `${service.url}/v1/chat/completions`);
    assert.equal(res.status, 200);
    const { transfers } = newEntries(await chain.state(), before);
    assert.deepEqual(transfers.map((t) => [t.to, t.amount]), [[h.RECIPIENT.address.toLowerCase(), '700'], [h.FEE_PAYER.address.toLowerCase(), '300']]);
  });
});

describe('zero-amount charge: an EIP-712 proof, no transfer', { timeout: h.SUITE_TIMEOUT_MS }, () => {
  let chain;
  let service;
  before(async () => {
    chain = await h.startChain();
    service = await h.startPaidService({ rpc: `${chain.url}/server` });
  });

  test('the reference client proves instead of paying', async () => {
    const before = await chain.state();
    const res = await post(referenceClient(chain, h.UNFUNDED.key).fetch, `${service.url}/zero/v1/chat/completions`);
    assert.equal(res.status, 200, await res.clone().text());
    const paid = (await service.requests()).at(-1);
    assert.equal(paid.credential.payloadType, 'proof');
    assert.equal(decodeB64Json(res.headers.get('payment-receipt')).reference, paid.credential.challengeId);
    assert.deepEqual(newEntries(await chain.state(), before).transfers, []);
  });

  test('a proof signed by a key other than the source is refused', async () => {
    const probe = await post(fetch, `${service.url}/zero/v1/chat/completions`);
    const challenge = mppx.Challenge.fromResponse(probe);
    const impostor = viemAccounts.privateKeyToAccount(h.RECIPIENT.key);
    const signature = await impostor.signTypedData({
      domain: { name: 'MPP', version: '3', chainId: 42431 },
      types: { Proof: [{ name: 'account', type: 'address' }, { name: 'challengeId', type: 'string' }, { name: 'realm', type: 'string' }] },
      primaryType: 'Proof',
      message: { account: h.PAYER.address, challengeId: challenge.id, realm: challenge.realm },
    });
    const credential = mppx.Credential.serialize({ challenge, payload: { type: 'proof', signature }, source: `did:pkh:eip155:42431:${h.PAYER.address}` });
    const res = await fetch(`${service.url}/zero/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: credential }, body: JSON.stringify(CHAT),
    });
    assert.equal(res.status, 402);
    assert.match((await res.json()).type, /verification-failed/);
  });
});

describe('fault server challenges, checked with mppx parser', { timeout: h.SUITE_TIMEOUT_MS }, () => {
  let fault;
  before(async () => {
    fault = await h.startFaultServer();
  });
  const probe = (mode) => fetch(`${fault.url}/fault/${mode}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(CHAT), redirect: 'manual' });

  test('well-formed modes parse; the request param is canonical', async () => {
    for (const mode of ['ok', 'expired', 'wrong-chain', 'recipient-changes', 'payment-authorization-header', 'empty-reason', '402-again-after-payment']) {
      const res = await probe(mode);
      assert.equal(res.status, 402, mode);
      const www = res.headers.get('www-authenticate');
      const c = mppx.Challenge.deserialize(www);
      assert.equal(`request="${mppx.PaymentRequest.serialize(c.request)}"`, /request="[^"]*"/.exec(www)[0], mode);
      assert.deepEqual([c.method, c.intent, c.realm], ['tempo', 'charge', REALM], mode);
    }
    assert.equal(mppx.Challenge.deserialize((await probe('payment-authorization-header')).headers.get('www-authenticate')).header, 'Payment-Authorization');
    assert.ok(Date.parse(mppx.Challenge.deserialize((await probe('expired')).headers.get('www-authenticate')).expires) < Date.now());
    const recipients = new Set();
    for (let i = 0; i < 2; i++) recipients.add(mppx.Challenge.deserialize((await probe('recipient-changes')).headers.get('www-authenticate')).request.recipient);
    assert.equal(recipients.size, 2);
  });

  test('multiple challenges parse from one header line and from several', async () => {
    for (const mode of ['multi-challenge-one-header', 'multi-challenge-headers']) {
      const all = mppx.Challenge.deserializeList((await probe(mode)).headers.get('www-authenticate'));
      assert.deepEqual(all.map((c) => `${c.intent}:${c.request.currency}`), [
        `session:${h.TOKENS.pathUSD}`, `charge:${h.TOKENS.pathUSD}`, `charge:${h.TOKENS.AlphaUSD}`,
      ], mode);
    }
  });

  test('broken modes are rejected by the parser', async () => {
    for (const mode of ['garbled-challenge', 'garbled-request', 'unparseable-expires']) {
      const www = (await probe(mode)).headers.get('www-authenticate');
      assert.throws(() => mppx.Challenge.deserialize(www), undefined, mode);
    }
    assert.equal((await probe('no-challenge-402')).headers.get('www-authenticate'), null);
  });

  test('the reference client pays the ok mode, echoing a challenge the server issued', async () => {
    const chain = await h.startChain();
    await chain.rpc('tempo_fundAddress', [h.PAYER.address]);
    const res = await post(referenceClient(chain, h.PAYER.key).fetch, `${fault.url}/fault/ok/v1/chat/completions`);
    assert.equal(res.status, 200);
    const paid = (await fault.requests()).at(-1);
    assert.equal(paid.credential.challengeKnown, true);
    assert.equal(paid.hasAuthorization, true);
    assert.equal(JSON.stringify(paid).includes('signature'), false);
  });
});
