// quote --compare and chat --cheapest: the four presets pointed (by a config file's [services.NAME]
// url) at local emulations of different prices (tests/servers/locus.mjs, tempo-proxy.mjs), each with
// its own recipient, on Tempo mainnet (chain 4217) paying USDC.e, settled on the chain stand-in.
// Unbounded by max tokens the emulations ask: grok 2360 (+ a self-paid fee), openrouter and openai 5125
// (sponsored), groq 21600 (+ a self-paid fee). With a known payer the fee is estimated from the chain
// (small); without one it is the most a default gas limit could cost, which puts grok behind.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './lib.mjs';

after(h.stopAll);

const skip = h.mppBinary() ? false : 'MPP_BIN is not set (ctest sets it to the built mpp binary)';
const timeout = h.SUITE_TIMEOUT_MS;
const RECIPIENTS = {
  groq: '0x1111111111111111111111111111111111111111',
  grok: '0x2222222222222222222222222222222222222222',
  openrouter: '0x3333333333333333333333333333333333333333',
  openai: '0x4444444444444444444444444444444444444444',
};

let chain;
let rpc;
let config; // all four presets on the emulations
let downConfig; // openai on a port where nothing listens
const servers = {};

function mpp(args, { payer, home, stdin, configFile = config } = {}) {
  return h.runMpp([...args, '--config', configFile, '--network', 'mainnet', '--rpc-url', rpc], {
    env: { ...(payer && { MPP_PRIVATE_KEY: payer.key }) },
    home,
    stdin,
    timeoutMs: 30_000,
  });
}

const ok = (r) => assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);

function writeConfig(urls) {
  const dir = h.makeHome('mpp-compare-config-');
  const file = path.join(dir, 'config.toml');
  fs.writeFileSync(file, Object.entries(urls).map(([name, url]) => `[services.${name}]\nurl = "${url}"\n`).join('\n'));
  return file;
}

async function closedPort() {
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

before(async () => {
  if (skip) return;
  chain = await h.startChain({ chainId: 4217 });
  rpc = `${chain.url}/client`;
  const server = `${chain.url}/server`;
  await chain.fund(h.FEE_PAYER.address, '100000000', h.TOKENS.USDCe);
  const [groq, grok, openrouter, openai] = await Promise.all([
    h.startLocus({ rpc: server, service: 'groq', recipient: RECIPIENTS.groq }),
    h.startLocus({ rpc: server, service: 'grok', recipient: RECIPIENTS.grok }),
    h.startTempoProxy({ rpc: server, service: 'openrouter', feePayer: h.FEE_PAYER.key, recipient: RECIPIENTS.openrouter }),
    h.startTempoProxy({ rpc: server, service: 'openai', feePayer: h.FEE_PAYER.key, recipient: RECIPIENTS.openai }),
  ]);
  Object.assign(servers, { groq, grok, openrouter, openai });
  const urls = Object.fromEntries(Object.entries(servers).map(([name, s]) => [name, s.url]));
  config = writeConfig(urls);
  downConfig = writeConfig({ ...urls, openai: `http://127.0.0.1:${await closedPort()}` });
});

describe('quote --compare', { skip, timeout }, () => {
  test('lists all four presets sorted by cost, each with its price and fee, paying nothing', async () => {
    const payer = await h.newPayer(chain, '5000000', h.TOKENS.USDCe);
    const before = await chain.state();
    const r = await mpp(['quote', '--compare', '--json', 'hi'], { payer });
    ok(r);
    const { rows } = JSON.parse(r.stdout);
    assert.deepEqual(rows.map((x) => x.service), ['grok', 'openrouter', 'openai', 'groq'], r.stdout);
    const byName = Object.fromEntries(rows.map((x) => [x.service, x]));
    assert.equal(byName.grok.price_base_units, '2360');
    assert.equal(byName.groq.price_base_units, '21600');
    assert.equal(byName.openrouter.price_base_units, '5125');
    assert.equal(byName.openai.price_base_units, '5125');
    for (const name of ['openrouter', 'openai']) {
      assert.equal(byName[name].sponsored, true);
      assert.equal(byName[name].fee_base_units, '0');
    }
    for (const name of ['groq', 'grok']) {
      assert.equal(byName[name].sponsored, false);
      assert.ok(BigInt(byName[name].fee_base_units) > 0n, `${name} pays its own fee: ${r.stdout}`);
      assert.equal(BigInt(byName[name].total_base_units), BigInt(byName[name].price_base_units) + BigInt(byName[name].fee_base_units));
    }
    for (const row of rows) {
      assert.equal(row.intent, 'charge');
      assert.equal(row.token, 'USDC.e');
      assert.equal(row.fits, true);
      assert.equal(row.error, null);
    }
    assert.equal(byName.groq.model, 'openai/gpt-oss-20b', 'each service is asked for its default model');
    assert.equal(byName.openai.model, 'gpt-4o-mini');
    const totals = rows.map((x) => BigInt(x.total_base_units));
    assert.deepEqual([...totals].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), totals, 'sorted by total');
    const after = await chain.state();
    assert.equal(after.transfers.length, before.transfers.length, 'nothing was paid');
    for (const s of Object.values(servers)) assert.equal((await s.requests()).at(-1).status, 402);
  });

  test('the table has one row per service under a header, cheapest first', async () => {
    const r = await mpp(['quote', '--compare', 'hi'], { payer: await h.newPayer(chain, '5000000', h.TOKENS.USDCe) });
    ok(r);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^SERVICE\s+MODEL\s+PRICE\s+FEE\s+TOTAL\s+INTENT\s+TOKEN\s+FITS$/);
    assert.equal(lines.length, 5, r.stdout);
    assert.match(lines[1], /^grok\s+grok-4\.6\s+0\.00236\s+up to 0\.\d+\s+0\.\d+\s+charge\s+USDC\.e\s+yes$/);
    assert.match(lines[2], /^openrouter\s+openai\/gpt-4o-mini\s+0\.005125\s+0 \(sponsored\)\s+0\.005125\s+charge\s+USDC\.e\s+yes$/);
    assert.match(lines[4], /^groq\s+/);
  });

  test('a service that is down gets an error row at the end; the command still exits 0', async () => {
    const r = await mpp(['quote', '--compare', '--json', 'hi'], { configFile: downConfig });
    ok(r);
    const { rows } = JSON.parse(r.stdout);
    // No payer: the fees are the most a default gas limit could cost, so the sponsored openrouter leads.
    assert.deepEqual(rows.map((x) => x.service), ['openrouter', 'grok', 'groq', 'openai'], r.stdout);
    const down = rows.at(-1);
    assert.equal(down.price, null);
    assert.equal(down.fits, false);
    assert.match(down.error, /127\.0\.0\.1/);
    const text = await mpp(['quote', '--compare', 'hi'], { configFile: downConfig });
    ok(text);
    assert.match(text.stdout, /\nopenai\s+gpt-4o-mini\s+-\s+-\s+-\s+-\s+-\s+error\n/);
    assert.match(text.stdout, /\nopenai gpt-4o-mini: .*127\.0\.0\.1/);
  });

  test('--services chooses, --max-amount marks what does not fit, -m repeats per service', async () => {
    const r = await mpp(['quote', '--compare', '--json', '--services', 'groq,openai', '--max-amount', '0.006', '-m', 'a', '-m', 'b', 'hi']);
    ok(r);
    const { rows } = JSON.parse(r.stdout);
    assert.deepEqual(rows.map((x) => `${x.service} ${x.model}`), ['openai a', 'openai b', 'groq a', 'groq b']);
    assert.deepEqual(rows.map((x) => x.fits), [true, true, false, false]);
    assert.match(rows[2].reason, /max-amount|cap/i);
  });

  test('an unknown --services name is a usage error (exit 2); -m twice without --compare too', async () => {
    const r = await mpp(['quote', '--compare', '--services', 'groq,nosuch', 'hi']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^mpp: error: --services: unknown service 'nosuch'/);
    const twice = await mpp(['quote', '--service', 'groq', '-m', 'a', '-m', 'b', 'hi']);
    assert.equal(twice.code, 2, twice.stderr);
    assert.match(twice.stderr, /-m was given more than once/);
  });
});

