// `mpp chat --raw` against misbehaving servers, a misbehaving RPC, and bad local input. For every case:
// the exit code, one `mpp: error:` line on stderr naming the problem, nothing on stdout on failure, how
// many credentials the server saw (never a second one), and the journal against the stand-in.
//
// The fault server never settles: a credential it accepts moves nothing on the chain. So for its
// modes the signed transaction is checked through --dump-credential instead (its hash is the journal's
// tx_hash) and the stand-in must show no transfer from the payer at all.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './lib.mjs';

after(h.stopAll);

const skip = h.mppBinary() ? false : 'MPP_BIN is not set (ctest sets it to the built mpp binary)';
const BODY = JSON.stringify(h.CHAT_REQUEST);
const STREAM_BODY = JSON.stringify({ ...h.CHAT_REQUEST, stream: true });
const RECIPIENT_B = '0x90F79bf6EB2c4f870365E785982E1f101E93b906'; // the fault server's alternate recipient
const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const lower = (a) => a.toLowerCase();
// fault-modes.mjs's SSE chunk, for the byte-exact pass-through checks.
const sseChunk = (content) => `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content } }] })}\n\n`;

/** stderr is exactly one line, `mpp: error: ...`, matching every pattern. Returns the line. */
function assertOneErrorLine(r, ...patterns) {
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, 1, `expected one stderr line, got:\n${r.stderr}`);
  assert.match(lines[0], /^mpp: error: /);
  for (const p of patterns) assert.match(lines[0], p);
  return lines[0];
}

/** POST with a raw node:http client; resolves {status, headers, body} or {error, body} when cut. */
function rawPost(url, headers = {}) {
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
      res.on('error', (e) => resolve({ status: res.statusCode, body, error: e.code ?? e.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ error: e.code ?? e.message }));
    req.end(BODY);
  });
}

