// The four presets against emulations of the services as they really behave (../shared/SERVICES.md):
// groq and grok on the Locus gateway (tests/servers/locus.mjs), openrouter and openai on the Tempo
// proxies (tests/servers/tempo-proxy.mjs), all on Tempo mainnet (chain 4217) paying USDC.e, settled
// on the chain stand-in, which judges what was paid. mpp runs with --network mainnet and the stand-in
// as its RPC; presets are pointed at the emulations with --base-url.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import * as h from './lib.mjs';

after(h.stopAll);

const skip = h.mppBinary() ? false : 'MPP_BIN is not set (ctest sets it to the built mpp binary)';
const timeout = h.SUITE_TIMEOUT_MS;
const CHAT_TEXT = 'echo: hello paid world\n';
const PROMPT = ['hello', 'paid', 'world'];
const USDCE_CHECKSUMMED = '0x20C000000000000000000000b9537d11c60E8b50';

let chain;
let rpc;
const servers = {}; // name -> emulation; variants under 'groq upstream-fail' etc.

/** `mpp ARGS` on mainnet against the stand-in, paying from `payer` (null: no key). */
function mpp(args, { payer, home, stdin, env = {} } = {}) {
  return h.runMpp([...args, '--network', 'mainnet', '--rpc-url', rpc], {
    env: { ...(payer && { MPP_PRIVATE_KEY: payer.key }), ...env },
    home,
    stdin,
    timeoutMs: 30_000,
  });
}

const preset = (name, server = servers[name]) => ['--service', name, '--base-url', server.url];
const ok = (r) => assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
const newPayer = () => h.newPayer(chain, '5000000', h.TOKENS.USDCe);
const PRESETS = {
  groq: { gateway: 'locus', payee: h.PAYEES.locus, streams: false, sponsored: false },
  grok: { gateway: 'locus', payee: h.PAYEES.locus, streams: false, sponsored: false },
  openrouter: { gateway: 'tempo', payee: h.PAYEES.tempo, streams: true, sponsored: true },
  openai: { gateway: 'tempo', payee: h.PAYEES.tempo, streams: true, sponsored: true },
};

function oneErrorLine(r, ...patterns) {
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, 1, `expected one stderr line, got:\n${r.stderr}`);
  assert.match(lines[0], /^mpp: error: /);
  for (const p of patterns) assert.match(lines[0], p);
  return lines[0];
}

before(async () => {
  if (skip) return;
  chain = await h.startChain({ chainId: 4217 });
  rpc = `${chain.url}/client`;
  const server = `${chain.url}/server`;
  // The Tempo proxies' sponsor pays the fees in USDC.e.
  await chain.fund(h.FEE_PAYER.address, '100000000', h.TOKENS.USDCe);
  const started = await Promise.all([
    h.startLocus({ rpc: server, service: 'groq' }),
    // Locus sends USDC.e lowercase on groq and checksummed on other merchants: grok gets the latter.
    h.startLocus({ rpc: server, service: 'grok', currency: USDCE_CHECKSUMMED }),
    h.startTempoProxy({ rpc: server, service: 'openrouter', feePayer: h.FEE_PAYER.key }),
    h.startTempoProxy({ rpc: server, service: 'openai', feePayer: h.FEE_PAYER.key }),
    h.startLocus({ rpc: server, service: 'groq', variant: 'upstream-fail' }),
    h.startLocus({ rpc: server, service: 'grok', variant: 'upstream-fail' }),
    h.startTempoProxy({ rpc: server, service: 'openai', variant: 'region-block', feePayer: h.FEE_PAYER.key }),
    h.startTempoProxy({ rpc: server, service: 'openrouter', variant: 'user-not-found', feePayer: h.FEE_PAYER.key }),
    h.startLocus({ rpc: server, service: 'groq', variant: 'no-receipt' }),
  ]);
  ['groq', 'grok', 'openrouter', 'openai', 'groq upstream-fail', 'grok upstream-fail', 'openai region-block',
    'openrouter user-not-found', 'groq no-receipt'].forEach((name, i) => (servers[name] = started[i]));
});

