// Conformance matrix: every service shape mpp knows (Locus `/groq/chat`, `/grok/chat`, `/groq/models`;
// Tempo proxy `/openrouter/v1/chat/completions`, `/openai/v1/chat/completions` with `opaque` scopes)
// against the reference mppx 0.11 server (paid-service.mjs) settling on the chain stand-in. The stand-in
// is the judge: each paid call moves exactly the charged amount, once, from the (fresh) payer to the
// recipient (and splits), with the attribution memo bound to the challenge paid; a refused challenge moves
// nothing. All servers start once in before(); every service here runs with --scope-proxy, so the proxy
// routes carry `opaque` (mppx verifies it on the credential, and we check mpp echoed it unchanged).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './lib.mjs';

after(h.stopAll);

const skip = h.mppBinary() ? false : 'MPP_BIN is not set (ctest sets it to the built mpp binary)';
const REALM = '127.0.0.1';
const lower = (a) => a.toLowerCase();
const balance = (state, who, token = h.TOKENS.pathUSD) => BigInt(state.balances[lower(token)]?.[lower(who)] ?? 0);
const newSince = (state, since, key) => state[key].slice(since[key].length);
const CHAT_TEXT = 'echo: hello paid world\n';
const MODELS_TEXT = 'llama-3.3-70b-versatile\ngrok-3-mini\ngpt-4o-mini\nopenai/gpt-4o-mini\n';

// kind: chat shapes run `mpp chat --service`, the models shape `mpp models --service groq`.
// prefix: what --base-url adds before the preset's own path. proxy: Tempo proxy (opaque-scoped).
const SHAPES = [
  // streams: false for the Locus presets, which never ask for an event stream (SERVICES.md 1.5).
  { name: 'groq', service: 'groq', kind: 'chat', path: '/groq/chat', prefix: '', proxy: false, amount: 1000n, streams: false },
  { name: 'grok', service: 'grok', kind: 'chat', path: '/grok/chat', prefix: '', proxy: false, amount: 1000n, streams: false },
  { name: 'openrouter', service: 'openrouter', kind: 'chat', path: '/openrouter/v1/chat/completions', prefix: '/openrouter', proxy: true, amount: 1000n, streams: true },
  { name: 'openai', service: 'openai', kind: 'chat', path: '/openai/v1/chat/completions', prefix: '/openai', proxy: true, amount: 1000n, streams: true },
  { name: 'groq models', service: 'groq', kind: 'models', path: '/groq/models', prefix: '', proxy: false, amount: 5000n },
];

const ok = (r) => assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
const opaqueOf = (value) => (value === undefined ? undefined : JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));

