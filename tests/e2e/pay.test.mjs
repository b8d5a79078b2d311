// Issue acceptance for `mpp chat --raw`: on loopback, against the reference server (mppx 0.11,
// paid-service.mjs) settling on the Tempo JSON-RPC stand-in (chain.mjs), and the fault server for the
// refusals. Every test pays from a fresh random key, so "exactly one transfer from the payer" and the
// balance deltas are exact; every test checks the journal against what the stand-in recorded.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './lib.mjs';

after(h.stopAll);

const skip = h.mppBinary() ? false : 'MPP_BIN is not set (ctest sets it to the built mpp binary)';
const REALM = '127.0.0.1';
const BODY = JSON.stringify(h.CHAT_REQUEST);
const STREAM_BODY = JSON.stringify({ ...h.CHAT_REQUEST, stream: true });
const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const lower = (a) => a.toLowerCase();
const TX_HASH = /0x[0-9a-f]{64}/;

/** stderr is exactly one line, `mpp: error: ...`, matching `pattern`. */
function assertOneErrorLine(r, pattern) {
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, 1, `expected one stderr line, got:\n${r.stderr}`);
  assert.match(lines[0], /^mpp: error: /);
  assert.match(lines[0], pattern);
}

const balance = (state, who, token = h.TOKENS.pathUSD) => BigInt(state.balances[lower(token)]?.[lower(who)] ?? 0);
const newSince = (state, since, key) => state[key].slice(since[key].length);