describe('each preset pays once and prints the answer', { skip, timeout }, () => {
  for (const [name, shape] of Object.entries(PRESETS)) {
    test(`${name}: prints the completion, exit 0, exactly one transfer of the quoted amount to the ${shape.gateway} payee; ${shape.streams ? 'streamed' : 'not streamed'}`, async () => {
      const payer = await newPayer();
      const home = h.makeHome();
      const quote = await mpp(['quote', ...preset(name), '--json', ...PROMPT], { payer: null, home });
      ok(quote);
      const quoted = JSON.parse(quote.stdout);
      assert.notEqual(quoted.would_pay, null, quote.stdout);
      const offer = quoted.challenges[quoted.would_pay];
      assert.equal(offer.recipient.toLowerCase(), shape.payee);
      assert.equal(offer.currency.toLowerCase(), h.TOKENS.USDCe);
      assert.equal(offer.fee_payer, shape.sponsored);

      const before = await chain.state();
      const r = await mpp(['chat', ...preset(name), ...PROMPT], { payer, home });
      ok(r);
      assert.equal(r.stdout, CHAT_TEXT);
      assert.equal(r.stderr, '', 'nothing on stderr without -v when it is not a terminal');
      const after = await chain.state();
      const transfers = h.transfersFrom(after, payer.address, before);
      assert.equal(transfers.length, 1, JSON.stringify(transfers));
      assert.equal(transfers[0].to, shape.payee);
      assert.equal(transfers[0].token, h.TOKENS.USDCe);
      assert.equal(transfers[0].amount, offer.amount_base_units, 'the quoted amount, exactly');
      const fees = after.fees.slice(before.fees.length);
      assert.equal(fees.length, 1);
      assert.equal(fees[0].sponsored, shape.sponsored);
      assert.equal(fees[0].payer, shape.sponsored ? h.FEE_PAYER.address.toLowerCase() : payer.address.toLowerCase());

      const journal = h.readJournal(home);
      assert.deepEqual(journal.map((x) => x.type), ['signed', 'settled']);
      assert.equal(journal[0].chain_id, 4217);
      assert.equal(journal[1].reference, transfers[0].txHash);
      assert.equal(journal[1].reference_source, 'receipt');
      h.assertJournalMatchesChain(journal, transfers);

      const [probe, paid, ...rest] = (await servers[name].requests()).slice(-2);
      assert.deepEqual(rest, []);
      assert.equal(probe.status, 402);
      assert.equal(paid.status, 200);
      assert.ok(paid.credential, 'the second request carried the credential');
      for (const req of [probe, paid]) assert.match(req.userAgent, /^mpp\/\d/);
      if (shape.streams) {
        assert.equal(paid.stream, true, 'the Tempo proxies are asked for an event stream');
      } else {
        assert.ok(!paid.bodyKeys.includes('stream') && !paid.bodyKeys.includes('stream_options'), `no stream field to Locus: ${paid.bodyKeys}`);
      }
    });
  }

  test('--no-stream keeps its meaning on a streaming service; --raw on Locus writes the envelope unchanged', async () => {
    const payer = await newPayer();
    const quiet = await mpp(['chat', ...preset('openai'), '--no-stream', ...PROMPT], { payer });
    ok(quiet);
    assert.equal(quiet.stdout, CHAT_TEXT);
    assert.equal((await servers.openai.requests()).at(-1).stream, null);
    const raw = await mpp(['chat', ...preset('grok'), '--raw', ...PROMPT], { payer });
    ok(raw);
    const body = JSON.parse(raw.stdout);
    assert.deepEqual(Object.keys(body), ['success', 'data']);
    assert.equal(body.data.choices[0].message.content, CHAT_TEXT.trimEnd());
  });

  test('grok names the model that answered (grok-3-mini is served by grok-4.3)', async () => {
    const payer = await newPayer();
    const r = await mpp(['chat', ...preset('grok'), '-m', 'grok-3-mini', '-v', ...PROMPT], { payer });
    ok(r);
    assert.match(r.stderr, /^mpp: grok-4\.3, \d+ tokens/m);
  });

  test('a Locus answer without a receipt journals the signed transaction\'s hash, which is the one on chain', async () => {
    const payer = await newPayer();
    const home = h.makeHome();
    const before = await chain.state();
    const r = await mpp(['chat', ...preset('groq', servers['groq no-receipt']), ...PROMPT], { payer, home });
    ok(r);
    assert.equal(r.stdout, CHAT_TEXT);
    const transfers = h.transfersFrom(await chain.state(), payer.address, before);
    const journal = h.readJournal(home);
    assert.equal(transfers.length, 1);
    assert.equal(journal[1].reference_source, 'signed transaction');
    assert.equal(journal[1].reference, journal[0].tx_hash);
    assert.equal(transfers[0].txHash, journal[0].tx_hash);
  });
});