describe('chat --cheapest', { skip, timeout }, () => {
  test('pays the cheapest service exactly once, to its recipient, and names it on stderr', async () => {
    const payer = await h.newPayer(chain, '5000000', h.TOKENS.USDCe);
    const before = await chain.state();
    const r = await mpp(['chat', '--cheapest', 'hi'], { payer });
    ok(r);
    assert.match(r.stdout, /^echo: hi\n$/);
    assert.match(r.stderr, /--cheapest: paying grok \(grok-4\.6\), the cheapest of 4 that fits the caps: 0\.00236 \+ fee up to/);
    const transfers = h.transfersFrom(await chain.state(), payer.address, before);
    assert.equal(transfers.length, 1, JSON.stringify(transfers));
    assert.equal(transfers[0].to, RECIPIENTS.grok);
    assert.equal(transfers[0].amount, '2360');
  });

  test('among --services, and never above --max-amount', async () => {
    const payer = await h.newPayer(chain, '5000000', h.TOKENS.USDCe);
    const before = await chain.state();
    const r = await mpp(['chat', '--cheapest', '--max-amount', '0.02', '--services', 'groq,openai,openrouter', 'hi'], { payer });
    ok(r);
    assert.match(r.stderr, /--cheapest: paying openai/, 'openai and openrouter tie; the order of --services breaks it');
    const transfers = h.transfersFrom(await chain.state(), payer.address, before);
    assert.equal(transfers.length, 1);
    assert.equal(transfers[0].to, RECIPIENTS.openai);
    assert.match(r.stdout, /^echo: hi\n$/, 'the prompt after --services is the prompt, not a service');

    const none = await mpp(['chat', '--cheapest', '--services', 'groq,openai', '--max-amount', '0.001', 'hi'], { payer });
    assert.equal(none.code, 5, none.stderr);
    assert.match(none.stderr, /^mpp: error: --cheapest: no service fits the caps \(.*groq: it costs 0\.0216 USDC\.e, over the per-call cap of 0\.001/);
    assert.match(none.stderr, /openai: it costs 0\.005125 USDC\.e, over the per-call cap/);
    assert.equal(h.transfersFrom(await chain.state(), payer.address, before).length, 1, 'nothing more was paid');
  });
});