describe('mpp chat --raw pays the reference server', { skip, timeout: h.SUITE_TIMEOUT_MS }, () => {
  let chain;
  let rpcUrl;
  let svc; // self-paid, pull and push, 1000 base units; /groq/models costs 0.2 (over the default cap)
  let feeSvc; // --fee-payer: the server sponsors gas
  let pushSvc; // --push-only
  let splitSvc; // --splits
  let authSvc; // --requires-auth
  let fault;
  let oddFault; // a fault server charging in a token mpp does not know
  const UNKNOWN_TOKEN = '0x20c00000000000000000000000000000000000ff';
  const splitA = {};
  const splitB = {};
  let seq = 0;

  before(async () => {
    chain = await h.startChain();
    rpcUrl = `${chain.url}/client`;
    const rpc = `${chain.url}/server`;
    Object.assign(splitA, await h.newPayer(chain, 0));
    Object.assign(splitB, await h.newPayer(chain, 0));
    [svc, feeSvc, pushSvc, splitSvc, authSvc, fault, oddFault] = await Promise.all([
      h.startPaidService({ rpc, amount: '1000', modelsAmount: '200000', recipient: h.RECIPIENT.address }),
      h.startPaidService({ rpc, amount: '1000', recipient: h.RECIPIENT.address, feePayer: h.FEE_PAYER.key }),
      h.startPaidService({ rpc, amount: '1000', recipient: h.RECIPIENT.address, pushOnly: true }),
      h.startPaidService({ rpc, amount: '1000', recipient: h.RECIPIENT.address, splits: `${splitA.address}:300,${splitB.address}:200` }),
      h.startPaidService({ rpc, amount: '1000', recipient: h.RECIPIENT.address, requiresAuth: true }),
      h.startFaultServer({ amount: '1000', recipient: h.RECIPIENT.address }),
      h.startFaultServer({ amount: '1000', recipient: h.RECIPIENT.address, currency: UNKNOWN_TOKEN }),
    ]);
    await chain.fund(h.FEE_PAYER.address, '100000000');
  });

  /** A fault-server URL with a per-test tag, so its request log can be filtered to this test. */
  const faultUrl = (mode) => {
    const tag = `pay${++seq}`;
    return { url: `${fault.url}/fault/${mode}/${tag}/v1/chat/completions`, tag };
  };
  const faultRequests = async (tag) => (await fault.requests()).filter((r) => r.path.includes(`/${tag}/`));
  /** The service's request log entries that arrived during fn(). */
  async function newRequests(service, fn) {
    const n = (await service.requests()).length;
    const result = await fn();
    return [result, (await service.requests()).slice(n)];
  }
  /** Runs one paid call and returns {r, payer, before, after, transfers, requests}. */
  async function payOnce(service, route, { payer, args = [], stdin = BODY, verbose = true } = {}) {
    payer ??= await h.newPayer(chain);
    const before = await chain.state();
    const [r, requests] = await newRequests(service, () => h.runChat(`${service.url}${route}`, { key: payer.key, rpcUrl, args, stdin, verbose }));
    const after = await chain.state();
    const transfers = h.transfersFrom(after, payer.address, before);
    h.assertJournalMatchesChain(r.journal, transfers);
    return { r, payer, before, after, transfers, requests };
  }
  /** Probe without a credential, then exactly one credential; both carry the same body bytes. */
  function assertOneCredential(requests, body = BODY) {
    assert.equal(requests.length, 2, JSON.stringify(requests));
    assert.equal(requests[0].credential, null);
    assert.equal(requests[0].status, 402);
    assert.ok(requests[1].credential?.parsed, JSON.stringify(requests[1]));
    assert.equal(requests[0].bodySha256, sha256(body));
    assert.equal(requests[1].bodySha256, sha256(body));
    return requests[1];
  }

  test('pays once and the stand-in shows exactly one transfer of the charged amount, with the bound memo', async () => {
    const { r, payer, transfers, requests } = await payOnce(svc, '/v1/chat/completions');
    assert.equal(r.code, 0, r.stderr);
    const paid = assertOneCredential(requests);
    assert.equal(paid.status, 200);
    assert.equal(paid.credential.payloadType, 'transaction');
    assert.equal(paid.credential.source, `did:pkh:eip155:42431:${payer.address}`);

    assert.equal(transfers.length, 1, JSON.stringify(transfers));
    const [t] = transfers;
    assert.deepEqual({ token: t.token, to: t.to, amount: t.amount, kind: t.kind },
      { token: h.TOKENS.pathUSD, to: lower(h.RECIPIENT.address), amount: '1000', kind: 'transferWithMemo' });
    assert.ok(t.memo.startsWith('0xef1ed71201'), `memo ${t.memo} is not an MPP attribution memo`);
    assert.equal(t.memo, await h.attributionMemo(REALM, paid.credential.challengeId));

    // The journal: signed then settled, both naming the transaction the stand-in mined.
    assert.deepEqual(r.journal.map((x) => x.type), ['signed', 'settled']);
    const [signed, settled] = r.journal;
    assert.equal(signed.id, settled.id);
    assert.deepEqual(
      [signed.challenge_id, signed.amount, lower(signed.recipient), lower(signed.currency), signed.chain_id, signed.mode, signed.tx_hash, signed.realm],
      [paid.credential.challengeId, '1000', lower(h.RECIPIENT.address), h.TOKENS.pathUSD, 42431, 'pull', t.txHash, REALM]);
    assert.equal(settled.reference, t.txHash);

    // The receipt is reported: the -v summary names the amount and the mined transaction.
    assert.match(r.stderr, new RegExp(`paid 0\\.001 pathUSD \\+ network fee up to 0\\.0021, tx ${t.txHash}`));
    assert.equal(JSON.parse(r.stdout).choices[0].message.content, 'echo: hello paid world');
  });

  test('self-paid: the payer pays the amount plus the fee in the charged token; the recipient gains exactly the amount', async () => {
    const { r, payer, before, after, transfers } = await payOnce(svc, '/v1/chat/completions');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(transfers.length, 1);
    const fees = newSince(after, before, 'fees');
    assert.equal(fees.length, 1, JSON.stringify(fees));
    const [fee] = fees;
    assert.deepEqual([fee.txHash, fee.payer, fee.token, fee.sponsored], [transfers[0].txHash, lower(payer.address), h.TOKENS.pathUSD, false]);
    assert.ok(BigInt(fee.amount) > 0n);
    assert.equal(balance(before, payer.address) - balance(after, payer.address), 1000n + BigInt(fee.amount));
    assert.equal(balance(after, h.RECIPIENT.address) - balance(before, h.RECIPIENT.address), 1000n);
    // The sender of the mined transaction is the payer, paying its own gas in the charged token.
    const tx = after.txs.find((x) => x.hash === transfers[0].txHash);
    assert.deepEqual([tx.from, tx.feePayer, lower(tx.feeToken), tx.sponsored, tx.chainId], [lower(payer.address), lower(payer.address), h.TOKENS.pathUSD, false, 42431]);
  });

  test('stdout is exactly the upstream body: the same bytes the free route returns', async () => {
    const free = await fetch(`${svc.url}/free/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY, signal: AbortSignal.timeout(10_000) });
    assert.equal(free.status, 200);
    const expected = await free.text();
    const { r } = await payOnce(svc, '/openai/v1/chat/completions');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, expected);
    assert.equal(JSON.parse(r.stdout).choices[0].message.content, 'echo: hello paid world');
  });

  test('SSE streaming with --raw passes the event stream through unchanged', async () => {
    const free = await fetch(`${svc.url}/free/openrouter/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: STREAM_BODY, signal: AbortSignal.timeout(10_000) });
    assert.match(free.headers.get('content-type'), /text\/event-stream/);
    const expected = await free.text();
    const { r, transfers, requests } = await payOnce(svc, '/openrouter/v1/chat/completions', { stdin: STREAM_BODY });
    assert.equal(r.code, 0, r.stderr);
    assertOneCredential(requests, STREAM_BODY);
    assert.equal(transfers.length, 1);
    assert.equal(r.stdout, expected);
    assert.ok(r.stdout.endsWith('data: [DONE]\n\n'), r.stdout.slice(-80));
    const text = r.stdout.split('\n\n').filter((e) => e.startsWith('data: {'))
      .map((e) => JSON.parse(e.slice(6)).choices[0]?.delta?.content ?? '').join('');
    assert.equal(text, 'echo: hello paid world');
  });

  test('fee payer: the payer moves by exactly the amount and pays no fee; the sponsor pays it', async () => {
    const { r, payer, before, after, transfers, requests } = await payOnce(feeSvc, '/v1/chat/completions');
    assert.equal(r.code, 0, r.stderr);
    const paid = assertOneCredential(requests);
    assert.equal(paid.credential.payloadType, 'transaction');
    assert.equal(transfers.length, 1);
    const [t] = transfers;
    assert.deepEqual([t.to, t.amount], [lower(h.RECIPIENT.address), '1000']);
    assert.equal(t.memo, await h.attributionMemo(REALM, paid.credential.challengeId));
    const fees = newSince(after, before, 'fees');
    assert.deepEqual(fees.map((f) => [f.txHash, f.payer, f.sponsored]), [[t.txHash, lower(h.FEE_PAYER.address), true]]);
    for (const token of Object.values(h.TOKENS)) {
      const delta = balance(before, payer.address, token) - balance(after, payer.address, token);
      assert.equal(delta, token === h.TOKENS.pathUSD ? 1000n : 0n, `payer's ${token} balance`);
    }
    // The sponsor's final hash is only known from the receipt: the settled record carries it.
    assert.deepEqual(r.journal.map((x) => x.type), ['signed', 'settled']);
    assert.equal(r.journal[0].mode, 'pull, fee payer');
    assert.equal(r.journal[1].reference, t.txHash);
    assert.match(r.stderr, new RegExp(`tx ${t.txHash}`));
  });

  test('push only: mpp broadcasts the transaction itself and the server only reads the receipt', async () => {
    const { r, before, after, transfers, requests } = await payOnce(pushSvc, '/v1/chat/completions');
    assert.equal(r.code, 0, r.stderr);
    const paid = assertOneCredential(requests);
    assert.equal(paid.credential.payloadType, 'hash');
    assert.equal(transfers.length, 1);
    const rpc = newSince(after, before, 'rpcCalls');
    const sends = rpc.filter((c) => c.method.startsWith('eth_sendRaw'));
    assert.deepEqual(sends.map((c) => `${c.path} ${c.method}`), ['/client eth_sendRawTransactionSync']);
    assert.ok(rpc.some((c) => c.path === '/server' && c.method === 'eth_getTransactionReceipt'));
    assert.equal(r.journal[0].mode, 'push');
    assert.equal(r.journal[0].tx_hash, transfers[0].txHash);
    assert.deepEqual(r.journal.map((x) => x.type), ['signed', 'settled']);
    assert.match(r.stderr, new RegExp(`tx ${transfers[0].txHash}`));
  });

  test('zero amount: an identity proof, no transfer at all, exit 0', async () => {
    const payer = await h.newPayer(chain, 0); // unfunded: nothing to pay with, nothing needed
    const { r, before, after, transfers, requests } = await payOnce(svc, '/zero/v1/chat/completions', { payer });
    assert.equal(r.code, 0, r.stderr);
    const paid = assertOneCredential(requests);
    assert.equal(paid.credential.payloadType, 'proof');
    assert.equal(paid.status, 200);
    assert.deepEqual(transfers, []);
    assert.deepEqual(newSince(after, before, 'txs'), []);
    assert.deepEqual(r.journal.map((x) => [x.type, x.amount ?? null, x.mode ?? null]), [['signed', '0', 'proof'], ['settled', null, null]]);
    assert.equal(r.journal[0].tx_hash, '');
    assert.equal(r.journal[1].reference, paid.credential.challengeId);
    assert.equal(JSON.parse(r.stdout).choices[0].message.content, 'echo: hello paid world');
  });

  test('splits: each split recipient gets its amount and the primary the remainder, in one transaction', async () => {
    const { r, payer, before, after, transfers, requests } = await payOnce(splitSvc, '/v1/chat/completions');
    assert.equal(r.code, 0, r.stderr);
    const paid = assertOneCredential(requests);
    const memo = await h.attributionMemo(REALM, paid.credential.challengeId);
    assert.deepEqual(transfers.map((t) => [t.to, t.amount, t.memo]), [
      [lower(h.RECIPIENT.address), '500', memo], [lower(splitA.address), '300', memo], [lower(splitB.address), '200', memo]]);
    assert.equal(new Set(transfers.map((t) => t.txHash)).size, 1);
    assert.equal(balance(after, splitA.address) - balance(before, splitA.address), 300n);
    assert.equal(balance(after, splitB.address) - balance(before, splitB.address), 200n);
    const [fee] = newSince(after, before, 'fees');
    assert.equal(balance(before, payer.address) - balance(after, payer.address), 1000n + BigInt(fee.amount));
    assert.equal(r.journal[0].amount, '1000');
    assert.equal(r.journal[0].tx_hash, transfers[0].txHash);
  });

  test('Payment-Authorization: a requires-auth server gets the credential in that header only', async () => {
    const { r, transfers, requests } = await payOnce(authSvc, '/v1/chat/completions');
    assert.equal(r.code, 0, r.stderr);
    const paid = assertOneCredential(requests);
    assert.deepEqual([paid.hasAuthorization, paid.hasPaymentAuthorization, paid.status], [false, true, 200]);
    assert.equal(transfers.length, 1);
    assert.deepEqual(r.journal.map((x) => x.type), ['signed', 'settled']);
  });

  for (const mode of ['multi-challenge-one-header', 'multi-challenge-headers']) {
    test(`${mode}: skips the Bearer and session offers and pays the first payable charge`, async () => {
      const payer = await h.newPayer(chain);
      const { url, tag } = faultUrl(mode);
      const r = await h.runChat(url, { key: payer.key, rpcUrl });
      assert.equal(r.code, 0, r.stderr);
      const reqs = await faultRequests(tag);
      assert.equal(reqs.filter((x) => x.credential).length, 1);
      const paid = reqs.find((x) => x.credential);
      assert.equal(paid.credential.challengeKnown, true);
      assert.equal(r.journal[0].challenge_id, paid.credential.challengeId);
      assert.equal(lower(r.journal[0].currency), h.TOKENS.pathUSD);
      assert.deepEqual(r.journal.map((x) => x.type), ['signed', 'settled']);
    });
  }

  test('multi-challenge with --currency AlphaUSD pays the AlphaUSD offer', async () => {
    const payer = await h.newPayer(chain, '5000000', h.TOKENS.AlphaUSD);
    const { url, tag } = faultUrl('multi-challenge-one-header');
    const dump = path.join(h.makeHome(), 'credential');
    const r = await h.runChat(url, { key: payer.key, rpcUrl, args: ['--currency', h.TOKENS.AlphaUSD, '--dump-credential', dump] });
    assert.equal(r.code, 0, r.stderr);
    const paid = (await faultRequests(tag)).filter((x) => x.credential);
    assert.equal(paid.length, 1);
    assert.equal(lower(r.journal[0].currency), h.TOKENS.AlphaUSD);
    const credential = await h.decodeCredentialFile(dump);
    assert.equal(credential.challenge.id, paid[0].credential.challengeId);
    assert.equal(lower(credential.request.currency), h.TOKENS.AlphaUSD);
    assert.deepEqual(credential.transfers.map((t) => [lower(t.token), t.to, t.amount]), [[h.TOKENS.AlphaUSD, lower(h.RECIPIENT.address), 1000n]]);
    assert.equal(credential.tx.hash, r.journal[0].tx_hash);
  });

  for (const [mode, status, problem] of [['402-again-after-payment', 402, /verif/i], ['500-after-payment', 500, /500/]]) {
    test(`a server that answers ${status} after payment: exit 4, one credential only, journal refused`, async () => {
      const payer = await h.newPayer(chain);
      const before = await chain.state();
      const { url, tag } = faultUrl(mode);
      const dump = path.join(h.makeHome(), 'credential');
      const r = await h.runChat(url, { key: payer.key, rpcUrl, args: ['--dump-credential', dump] });
      assert.equal(r.code, 4, r.stderr);
      assert.equal(r.stdout, '');
      const reqs = await faultRequests(tag);
      assert.deepEqual(reqs.map((x) => [Boolean(x.credential), x.status]), [[false, 402], [true, status]]);
      assert.deepEqual(r.journal.map((x) => x.type), ['signed', 'refused']);
      const credential = await h.decodeCredentialFile(dump);
      assert.equal(credential.tx.hash, r.journal[0].tx_hash);
      assertOneErrorLine(r, problem);
      assert.ok(r.stderr.includes(r.journal[0].tx_hash), 'the error names the transaction at stake');
      const transfers = h.transfersFrom(await chain.state(), payer.address, before);
      assert.deepEqual(transfers, []);
      h.assertJournalMatchesChain(r.journal, transfers);
    });
  }

  // Behaviour changed with fees inside the caps: mpp now checks the balance before signing, so an
  // unfunded payer no longer reaches the server (it used to: exit 4, journal refused).
  test('an unfunded payer: exit 6 before signing; no credential, no journal, no transaction on chain', async () => {
    const payer = await h.newPayer(chain, 0);
    const { r, before, after, transfers, requests } = await payOnce(svc, '/v1/chat/completions', { payer, verbose: false });
    assert.equal(r.code, 6, r.stderr);
    assert.equal(r.stdout, '');
    assertOneErrorLine(r, new RegExp(`insufficient funds: ${payer.address} holds 0 pathUSD, but this payment needs 0\\.001 pathUSD plus up to [0-9.]+ pathUSD in network fees; nothing was signed\\. To fund it, get test tokens with 'mpp wallet fund --network testnet'`));
    assert.deepEqual(requests.map((x) => x.credential), [null]);
    assert.deepEqual(transfers, []);
    assert.deepEqual(newSince(after, before, 'txs'), []);
    assert.deepEqual(after.balances, before.balances);
    assert.deepEqual(r.journal, []);
    assert.equal(fs.existsSync(path.join(r.home, 'payments.jsonl')), false);
    // The balance was asked in the same JSON-RPC batch as the fee quote: one round trip.
    const batch = after.rpcCalls.slice(before.rpcCalls.length).filter((c) => c.path === '/client');
    assert.deepEqual(batch.map((c) => c.method), ['eth_chainId', 'eth_blockNumber', 'eth_call', 'eth_estimateGas', 'eth_gasPrice']);
    assert.deepEqual(batch[2].calls, [`${h.TOKENS.pathUSD}:0x70a08231`]);
  });

  test('just enough for the charge but not its fee: exit 6, the message says what is held and needed', async () => {
    const payer = await h.newPayer(chain, '1000');
    const { r, transfers, requests } = await payOnce(svc, '/v1/chat/completions', { payer, verbose: false });
    assert.equal(r.code, 6, r.stderr);
    assertOneErrorLine(r, /holds 0\.001 pathUSD, but this payment needs 0\.001 pathUSD plus up to 0\.0021 pathUSD in network fees/);
    assert.deepEqual(requests.map((x) => x.credential), [null]);
    assert.deepEqual(transfers, []);
    assert.deepEqual(r.journal, []);
  });

  test('over the per-call cap (--max-amount): refused locally with exit 5, nothing signed or sent', async () => {
    const { r, before, after, transfers, requests } = await payOnce(svc, '/v1/chat/completions', { args: ['--max-amount', '0.0005'], verbose: false });
    assert.equal(r.code, 5, r.stderr);
    assert.equal(r.stdout, '');
    assertOneErrorLine(r, /0\.001 pathUSD.*cap of 0\.0005/);
    assert.deepEqual(requests.map((x) => x.credential), [null]);
    assert.deepEqual(transfers, []);
    assert.deepEqual(newSince(after, before, 'txs'), []);
    assert.deepEqual(r.journal, []);
  });

  test('over the default cap (0.10): a 0.2 charge is refused with exit 5, nothing signed or sent', async () => {
    const { r, transfers, requests } = await payOnce(svc, '/groq/models', { verbose: false });
    assert.equal(r.code, 5, r.stderr);
    assert.equal(r.stdout, '');
    assertOneErrorLine(r, /0\.2 pathUSD.*cap of 0\.1/);
    assert.deepEqual(requests.map((x) => x.credential), [null]);
    assert.deepEqual(transfers, []);
    assert.deepEqual(r.journal, []);
  });

  test('over the daily limit: the second call is refused with exit 5 and only the first is paid', async () => {
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    const before = await chain.state();
    const run = () => h.runChat(`${svc.url}/v1/chat/completions`, { key: payer.key, rpcUrl, home, args: ['--daily-limit', '0.005'] }); // one call costs 0.001 + up to 0.0021 in fees
    const first = await run();
    assert.equal(first.code, 0, first.stderr);
    const [second, requests] = await newRequests(svc, run);
    assert.equal(second.code, 5, second.stderr);
    assert.equal(second.stdout, '');
    assertOneErrorLine(second, /daily/);
    assert.deepEqual(requests.map((x) => x.credential), [null]);
    const transfers = h.transfersFrom(await chain.state(), payer.address, before);
    assert.equal(transfers.length, 1);
    assert.deepEqual(second.journal.map((x) => x.type), ['signed', 'settled']);
    h.assertJournalMatchesChain(second.journal, transfers);
  });

  test('a currency mpp does not know: refused locally with exit 5; --exclude-currency refuses a known one', async () => {
    const payer = await h.newPayer(chain);
    const tag = `pay${++seq}`;
    const unknown = await h.runChat(`${oddFault.url}/fault/ok/${tag}/v1/chat/completions`, { key: payer.key, rpcUrl });
    assert.equal(unknown.code, 5, unknown.stderr);
    assert.equal(unknown.stdout, '');
    assertOneErrorLine(unknown, /not a known stablecoin/, /--currency/);
    assert.deepEqual(unknown.journal, []);
    assert.deepEqual((await oddFault.requests()).filter((x) => x.path.includes(`/${tag}/`)).map((x) => x.credential), [null]);

    const { url, tag: tag2 } = faultUrl('ok');
    const excluded = await h.runChat(url, { key: payer.key, rpcUrl, args: ['--exclude-currency', h.TOKENS.pathUSD] });
    assert.equal(excluded.code, 5, excluded.stderr);
    assertOneErrorLine(excluded, /excluded/);
    assert.deepEqual(excluded.journal, []);
    assert.deepEqual((await faultRequests(tag2)).map((x) => x.credential), [null]);
  });

  for (const [mode, why] of [['expired', /expired/], ['wrong-chain', /chain 1\b/]]) {
    test(`${mode} challenge: refused locally with exit 5, no credential, no transfer, no journal record`, async () => {
      const payer = await h.newPayer(chain);
      const before = await chain.state();
      const { url, tag } = faultUrl(mode);
      const r = await h.runChat(url, { key: payer.key, rpcUrl });
      assert.equal(r.code, 5, r.stderr);
      assert.equal(r.stdout, '');
      assertOneErrorLine(r, why);
      assert.deepEqual((await faultRequests(tag)).map((x) => x.credential), [null]);
      assert.deepEqual(h.transfersFrom(await chain.state(), payer.address, before), []);
      assert.deepEqual(r.journal, []);
      assert.equal(fs.existsSync(path.join(r.home, 'payments.jsonl')), false);
    });
  }
});