describe('models for all four presets', { skip, timeout }, () => {
  test('groq: the paid POST /groq/models, body {}, out of its envelope, through the cap and the journal', async () => {
    const payer = await newPayer();
    const home = h.makeHome();
    const before = await chain.state();
    const r = await mpp(['models', ...preset('groq')], { payer, home });
    ok(r);
    assert.equal(r.stdout, 'openai/gpt-oss-20b\nllama-3.3-70b-versatile\nllama-3.1-8b-instant\n');
    const transfers = h.transfersFrom(await chain.state(), payer.address, before);
    assert.deepEqual(transfers.map((t) => [t.to, t.amount]), [[h.PAYEES.locus, '5000']]);
    assert.deepEqual(h.readJournal(home).map((x) => x.type), ['signed', 'settled']);
    const paid = (await servers.groq.requests()).at(-1);
    assert.equal(paid.method, 'POST');
    assert.equal(paid.path, '/groq/models');
    assert.deepEqual(paid.bodyKeys, []);
    const json = await mpp(['models', ...preset('groq'), '--json'], { payer, home });
    ok(json);
    const listing = JSON.parse(json.stdout);
    assert.equal(listing.object, 'list');
    assert.equal(listing.data[0].id, 'openai/gpt-oss-20b');
    const capped = await mpp(['models', ...preset('groq'), '--max-amount', '0.001'], { payer, home });
    assert.equal(capped.code, 5, capped.stderr);
  });

  for (const [name, first] of [['grok', 'grok-4.6'], ['openrouter', 'openai/gpt-4o-mini'], ['openai', 'gpt-4o-mini']]) {
    test(`${name}: no listing route, so mpp's built-in ids, marked built in; nothing is sent`, async () => {
      const home = h.makeHome();
      const sent = (await servers[name].requests()).length;
      const r = await mpp(['models', ...preset(name)], { payer: null, home });
      ok(r);
      assert.equal(r.stdout.split('\n')[0], first);
      assert.match(r.stderr, /built-in/);
      const json = await mpp(['models', ...preset(name), '--json'], { payer: null, home });
      ok(json);
      const listing = JSON.parse(json.stdout);
      assert.equal(listing.source, 'built-in');
      assert.equal(listing.data[0].id, first);
      assert.deepEqual(listing.data.map((m) => m.id), r.stdout.trimEnd().split('\n'));
      assert.equal((await servers[name].requests()).length, sent);
      assert.deepEqual(h.readJournal(home), []);
    });
  }
});