describe('conformance: every service shape against the reference server', { skip, timeout: h.SUITE_TIMEOUT_MS }, () => {
  let chain;
  let rpcUrl;
  let svc; // self-paid, pull and push
  let feeSvc; // --fee-payer
  let pushSvc; // --push-only
  let splitSvc; // --splits
  let multiSvc; // --alt-currency AlphaUSD: two tempo charges (pathUSD, AlphaUSD) in one 402
  let fault; // the session+charge offer (once, not per shape: see the last describe)
  const splitA = {};
  const splitB = {};

  before(async () => {
    chain = await h.startChain();
    rpcUrl = `${chain.url}/client`;
    const base = { rpc: `${chain.url}/server`, amount: '1000', modelsAmount: '5000', recipient: h.RECIPIENT.address, scopeProxy: true };
    Object.assign(splitA, await h.newPayer(chain, 0));
    Object.assign(splitB, await h.newPayer(chain, 0));
    [svc, feeSvc, pushSvc, splitSvc, multiSvc, fault] = await Promise.all([
      h.startPaidService(base),
      h.startPaidService({ ...base, feePayer: h.FEE_PAYER.key }),
      h.startPaidService({ ...base, pushOnly: true }),
      h.startPaidService({ ...base, splits: `${splitA.address}:300,${splitB.address}:200` }),
      h.startPaidService({ ...base, altCurrency: h.TOKENS.AlphaUSD }),
      h.startFaultServer({ amount: '1000', recipient: h.RECIPIENT.address }),
    ]);
    await chain.fund(h.FEE_PAYER.address, '100000000');
  });

  /** argv for the shape's command against `service` (optionally under /zero), without payment flags. */
  function argv(shape, service, { zero = false, args = [] } = {}) {
    const baseUrl = `${service.url}${zero ? '/zero' : ''}${shape.prefix}`;
    const cmd = shape.kind === 'chat' ? ['chat', '--service', shape.service, '--base-url', baseUrl, ...args, 'hello', 'paid', 'world']
      : ['models', '--service', shape.service, '--base-url', baseUrl, ...args];
    return [...cmd, '--network', 'testnet', '--rpc-url', rpcUrl];
  }
  const expectedStdout = (shape) => (shape.kind === 'chat' ? CHAT_TEXT : MODELS_TEXT);

  /**
   * One paid run of `shape` on `service` from a fresh payer: {r, payer, before, after, transfers,
   * requests (this run's), paid (the credentialed request), credential (decoded --dump-credential)}.
   * Checks the journal against the stand-in and that exactly one credential was sent after one probe.
   */
  async function payOnce(shape, service, { payer, zero = false, args = [], expectCode = 0 } = {}) {
    payer ??= await h.newPayer(chain);
    const home = h.makeHome();
    const dump = path.join(home, 'credential');
    const n = (await service.requests()).length;
    const before = await chain.state();
    const r = await h.runMpp(argv(shape, service, { zero, args: [...args, '--dump-credential', dump] }), { env: { MPP_PRIVATE_KEY: payer.key }, home, timeoutMs: 30_000 });
    const after = await chain.state();
    const requests = (await service.requests()).slice(n);
    const transfers = h.transfersFrom(after, payer.address, before);
    const journal = h.readJournal(home);
    h.assertJournalMatchesChain(journal, transfers);
    if (expectCode !== 0) return { r, payer, before, after, transfers, requests, journal };
    ok(r);
    assert.equal(r.stdout, expectedStdout(shape));
    const route = `${zero ? '/zero' : ''}${shape.path}`;
    assert.deepEqual(requests.map((x) => [x.path, Boolean(x.credential), x.status]), [[route, false, 402], [route, true, 200]]);
    const paid = requests[1];
    const credential = await h.decodeCredentialFile(dump);
    assert.equal(credential.challenge.id, paid.credential.challengeId);
    assert.equal(journal.filter((x) => x.type === 'signed').length, 1, JSON.stringify(journal));
    assert.deepEqual(journal.map((x) => x.type), ['signed', 'settled']);
    return { r, payer, before, after, transfers, requests, paid, credential, journal };
  }

  /** Exactly one transaction from the payer moving `legs` [[to, amount]] of `token`, memo bound to the paid challenge. */
  async function assertPaidOnce({ transfers, paid, journal }, legs, token = h.TOKENS.pathUSD) {
    const memo = await h.attributionMemo(REALM, paid.credential.challengeId);
    assert.deepEqual(transfers.map((t) => [t.token, t.to, t.amount, t.kind, t.memo]),
      legs.map(([to, amount]) => [lower(token), lower(to), String(amount), 'transferWithMemo', memo]));
    assert.equal(new Set(transfers.map((t) => t.txHash)).size, 1, 'one transaction');
    assert.equal(BigInt(journal[0].amount), legs.reduce((s, [, a]) => s + BigInt(a), 0n));
    assert.equal(journal[1].reference, transfers[0].txHash);
  }

  for (const shape of SHAPES) {
    describe(`${shape.name} (${shape.path})`, () => {
      test('pays once: one transfer payer→recipient of the amount, memo bound; balances move by exactly that', async () => {
        const run = await payOnce(shape, svc, shape.kind === 'chat' ? { args: ['--no-stream'] } : {});
        await assertPaidOnce(run, [[h.RECIPIENT.address, shape.amount]]);
        const { payer, before, after, paid } = run;
        assert.equal(paid.credential.payloadType, 'transaction');
        assert.equal(paid.credential.source, `did:pkh:eip155:42431:${payer.address}`);
        const fees = newSince(after, before, 'fees');
        assert.equal(fees.length, 1);
        assert.deepEqual([fees[0].payer, fees[0].sponsored], [lower(payer.address), false]);
        assert.equal(balance(before, payer.address) - balance(after, payer.address), shape.amount + BigInt(fees[0].amount));
        assert.equal(balance(after, h.RECIPIENT.address) - balance(before, h.RECIPIENT.address), shape.amount);
      });

      test('splits: primary gets the remainder, each split its amount, one transaction', async () => {
        const run = await payOnce(shape, splitSvc);
        await assertPaidOnce(run, [[h.RECIPIENT.address, shape.amount - 500n], [splitA.address, 300n], [splitB.address, 200n]]);
        assert.equal(balance(run.after, splitA.address) - balance(run.before, splitA.address), 300n);
        assert.equal(balance(run.after, splitB.address) - balance(run.before, splitB.address), 200n);
      });

      test('fee-payer pays: the payer moves by exactly the amount, the sponsor pays the fee', async () => {
        const run = await payOnce(shape, feeSvc);
        await assertPaidOnce(run, [[h.RECIPIENT.address, shape.amount]]);
        const { payer, before, after, transfers } = run;
        assert.equal(run.paid.credential.payloadType, 'transaction');
        assert.equal(run.journal[0].mode, 'pull, fee payer');
        assert.deepEqual(newSince(after, before, 'fees').map((f) => [f.txHash, f.payer, f.sponsored]), [[transfers[0].txHash, lower(h.FEE_PAYER.address), true]]);
        for (const token of Object.values(h.TOKENS))
          assert.equal(balance(before, payer.address, token) - balance(after, payer.address, token), token === h.TOKENS.pathUSD ? shape.amount : 0n, token);
      });

      test('push-only pays: mpp broadcasts once on its own RPC, the server sends nothing', async () => {
        const run = await payOnce(shape, pushSvc);
        await assertPaidOnce(run, [[h.RECIPIENT.address, shape.amount]]);
        assert.equal(run.paid.credential.payloadType, 'hash');
        assert.equal(run.journal[0].mode, 'push');
        const sends = newSince(run.after, run.before, 'rpcCalls').filter((c) => c.method.startsWith('eth_sendRaw'));
        assert.deepEqual(sends.map((c) => c.path), ['/client']);
      });

      test('zero-amount proof: a proof credential, no transaction at all, from an unfunded key', async () => {
        const payer = await h.newPayer(chain, 0);
        const { paid, transfers, before, after, journal, credential } = await payOnce(shape, svc, { payer, zero: true });
        assert.equal(paid.credential.payloadType, 'proof');
        assert.equal(credential.request.amount, '0');
        assert.deepEqual(transfers, []);
        assert.deepEqual(newSince(after, before, 'txs'), []);
        assert.deepEqual(journal.map((x) => [x.type, x.amount ?? null]), [['signed', '0'], ['settled', null]]);
      });

      test('SSE streaming: stdout is the text plus a newline; --raw shows the event stream (Locus: the JSON answer)', { skip: shape.kind === 'models' && 'a models listing is one JSON document, not a chat stream' }, async () => {
        const run = await payOnce(shape, svc); // chat streams by default
        await assertPaidOnce(run, [[h.RECIPIENT.address, shape.amount]]);
        const raw = await payOnce({ ...shape }, svc, { args: ['--raw'], expectCode: -1 });
        ok(raw.r);
        if (!shape.streams) {
          // A Locus preset asks for no stream: --raw shows the one JSON answer, unchanged.
          const answer = JSON.parse(raw.r.stdout);
          assert.equal(answer.object, 'chat.completion');
          assert.equal(`${answer.choices[0].message.content}\n`, CHAT_TEXT);
          assert.equal(raw.transfers.length, 1);
          return;
        }
        assert.match(raw.r.stdout, /^data: \{.*"chat\.completion\.chunk"/);
        assert.ok(raw.r.stdout.endsWith('data: [DONE]\n\n'), raw.r.stdout.slice(-80));
        const text = raw.r.stdout.split('\n\n').filter((e) => e.startsWith('data: {'))
          .map((e) => JSON.parse(e.slice(6)).choices[0]?.delta?.content ?? '').join('');
        assert.equal(`${text}\n`, CHAT_TEXT);
        assert.equal(raw.transfers.length, 1);
      });

      test('multi-challenge, two currencies: pays the first payable offer only; --currency picks AlphaUSD', async () => {
        const first = await payOnce(shape, multiSvc);
        await assertPaidOnce(first, [[h.RECIPIENT.address, shape.amount]]);
        assert.equal(lower(first.credential.request.currency), h.TOKENS.pathUSD);
        const alphaPayer = await h.newPayer(chain, '5000000', h.TOKENS.AlphaUSD);
        const alpha = await payOnce(shape, multiSvc, { payer: alphaPayer, args: ['--currency', h.TOKENS.AlphaUSD] });
        await assertPaidOnce(alpha, [[h.RECIPIENT.address, shape.amount]], h.TOKENS.AlphaUSD);
        assert.equal(lower(alpha.credential.request.currency), h.TOKENS.AlphaUSD);
        assert.equal(balance(alpha.before, alphaPayer.address) - balance(alpha.after, alphaPayer.address), 0n, 'no pathUSD moved');
      });

      test('a refused challenge (over --max-amount) moves nothing and sends no credential', async () => {
        const run = await payOnce(shape, svc, { args: ['--max-amount', '0.0001'], expectCode: 5 });
        assert.equal(run.r.code, 5, run.r.stderr);
        assert.deepEqual(run.transfers, []);
        assert.deepEqual(newSince(run.after, run.before, 'txs'), []);
        assert.deepEqual(run.requests.map((x) => Boolean(x.credential)), [false]);
      });

      test(`opaque: ${shape.proxy ? 'the proxy route\'s scope is echoed unchanged' : 'a Locus route has none and mpp adds none'}`, async () => {
        const { credential } = await payOnce(shape, svc);
        if (shape.proxy) assert.deepEqual(opaqueOf(credential.challenge.opaque), { _mppx_scope: `POST ${shape.path}` });
        else assert.equal(credential.challenge.opaque, undefined);
      });

      test('quote --json: the amount and chain, nothing paid, no key needed', async () => {
        const before = await chain.state();
        const home = h.makeHome();
        const target = shape.kind === 'chat' ? ['--service', shape.service, '--base-url', `${multiSvc.url}${shape.prefix}`, 'hello']
          : ['--url', `${multiSvc.url}${shape.path}`, '-X', 'POST'];
        const r = await h.runMpp(['quote', ...target, '--json', '--network', 'testnet', '--rpc-url', rpcUrl], { home });
        ok(r);
        const q = JSON.parse(r.stdout);
        assert.equal(q.status, 402);
        assert.deepEqual(q.challenges.map((c) => [c.amount_base_units, c.token, c.chain_id, c.chain, lower(c.recipient)]), [
          [String(shape.amount), 'pathUSD', 42431, 'testnet', lower(h.RECIPIENT.address)],
          [String(shape.amount), 'AlphaUSD', 42431, 'testnet', lower(h.RECIPIENT.address)]]);
        assert.equal(q.would_pay, 0);
        assert.equal((await chain.state()).transfers.length, before.transfers.length, 'quote paid nothing');
        assert.deepEqual(h.readJournal(home), []);
      });
    });
  }

  // paid-service offers only tempo charges (mppx's tempo.session needs a payment channel the stand-in does
  // not implement), so session+charge is checked once, not per shape, with the fault server's own modes.
  describe('session and charge offered together (fault server, once)', () => {
    for (const mode of ['multi-challenge-one-header', 'multi-challenge-headers']) {
      test(`${mode}: the session offer is skipped, one charge credential is sent`, async () => {
        const payer = await h.newPayer(chain);
        const tag = `conf-${mode}`;
        const r = await h.runChat(`${fault.url}/fault/${mode}/${tag}/v1/chat/completions`, { key: payer.key, rpcUrl });
        ok(r);
        const reqs = (await fault.requests()).filter((x) => x.path.includes(`/${tag}/`));
        const paid = reqs.filter((x) => x.credential);
        assert.equal(paid.length, 1);
        assert.equal(paid[0].credential.challengeKnown, true);
        assert.equal(r.journal[0].challenge_id, paid[0].credential.challengeId);
        assert.equal(lower(r.journal[0].currency), h.TOKENS.pathUSD);
        assert.deepEqual(r.journal.map((x) => x.type), ['signed', 'settled']);
      });
    }
  });
});