describe('mpp chat --raw under faults', { skip, timeout: h.SUITE_TIMEOUT_MS }, () => {
  let chain;
  let rpcUrl;
  let svc; // reference server, self-paid pull (and push)
  let pushSvc; // reference server, push only
  let fault;
  let seq = 0;

  before(async () => {
    chain = await h.startChain();
    rpcUrl = `${chain.url}/client`;
    const rpc = `${chain.url}/server`;
    [svc, pushSvc, fault] = await Promise.all([
      h.startPaidService({ rpc, amount: '1000', recipient: h.RECIPIENT.address }),
      h.startPaidService({ rpc, amount: '1000', recipient: h.RECIPIENT.address, pushOnly: true }),
      h.startFaultServer({ amount: '1000', recipient: h.RECIPIENT.address }),
    ]);
  });

  const faultUrl = (mode) => {
    const tag = `f${++seq}`;
    return { url: `${fault.url}/fault/${mode}/${tag}/v1/chat/completions`, tag };
  };
  const faultRequests = async (tag) => (await fault.requests()).filter((r) => r.path.includes(`/${tag}/`));
  const credentialsIn = (reqs) => reqs.filter((r) => r.credential || r.hasAuthorization || r.hasPaymentAuthorization);

  /**
   * One run against a fault mode, from a fresh funded payer, dumping the credential. Checks what holds
   * in every case: the stand-in shows no transfer from the payer (the fault server never settles),
   * the journal is consistent, at most one credential reached the server, and a journaled tx hash is
   * the hash of the transaction that was actually sent.
   */
  async function runFault(mode, { args = [], stdin = BODY, home, checkCredentials = true } = {}) {
    const payer = await h.newPayer(chain);
    const before = await chain.state();
    const { url, tag } = faultUrl(mode);
    const dump = path.join(h.makeHome(), 'credential');
    const earlier = home ? h.readJournal(home).length : 0; // records of earlier runs sharing `home`
    const r = await h.runChat(url, { key: payer.key, rpcUrl, args: ['--dump-credential', dump, ...args], stdin, home });
    const reqs = await faultRequests(tag);
    const transfers = h.transfersFrom(await chain.state(), payer.address, before);
    assert.deepEqual(transfers, [], 'the fault server never settles: nothing may move');
    h.assertJournalMatchesChain(r.journal, transfers);
    if (checkCredentials) assert.ok(credentialsIn(reqs).length <= 1, `more than one credential: ${JSON.stringify(reqs)}`);
    for (const x of reqs) assert.equal(x.bodySha256, sha256(stdin), 'every attempt carries the same body bytes');
    let credential = null;
    const signed = r.journal.slice(earlier).filter((x) => x.type === 'signed');
    if (signed.length > 0) {
      credential = await h.decodeCredentialFile(dump);
      assert.equal(credential.challenge.id, signed.at(-1).challenge_id);
      if (credential.tx) assert.equal(credential.tx.hash, signed.at(-1).tx_hash);
    }
    return { r, reqs, tag, payer, credential };
  }

  // ---- after the credential was sent ------------------------------------------------------------

  test('close-after-credential: exit 3, journal unknown with the tx hash, no second credential',
    async () => {
      const { r, reqs } = await runFault('close-after-credential', { checkCredentials: false });
      assert.equal(r.code, 3, r.stderr);
      assert.equal(r.stdout, '');
      assert.deepEqual(r.journal.map((x) => x.type), ['signed', 'unknown']);
      assert.match(r.journal[0].tx_hash, /^0x[0-9a-f]{64}$/);
      assertOneErrorLine(r, /after the payment credential was sent/, new RegExp(r.journal[0].tx_hash), /unknown/);
      // Last, so the assertions above still report: the credential must have been sent exactly once.
      assert.deepEqual(reqs.map((x) => [Boolean(x.credential), x.status]), [[false, 402], [true, 'aborted']]);
    });

  test('hang before any answer (--timeout 2): exit 3, nothing signed', async () => {
    const { r, reqs } = await runFault('hang', { args: ['--timeout', '2'] });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(reqs.length, 1);
    assert.equal(credentialsIn(reqs).length, 0);
    assert.deepEqual(r.journal, []);
    assertOneErrorLine(r, /could not reach/, /timed out/i);
  });

  test('hang-after-payment (--timeout 2): exit 3, journal unknown with the tx hash, no second credential', async () => {
    const { r, reqs } = await runFault('hang-after-payment', { args: ['--timeout', '2'] });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(reqs.length, 2);
    assert.equal(credentialsIn(reqs).length, 1);
    assert.deepEqual(r.journal.map((x) => x.type), ['signed', 'unknown']);
    assertOneErrorLine(r, /timed out/i, new RegExp(r.journal[0].tx_hash), /may have settled/);
  });

  test('500-after-payment: exit 4, journal refused, no second credential', async () => {
    const { r, reqs } = await runFault('500-after-payment');
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(reqs.map((x) => [Boolean(x.credential), x.status]), [[false, 402], [true, 500]]);
    assert.deepEqual(r.journal.map((x) => x.type), ['signed', 'refused']);
    assertOneErrorLine(r, /HTTP 500/, /did not pay again/);
  });

  test('402-again-after-payment: exit 4, journal refused, the fresh challenge is not paid', async () => {
    const { r, reqs } = await runFault('402-again-after-payment');
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(reqs.map((x) => [Boolean(x.credential), x.status]), [[false, 402], [true, 402]]);
    assert.deepEqual(r.journal.map((x) => x.type), ['signed', 'refused']);
    assertOneErrorLine(r, /HTTP 402/, /verif/i, /did not pay again/);
  });

  // ---- challenges mpp must refuse before signing -------------------------------------------------

  for (const [mode, why] of [
    ['no-challenge-402', /no usable Payment challenge/],
    ['garbled-challenge', /challenge/],
    ['garbled-request', /challenge/],
    ['expired', /expired/],
    ['unparseable-expires', /challenge/],
    ['wrong-chain', /chain 1\b.*42431/],
  ]) {
    test(`${mode}: refused locally with exit 5, no credential sent, nothing journaled`, async () => {
      const { r, reqs } = await runFault(mode);
      assert.equal(r.code, 5, r.stderr);
      assert.equal(r.stdout, '');
      assert.deepEqual(reqs.map((x) => [Boolean(x.credential), x.status]), [[false, 402]]);
      assert.deepEqual(r.journal, []);
      assertOneErrorLine(r, why, /nothing was paid/);
    });
  }

  test('an unreadable challenge: the one-line refusal says what was wrong with it (without -v)',
    async () => {
      for (const [mode, why] of [['unparseable-expires', /expire/i], ['garbled-request', /request/]]) {
        const { r } = await runFault(mode);
        assert.equal(r.code, 5, r.stderr);
        assertOneErrorLine(r, why);
      }
    });

  test('huge-header (64 KiB filler header on the 402): within mpp\'s 256 KiB header limit, so it pays normally', async () => {
    const { r, reqs } = await runFault('huge-header');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).choices[0].message.content, 'echo: hello paid world');
    assert.deepEqual(reqs.map((x) => [Boolean(x.credential), x.status]), [[false, 402], [true, 200]]);
    assert.deepEqual(r.journal.map((x) => x.type), ['signed', 'settled']);
  });

  test('huge-challenge (64 KiB description): whatever the outcome, at most one credential and an honest journal', async () => {
    const { r, reqs } = await runFault('huge-challenge');
    assert.notEqual(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(credentialsIn(reqs).length, 0, 'the server never accepted a credential');
    assert.ok(r.journal.every((x) => x.type !== 'settled'));
    assertOneErrorLine(r, /./);
  });

  test('huge-challenge: refused locally (exit 5) instead of signing a credential too big to send',
    async () => {
      const { r } = await runFault('huge-challenge');
      assert.equal(r.code, 5, r.stderr);
      assert.deepEqual(r.journal, []);
      assertOneErrorLine(r, /challenge/);
    });

  test('recipient-changes: two runs each pay the recipient their own challenge named, one credential each', async () => {
    // The fault server alternates the recipient on every 402 of this mode. What mpp must do: pay
    // exactly the recipient of the challenge it answers (journal, credential and signed transfer agree),
    // never re-use an earlier challenge, and never pay twice in one run.
    const home = h.makeHome();
    const first = await runFault('recipient-changes', { home });
    const second = await runFault('recipient-changes', { home });
    const paidTo = [];
    for (const { r, reqs, credential } of [first, second]) {
      assert.equal(r.code, 0, r.stderr);
      assert.equal(credentialsIn(reqs).length, 1);
      const signed = r.journal.filter((x) => x.type === 'signed').at(-1);
      assert.equal(lower(credential.request.recipient), lower(signed.recipient));
      assert.deepEqual(credential.transfers.map((t) => [t.to, t.amount]), [[lower(signed.recipient), 1000n]]);
      assert.equal(reqs.find((x) => x.credential).credential.challengeId, signed.challenge_id);
      paidTo.push(lower(signed.recipient));
    }
    assert.deepEqual(new Set(paidTo), new Set([lower(h.RECIPIENT.address), lower(RECIPIENT_B)]));
    assert.deepEqual(second.r.journal.map((x) => x.type), ['signed', 'settled', 'signed', 'settled']);
  });

  // Servers that derive challenge ids from the request and a timestamp (mppx) can give parallel calls
  // one id. The journal keeps the first payment of it; every later sighting asks for a fresh one.
  test('repeat-id-twice: the paid id comes back, the next run asks again and pays the fresh challenge once', async () => {
    const home = h.makeHome();
    const first = await runFault('repeat-id-twice', { home });
    assert.equal(first.r.code, 0, first.r.stderr);
    const second = await runFault('repeat-id-twice', { home, args: ['-v'] });
    assert.equal(second.r.code, 0, second.r.stderr);
    assert.deepEqual(second.reqs.map((x) => [Boolean(x.credential), x.status]), [[false, 402], [false, 402], [true, 200]]);
    const [paidFirst, paidSecond] = [first, second].map(({ reqs }) => reqs.find((x) => x.credential).credential.challengeId);
    assert.notEqual(paidSecond, paidFirst);
    assert.deepEqual(second.r.journal.map((x) => x.type), ['signed', 'settled', 'signed', 'settled']);
    assert.deepEqual(second.r.journal.filter((x) => x.type === 'signed').map((x) => x.challenge_id), [paidFirst, paidSecond]);
    assert.match(second.r.stderr, new RegExp(`challenge ${paidFirst} of 127.0.0.1 is already paid .*; asking the server for a fresh challenge`));
  });

  test('repeat-id: a server that only ever sends the paid id gets no second payment: four asks, then exit 5', async () => {
    const home = h.makeHome();
    const first = await runFault('repeat-id', { home });
    assert.equal(first.r.code, 0, first.r.stderr);
    const second = await runFault('repeat-id', { home });
    assert.equal(second.r.code, 5, second.r.stderr);
    assert.equal(second.r.stdout, '');
    assert.deepEqual(second.reqs.map((x) => [Boolean(x.credential), x.status]), [[false, 402], [false, 402], [false, 402], [false, 402]]);
    assert.deepEqual(second.r.journal.map((x) => x.type), ['signed', 'settled']);
    assertOneErrorLine(second.r, /is already paid/, /the server sent the same id 4 times; nothing was paid again/);
  });

  test('redirect on the first request: exit 3, no credential sent to either origin', async () => {
    const { r, reqs } = await runFault('redirect');
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(reqs.map((x) => [x.origin, Boolean(x.credential), x.status]), [['main', false, 302]]);
    assert.deepEqual(r.journal, []);
    assertOneErrorLine(r, /302/);
  });

  test('redirect: the error names the Location it was sent to',
    async () => {
      const { r, tag } = await runFault('redirect');
      assert.equal(r.code, 3, r.stderr);
      const manual = await fetch(`${fault.url}/fault/redirect/${tag}/v1/chat/completions`, { method: 'POST', body: BODY, redirect: 'manual' });
      const location = manual.headers.get('location');
      assert.match(location, /^http:\/\/127\.0\.0\.1:\d+\/fault\/ok\//);
      assertOneErrorLine(r, new RegExp(location.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
    });

  test('redirect-after-payment: the credential never follows to the other origin; exit 4, not settled', async () => {
    // Documented outcome: the paid request is answered 302; mpp does not follow it, reports the
    // payment as not accepted (exit 4, "the server refused the payment (HTTP 302)") and never sends
    // the credential (or a second one) anywhere else.
    const { r, reqs } = await runFault('redirect-after-payment');
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(reqs.map((x) => [x.origin, Boolean(x.credential), x.status]), [['main', false, 402], ['main', true, 302]]);
    assert.deepEqual(r.journal.map((x) => x.type).slice(0, 1), ['signed']);
    assert.ok(['refused', 'unknown'].includes(r.journal[1]?.type), JSON.stringify(r.journal));
    assertOneErrorLine(r, /302/, new RegExp(r.journal[0].tx_hash));
  });

  test('malformed-sse with --raw: the stream is passed through byte for byte, exit 0', async () => {
    // --raw does not interpret the body: broken JSON, a field-less line and a missing [DONE] are the
    // caller's to judge. The reference is what the server sends for any credential.
    const direct = await rawPost(`${fault.url}/fault/malformed-sse/direct/v1/chat/completions`, { authorization: 'Payment e30' });
    assert.equal(direct.status, 200);
    const { r, reqs } = await runFault('malformed-sse', { stdin: STREAM_BODY });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, direct.body);
    assert.ok(!r.stdout.includes('[DONE]'));
    assert.equal(credentialsIn(reqs).length, 1);
    assert.deepEqual(r.journal.map((x) => x.type), ['signed', 'settled']);
  });

  test('truncated-sse with --raw: the events before the cut reach stdout, then exit 3 and journal settled', async () => {
    // Documented outcome: the 200 and its Payment-Receipt header arrived, then the body was cut. mpp
    // has already streamed what it received (stdout is not empty here, by nature of streaming), exits
    // 3, and journals the payment as settled: a 2xx with a receipt is the server's word that it was paid.
    const { r, reqs } = await runFault('truncated-sse', { stdin: STREAM_BODY });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, `${sseChunk('echo:')}${sseChunk(' partial')}data: {"choices":[{"del`);
    assert.equal(credentialsIn(reqs).length, 1);
    assert.deepEqual(r.journal.map((x) => x.type), ['signed', 'settled']);
    assertOneErrorLine(r, /answer was cut off .* settled/);
  });

  test('empty-reason (status line "HTTP/1.1 402 "): pays fine', async () => {
    const { r, reqs } = await runFault('empty-reason');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(JSON.parse(r.stdout).choices[0].message.content, 'echo: hello paid world');
    assert.deepEqual(reqs.map((x) => [Boolean(x.credential), x.status]), [[false, 402], [true, 200]]);
    assert.deepEqual(r.journal.map((x) => x.type), ['signed', 'settled']);
  });

  test('payment-authorization-header: the credential goes in Payment-Authorization only', async () => {
    const { r, reqs } = await runFault('payment-authorization-header');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(reqs.map((x) => [x.hasAuthorization, x.hasPaymentAuthorization, x.status]), [[false, false, 402], [false, true, 200]]);
    assert.deepEqual(r.journal.map((x) => x.type), ['signed', 'settled']);
  });

  // ---- the RPC misbehaves (chain.mjs /__fault applies to every path: the server's /server too) ----

  /** A run against the reference server with the stand-in in fault `mode` for its duration. */
  async function runWithRpcFault(service, mode, delayMs) {
    const payer = await h.newPayer(chain);
    const before = await chain.state();
    const n = (await service.requests()).length;
    const dump = path.join(h.makeHome(), 'credential');
    await chain.fault(mode, delayMs);
    let r;
    try {
      r = await h.runChat(`${service.url}/v1/chat/completions`, { key: payer.key, rpcUrl, args: ['--dump-credential', dump] });
    } finally {
      await chain.fault(null);
    }
    const after = await chain.state();
    const transfers = h.transfersFrom(after, payer.address, before);
    h.assertJournalMatchesChain(r.journal, transfers);
    const reqs = (await service.requests()).slice(n);
    assert.ok(credentialsIn(reqs).length <= 1, JSON.stringify(reqs));
    return { r, reqs, payer, before, after, transfers, dump };
  }

  test('RPC down, self-paid charge: mpp signs with default gas and fees; the server cannot settle either: exit 4, nothing moves', async () => {
    const { r, reqs, before, after, transfers, dump } = await runWithRpcFault(svc, 'down');
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stdout, '');
    const credential = await h.decodeCredentialFile(dump);
    assert.deepEqual([credential.tx.gasLimit, credential.tx.maxFeePerGas], [1_000_000n, 41_000_000_000n], 'the reference clients\' defaults');
    assert.equal(credential.tx.hash, r.journal[0].tx_hash);
    assert.deepEqual(reqs.map((x) => [Boolean(x.credential), x.status]), [[false, 402], [true, 500]]);
    assert.deepEqual(transfers, []);
    assert.deepEqual(after.balances, before.balances);
    assert.deepEqual(r.journal.map((x) => x.type), ['signed', 'refused']);
    assertOneErrorLine(r, /HTTP 500/, /did not pay again/);
  });

  test('RPC down, push-only server: the broadcast fails, exit 3, journal unknown, no credential sent', async () => {
    const { r, reqs, transfers } = await runWithRpcFault(pushSvc, 'down');
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(reqs.map((x) => [Boolean(x.credential), x.status]), [[false, 402]]);
    assert.deepEqual(transfers, []);
    assert.deepEqual(r.journal.map((x) => x.type), ['signed', 'unknown']);
    assertOneErrorLine(r, /broadcast/, new RegExp(r.journal[0].tx_hash));
  });

  test('RPC slow (700 ms per call): still pays exactly once', async () => {
    const { r, reqs, transfers, after, before } = await runWithRpcFault(svc, 'slow', 700);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).choices[0].message.content, 'echo: hello paid world');
    assert.equal(credentialsIn(reqs).length, 1);
    assert.equal(transfers.length, 1);
    assert.deepEqual(r.journal.map((x) => x.type), ['signed', 'settled']);
    assert.equal(r.journal[1].reference, transfers[0].txHash);
    const client = after.rpcCalls.slice(before.rpcCalls.length).filter((c) => c.path === '/client').map((c) => c.method);
    assert.ok(client.includes('eth_chainId'), JSON.stringify(client));
  });

  test('RPC on the wrong chain: refused locally with exit 5, nothing signed, sent or paid', async () => {
    const { r, reqs, transfers } = await runWithRpcFault(svc, 'wrongChain');
    assert.equal(r.code, 5, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(reqs.map((x) => [Boolean(x.credential), x.status]), [[false, 402]]);
    assert.deepEqual(transfers, []);
    assert.deepEqual(r.journal, []);
    assertOneErrorLine(r, /chain 4217/, /42431/);
  });

  // ---- bad local input ---------------------------------------------------------------------------

  /** A run that must fail before anything reaches the server. */
  async function runLocal({ key = h.PAYER.key, stdin = BODY, args = [], env = {} } = {}) {
    const n = (await svc.requests()).length;
    const r = await h.runChat(`${svc.url}/v1/chat/completions`, { key, rpcUrl, stdin, args, env });
    const reqs = (await svc.requests()).slice(n);
    return { r, reqs };
  }

  for (const [name, stdin, why] of [
    ['empty stdin', '', /standard input is empty/],
    ['whitespace-only stdin', ' \n\t\n', /standard input is empty/],
    ['invalid JSON on stdin', '{"messages": [', /not valid JSON/],
    ['a JSON array instead of an object', '[1, 2]', /JSON object/],
  ]) {
    test(`${name}: exit 2, nothing sent`, async () => {
      const { r, reqs } = await runLocal({ stdin });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.deepEqual(reqs, []);
      assert.deepEqual(r.journal, []);
      assertOneErrorLine(r, why);
    });
  }

  test('unknown service: exit 2, nothing sent, the error lists the known services', async () => {
    const n = (await svc.requests()).length;
    const r = await h.runMpp(['chat', '--service', 'nope', 'hello'], { env: { MPP_PRIVATE_KEY: h.PAYER.key } });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual((await svc.requests()).slice(n), []);
    assertOneErrorLine(r, /unknown service 'nope'/, /groq, grok, openrouter, openai/);
  });

  test('no key at all (empty MPP_HOME, no MPP_PRIVATE_KEY): exit 6 after the 402, no credential, nothing journaled', async () => {
    const { r, reqs } = await runLocal({ key: null });
    assert.equal(r.code, 6, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(reqs.map((x) => [Boolean(x.credential), x.status]), [[false, 402]]);
    assert.deepEqual(r.journal, []);
    assertOneErrorLine(r, /no wallet yet/, /mpp wallet new/, /MPP_PRIVATE_KEY/);
  });

  test('a malformed MPP_PRIVATE_KEY: exit 6, no credential, nothing journaled', async () => {
    const { r, reqs } = await runLocal({ key: '0x1234' });
    assert.equal(r.code, 6, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(credentialsIn(reqs).length, 0);
    assert.deepEqual(r.journal, []);
    assertOneErrorLine(r, /MPP_PRIVATE_KEY/);
    assert.ok(!r.stderr.includes('1234'), 'never echo key material');
  });

  test('--config pointing at a directory: exit 2, nothing sent', async () => {
    const dir = h.makeHome('mpp-config-dir-');
    const { r, reqs } = await runLocal({ args: ['--config', dir] });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(reqs, []);
    assertOneErrorLine(r, /config/, new RegExp(dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
  });

  test('--config naming a missing file: exit 2, nothing sent', async () => {
    const { r, reqs } = await runLocal({ args: ['--config', '/nonexistent/mpp/config.toml'] });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(reqs, []);
    assertOneErrorLine(r, /\/nonexistent\/mpp\/config\.toml/);
  });

  test('an unparseable --max-amount: exit 2, nothing sent', async () => {
    const { r, reqs } = await runLocal({ args: ['--max-amount', 'ten'] });
    assert.equal(r.code, 2, r.stderr);
    assert.deepEqual(reqs, []);
    assertOneErrorLine(r, /--max-amount/, /ten/);
  });
});