describe('paid but not delivered', { skip, timeout }, () => {
  const CASES = [
    ['groq upstream-fail', 'groq', 502, /Upstream API call failed/, true],
    ['grok upstream-fail', 'grok', 502, /Upstream API call failed/, true],
    ['openai region-block', 'openai', 403, /Country, region, or territory not supported/, false],
    ['openrouter user-not-found', 'openrouter', 401, /User not found/, false],
  ];
  for (const [server, name, status, words, hasPaymentId] of CASES) {
    test(`${server}: exit 4, one line with amount and the service's words, one payment on chain, journal undelivered, never retried`, async () => {
      const payer = await newPayer();
      const home = h.makeHome();
      const before = await chain.state();
      const sent = (await servers[server].requests()).length;
      const r = await mpp(['chat', ...preset(name, servers[server]), ...PROMPT], { payer, home });
      assert.equal(r.code, 4, r.stderr);
      assert.equal(r.stdout, '');
      const transfers = h.transfersFrom(await chain.state(), payer.address, before);
      assert.equal(transfers.length, 1, 'the payment went through');
      assert.equal(transfers[0].to, PRESETS[name].payee);
      const journal = h.readJournal(home);
      assert.deepEqual(journal.map((x) => x.type), ['signed', 'undelivered']);
      const [signed, undelivered] = journal;
      assert.equal(signed.amount, transfers[0].amount);
      assert.equal(undelivered.status, status);
      assert.match(undelivered.error, words);
      const amount = (Number(signed.amount) / 1e6).toString();
      const line = oneErrorLine(r, new RegExp(`paid ${amount.replace('.', '\\.')} USDC\\.e`), words, new RegExp(`HTTP ${status}`), /not retried/);
      if (hasPaymentId) {
        assert.match(undelivered.paymentId, /^[0-9a-f-]{36}$/);
        assert.ok(line.includes(`paymentId ${undelivered.paymentId}`), line);
        assert.equal(undelivered.reference, signed.tx_hash, 'self-paid: the signed hash');
        assert.equal(transfers[0].txHash, signed.tx_hash);
      } else {
        assert.equal(undelivered.paymentId, undefined);
      }
      const requests = (await servers[server].requests()).slice(sent);
      assert.deepEqual(requests.map((x) => [Boolean(x.credential), x.status]), [[false, 402], [true, status]]);

      const history = await h.runMpp(['wallet', 'history'], { home });
      ok(history);
      const row = history.stdout.split('\n').find((l) => l.includes('undelivered'));
      assert.ok(row, history.stdout);
      assert.match(row, words);
      if (hasPaymentId) assert.ok(row.includes(undelivered.paymentId), row);
      const json = JSON.parse((await h.runMpp(['wallet', 'history', '--json'], { home })).stdout);
      assert.equal(json.payments[0].outcome, 'undelivered');
    });
  }
});

describe('before the 402, and the offers explained', { skip, timeout }, () => {
  test('Locus 400 before the 402: exit 2 with the service\'s message, nothing signed or paid', async () => {
    const payer = await newPayer();
    const home = h.makeHome();
    const before = await chain.state();
    const sent = (await servers.groq.requests()).length;
    const stdin = JSON.stringify({ messages: [{ role: 'user', content: 'no model named' }] });
    const r = await mpp(['chat', ...preset('groq'), '--raw'], { payer, home, stdin });
    assert.equal(r.code, 2, r.stderr);
    oneErrorLine(r, /HTTP 400/, /Invalid request: model is required/, /nothing was paid/);
    assert.deepEqual(h.readJournal(home), []);
    assert.deepEqual(h.transfersFrom(await chain.state(), payer.address, before), []);
    const requests = (await servers.groq.requests()).slice(sent);
    assert.deepEqual(requests.map((x) => [Boolean(x.credential), x.status]), [[false, 400]]);
    const quote = await mpp(['quote', ...preset('groq'), '-o', 'model=', 'hi'], { payer: null, home });
    assert.equal(quote.code, 2, quote.stderr);
    assert.match(quote.stderr, /model is required/);
  });

  test('the Locus emulation answers 403 to a request without a User-Agent; mpp always sends one', async () => {
    const status = await new Promise((resolve, reject) => {
      const req = http.request(`${servers.groq.url}/groq/chat`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }] }));
    });
    assert.equal(status, 403);
    const logged = await servers.groq.requests();
    assert.equal(logged.at(-1).userAgent, null);
    assert.ok(logged.filter((x) => x.userAgent !== null).every((x) => /^mpp\/\d/.test(x.userAgent)));
  });

  test('quote --json on a Tempo proxy lists all four offers, the chosen one, and a reason for each other', async () => {
    const r = await mpp(['quote', ...preset('openrouter'), '--json', ...PROMPT], { payer: null });
    ok(r);
    const quote = JSON.parse(r.stdout);
    assert.equal(quote.challenges.length, 4);
    assert.deepEqual(quote.challenges.map((c) => [c.intent, c.chosen]), [['charge', false], ['charge', true], ['session', false], ['session', false]]);
    assert.equal(quote.would_pay, 1);
    assert.ok(quote.body_bytes > 0);
    assert.equal(quote.body_model, 'openai/gpt-4o-mini');
    const [nano, usdce, ...sessions] = quote.challenges;
    assert.equal(nano.currency.toLowerCase(), h.TOKENS.NanoUSD);
    assert.match(nano.reason, /^not chosen: .*a token mpp does not know.*--currency 0x20C0000000000000000000008B4c619d2eedEc7A to allow it/);
    assert.match(usdce.reason, /^chosen: pay 0\.005125 USDC\.e to 0xca4e835F803cB0b7C428222B3A3B98518d4779Fe \(pull, fee payer\)$/);
    assert.equal(usdce.fee_payer, true);
    // The session legs: USDC.e's is payable but a charge goes first; NanoUSD's is a token mpp does not know.
    assert.match(sessions[0].reason, /^not chosen: payable \(pay 0\.005125 USDC\.e per request to 0xca4e835F803cB0b7C428222B3A3B98518d4779Fe by session .*\), but challenge 2 is a charge, which mpp prefers to opening a channel$/);
    assert.equal(sessions[0].unit_type, 'request');
    assert.equal(sessions[0].escrow, '0x4d50500000000000000000000000000000000000');
    assert.equal(sessions[0].deposit_base_units, '51250'); // suggestedDeposit (ten requests), under --max-deposit 1.00
    assert.match(sessions[1].reason, /^not chosen: .*a token mpp does not know/);
    for (const c of quote.challenges) assert.equal(c.realm, 'openrouter.mpp.tempo.xyz');
    const text = await mpp(['quote', ...preset('openrouter'), ...PROMPT], { payer: null });
    ok(text);
    assert.match(text.stdout, /payment required, 4 challenges/);
    assert.match(text.stdout, /priced for this request body \(\d+ bytes, model openai\/gpt-4o-mini\)/);
  });

  test('-v names every offer with the reason it was or was not chosen', async () => {
    const payer = await newPayer();
    const r = await mpp(['chat', ...preset('openai'), '-v', ...PROMPT], { payer });
    ok(r);
    const lines = r.stderr.split('\n').filter((l) => /^mpp: challenge \d\/4 /.test(l));
    assert.equal(lines.length, 4, r.stderr);
    assert.match(lines[0], /\(tempo\/charge, .*not chosen: .*does not know.*--currency/);
    assert.match(lines[1], /\(tempo\/charge, .*\): chosen: pay /);
    assert.match(lines[2], /\(tempo\/session, .*not chosen: payable .*by session.*, but challenge 2 is a charge, which mpp prefers to opening a channel/);
    assert.match(lines[3], /\(tempo\/session, .*not chosen: .*a token mpp does not know/);
  });

  test('Locus realm is the host and its one offer is the minimal request; --currency is not needed in either case', async () => {
    for (const name of ['groq', 'grok']) {
      const r = await mpp(['quote', ...preset(name), '--json', 'hi'], { payer: null });
      ok(r);
      const quote = JSON.parse(r.stdout);
      assert.equal(quote.challenges.length, 1);
      assert.equal(quote.challenges[0].realm, `${name}.mpp.paywithlocus.com`);
      assert.equal(quote.challenges[0].fee_payer, false);
      assert.equal(quote.challenges[0].description, `Locus MPP: ${name}/chat`);
      assert.equal(quote.would_pay, 0);
    }
  });
});
