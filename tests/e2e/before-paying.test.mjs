// Safety before paying (issue 19), through the real binary: the unpaid probe is retried after 429, 5xx
// and a refused connection, and nothing carrying a credential ever is; --confirm / confirm_above
// refuse without a terminal before anything is signed; --max-input refuses a request before it is sent.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './lib.mjs';

after(h.stopAll);

const skip = h.mppBinary() ? false : 'MPP_BIN is not set (ctest sets it to the built mpp binary)';
const BODY = JSON.stringify(h.CHAT_REQUEST);

/** stderr's lines that are not blank. */
const stderrLines = (r) => r.stderr.split('\n').filter((l) => l.length > 0);
/** The one `mpp: error:` line of stderr, which must match every pattern. */
function assertErrorLine(r, ...patterns) {
  const errors = stderrLines(r).filter((l) => l.startsWith('mpp: error: '));
  assert.equal(errors.length, 1, `expected one error line, got:\n${r.stderr}`);
  for (const p of patterns) assert.match(errors[0], p);
}

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// Runs argv on a new pseudo-terminal (its controlling terminal, stdin, stdout and stderr) and types
// `answer` and Enter once "[y/N]" appears. Prints what the terminal showed; exits with mpp's status.
const ON_PTY = `
import os, pty, select, sys
answer, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
seen, sent = b'', False
while True:
    ready, _, _ = select.select([fd], [], [], 20)
    if not ready:
        break
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    seen += data
    if not sent and b'[y/N]' in seen:
        os.write(fd, answer.encode() + b'\\n')
        sent = True
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode('utf-8', 'replace'))
sys.exit(os.waitstatus_to_exitcode(status))
`;

function runOnPty(args, { env, home, answer }) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MPP_')));
  return new Promise((resolve, reject) => {
    const proc = spawn('python3', ['-c', ON_PTY, answer, h.mppBinary(), ...args], {
      env: { ...base, HOME: home, MPP_HOME: home, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let screen = '';
    proc.stdout.on('data', (d) => (screen += d));
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code, screen }));
  });
}

describe('before paying: retries, --confirm, --max-input', { skip, timeout: h.SUITE_TIMEOUT_MS }, () => {
  let chain;
  let rpcUrl;
  let fault;
  let seq = 0;

  before(async () => {
    chain = await h.startChain();
    rpcUrl = `${chain.url}/client`;
    fault = await h.startFaultServer({ amount: '1000', recipient: h.RECIPIENT.address });
  });

  const faultUrl = (mode) => {
    const tag = `g${++seq}`;
    return { url: `${fault.url}/fault/${mode}/${tag}/v1/chat/completions`, tag };
  };
  const faultRequests = async (tag) => (await fault.requests()).filter((r) => r.path.includes(`/${tag}/`));
  const shape = (reqs) => reqs.map((x) => [Boolean(x.credential || x.hasAuthorization || x.hasPaymentAuthorization), x.status]);

  async function run(mode, { args = [], stdin = BODY, home, env } = {}) {
    const payer = await h.newPayer(chain);
    const start = await chain.state();
    const { url, tag } = faultUrl(mode);
    const r = await h.runChat(url, { key: payer.key, rpcUrl, args, stdin, home, env });
    const reqs = await faultRequests(tag);
    const transfers = h.transfersFrom(await chain.state(), payer.address, start);
    return { r, reqs, transfers };
  }

  // ---- retries of the unpaid probe ------------------------------------------------------------------

  test('503 twice, then a 402: paid once after two retries, the chain sees one payment', async () => {
    const { r, reqs, transfers } = await run('unavailable-twice', { args: ['-v'] });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /hello paid world/);
    assert.deepEqual(shape(reqs), [[false, 503], [false, 503], [false, 402], [true, 200]]);
    assert.equal(transfers.length, 1, 'exactly one payment on the chain');
    h.assertJournalMatchesChain(r.journal, transfers);
    assert.equal(r.journal.filter((x) => x.type === 'signed').length, 1);
    const retries = stderrLines(r).filter((l) => /HTTP 503; retrying in .*retry \d of 2 \(nothing was paid\)/.test(l));
    assert.equal(retries.length, 2, r.stderr);
  });

  test('--retries 0: a 503 probe is not retried (exit 3, nothing signed)', async () => {
    const { r, reqs, transfers } = await run('unavailable', { args: ['--retries', '0'] });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(shape(reqs), [[false, 503]]);
    assert.deepEqual(r.journal, []);
    assert.deepEqual(transfers, []);
    assertErrorLine(r, /503/);
  });

  test('always 503: two retries by default, then exit 3 with nothing signed', async () => {
    const { r, reqs } = await run('unavailable');
    assert.equal(r.code, 3, r.stderr);
    assert.deepEqual(shape(reqs), [[false, 503], [false, 503], [false, 503]]);
    assert.deepEqual(r.journal, []);
    assertErrorLine(r, /503/);
  });

  test('MPP_RETRIES and the config key retries set the count; a bad one is exit 2', async () => {
    const viaEnv = await run('unavailable', { env: { MPP_RETRIES: '1' } });
    assert.equal(viaEnv.r.code, 3, viaEnv.r.stderr);
    assert.equal(viaEnv.reqs.length, 2);
    const home = h.makeHome();
    fs.writeFileSync(path.join(home, 'config.toml'), 'retries = 0\n');
    const viaConfig = await run('unavailable', { home });
    assert.equal(viaConfig.reqs.length, 1);
    const bad = await run('unavailable', { args: ['--retries', 'lots'] });
    assert.equal(bad.r.code, 2, bad.r.stderr);
    assert.equal(bad.reqs.length, 0);
    assertErrorLine(bad.r, /--retries/, /whole number/);
  });

  test('Retry-After in seconds is honoured: the retry comes a second later', async () => {
    const { r, reqs } = await run('busy-retry-after', { args: ['-v'] });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(shape(reqs), [[false, 429], [false, 402], [true, 200]]);
    const gap = reqs[1].arrivedMs - reqs[0].finishedMs;
    assert.ok(gap >= 900 && gap < 5000, `the retry came ${gap} ms after the 429`);
    assert.match(r.stderr, /HTTP 429; retrying in 1 s \(Retry-After\)/);
  });

  test('Retry-After as an HTTP-date is honoured', async () => {
    const { r, reqs } = await run('busy-retry-after-date');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(shape(reqs), [[false, 503], [false, 402], [true, 200]]);
    const gap = reqs[1].arrivedMs - reqs[0].finishedMs;
    assert.ok(gap >= 700 && gap < 5000, `the retry came ${gap} ms after the 503`);
  });

  test('a Retry-After beyond the cap is not waited for: exit 3 at once, one request', async () => {
    const startMs = Date.now();
    const { r, reqs } = await run('busy-for-an-hour', { args: ['-v'] });
    assert.equal(r.code, 3, r.stderr);
    assert.ok(Date.now() - startMs < 10_000, 'mpp did not wait');
    assert.deepEqual(shape(reqs), [[false, 429]]);
    assert.match(r.stderr, /asks to wait 3600 s \(Retry-After\), longer than mpp waits \(30 s\); not retrying/);
    assertErrorLine(r, /429/);
  });

  test('a 503 after the credential is not retried: one paid attempt, exit 4, journaled', async () => {
    const { r, reqs, transfers } = await run('503-after-payment', { args: ['-v'] });
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(shape(reqs), [[false, 402], [true, 503]]);
    assert.deepEqual(transfers, [], 'the fault server settles nothing');
    assert.deepEqual(r.journal.map((x) => x.type), ['signed', 'undelivered']);
    assert.equal(r.journal[1].status, 503);
    assert.doesNotMatch(r.stderr, /retrying/);
    assertErrorLine(r, /503/);
  });

  test('a refused connection before any credential is retried, then exit 3', async () => {
    const port = await closedPort();
    const payer = await h.newPayer(chain);
    const r = await h.runChat(`http://127.0.0.1:${port}/v1/chat/completions`, { key: payer.key, rpcUrl, args: ['-v'] });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(r.journal, []);
    const retries = stderrLines(r).filter((l) => /could not connect .*; retrying in .*retry \d of 2 \(nothing was paid\)/.test(l));
    assert.equal(retries.length, 2, r.stderr);
    assertErrorLine(r, /could not reach/, /after 2 retries/);
  });

  test('Ctrl-C during the wait before a retry stops mpp: exit 130, nothing signed', async () => {
    const payer = await h.newPayer(chain);
    const { url, tag } = faultUrl('unavailable');
    const argv = ['chat', '--url', url, '--raw', '--network', 'testnet', '--rpc-url', rpcUrl, '-v', '--retries', '10'];
    const run = h.spawnMpp(argv, { env: { MPP_PRIVATE_KEY: payer.key }, stdin: BODY });
    // The fourth retry waits 2 to 4 s: interrupt during the third or fourth pause.
    await h.waitFor(() => /retry 3 of 10/.test(run.stderr()), { what: 'the third retry' });
    run.proc.kill('SIGINT');
    const r = await run.done;
    assert.equal(r.code, 130, r.stderr);
    assert.ok((await faultRequests(tag)).length <= 4);
    assert.deepEqual(h.readJournal(r.home), []);
  });

  // ---- --confirm and confirm_above ----------------------------------------------------------------

  test('--confirm without a terminal: exit 5, nothing signed, no credential sent', async () => {
    const { r, reqs, transfers } = await run('ok', { args: ['--confirm'] });
    assert.equal(r.code, 5, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(shape(reqs), [[false, 402]]);
    assert.deepEqual(r.journal, []);
    assert.deepEqual(transfers, []);
    assertErrorLine(r, /0\.001 pathUSD to 0x70997970C51812dc3A010C7d01b50e0d17dc79C8/, /no terminal/, /nothing was paid/, /--confirm/);
  });

  test('confirm_above: a call within it is paid; above it without a terminal, exit 5', async () => {
    const home = h.makeHome();
    fs.writeFileSync(path.join(home, 'config.toml'), 'confirm_above = "0.05"\n');
    const within = await run('ok', { home });
    assert.equal(within.r.code, 0, within.r.stderr);
    assert.equal(shape(within.reqs).length, 2);

    const strict = h.makeHome();
    fs.writeFileSync(path.join(strict, 'config.toml'), 'confirm_above = "0.0001"\n');
    const above = await run('ok', { home: strict });
    assert.equal(above.r.code, 5, above.r.stderr);
    assert.deepEqual(shape(above.reqs), [[false, 402]]);
    assert.deepEqual(above.r.journal, []);
    assertErrorLine(above.r, /confirmation threshold 0\.0001/, /confirm_above/, /MPP_CONFIRM_ABOVE=off/);

    const off = await run('ok', { home: strict, env: { MPP_CONFIRM_ABOVE: 'off' } });
    assert.equal(off.r.code, 0, off.r.stderr);
  });

  test('--confirm with --batch is a usage error; confirm_above refuses batch lines above it', async () => {
    const payer = await h.newPayer(chain);
    const { url, tag } = faultUrl('ok');
    const batch = await h.runMpp(['chat', '--url', url, '--network', 'testnet', '--rpc-url', rpcUrl, '--confirm', '--batch', '-'],
      { env: { MPP_PRIVATE_KEY: payer.key }, stdin: '"hello"\n' });
    assert.equal(batch.code, 2, batch.stderr);
    assertErrorLine(batch, /--confirm/, /--batch/);
    assert.equal((await faultRequests(tag)).length, 0);

    const home = h.makeHome();
    fs.writeFileSync(path.join(home, 'config.toml'), 'confirm_above = "0.0001"\n');
    const lines = await h.runMpp(['chat', '--url', url, '--network', 'testnet', '--rpc-url', rpcUrl, '--batch', '-'],
      { env: { MPP_PRIVATE_KEY: payer.key }, stdin: '"hello"\n', home });
    assert.equal(lines.code, 5, lines.stderr);
    assert.match(lines.stdout, /--batch never asks/);
    assert.deepEqual(h.readJournal(home), []);
    assert.ok((await faultRequests(tag)).every((x) => !x.credential));
  });

  test('--confirm on a terminal asks y/N: yes pays once, no pays nothing (exit 5)', async () => {
    const payer = await h.newPayer(chain);
    const env = { MPP_PRIVATE_KEY: payer.key };
    for (const [answer, code, credentials] of [['y', 0, 1], ['n', 5, 0]]) {
      const home = h.makeHome();
      const { url, tag } = faultUrl('ok');
      const r = await runOnPty(['chat', '--url', url, '--network', 'testnet', '--rpc-url', rpcUrl, '--confirm', 'hello'], { env, home, answer });
      assert.equal(r.code, code, r.screen);
      assert.match(r.screen, /mpp: pay 0\.001 pathUSD to 0x70997970C51812dc3A010C7d01b50e0d17dc79C8, network fee at most 0\.05\? \[y\/N\]/);
      const reqs = await faultRequests(tag);
      assert.equal(reqs.filter((x) => x.credential).length, credentials, answer);
      assert.equal(h.readJournal(home).filter((x) => x.type === 'signed').length, credentials, answer);
      if (answer === 'n') assert.match(r.screen, /not confirmed; nothing was paid/);
    }
  });

  // ---- --max-input and the history a continued conversation re-sends -----------------------------

  test('a request over --max-input is refused (exit 2) before anything reaches the server', async () => {
    const { r, reqs } = await run('ok', { args: ['--max-input', '100'], stdin: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(200) }] }) });
    assert.equal(r.code, 2, r.stderr);
    assert.deepEqual(reqs, []);
    assert.deepEqual(r.journal, []);
    assertErrorLine(r, /over --max-input 100 bytes/, /nothing was sent/);

    const big = await run('ok', { stdin: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(1_100_000) }] }) });
    assert.equal(big.r.code, 2, big.r.stderr);
    assert.deepEqual(big.reqs, [], 'the default bound is 1M');
  });

  test('a batch line over --max-input fails with exit 2 and is not sent', async () => {
    const payer = await h.newPayer(chain);
    const { url, tag } = faultUrl('ok');
    const r = await h.runMpp(['chat', '--url', url, '--network', 'testnet', '--rpc-url', rpcUrl, '--max-input', '1K', '--batch', '-'],
      { env: { MPP_PRIVATE_KEY: payer.key }, stdin: `${JSON.stringify('y'.repeat(2000))}\n` });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stdout, /over --max-input 1024 bytes/);
    assert.deepEqual(await faultRequests(tag), []);
  });

  test('-c says how much history it re-sends and what the service asks for the call', async () => {
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    const { url } = faultUrl('ok');
    const env = { MPP_PRIVATE_KEY: payer.key };
    const first = await h.runMpp(['chat', '--url', url, '--network', 'testnet', '--rpc-url', rpcUrl, 'first question'], { env, home });
    assert.equal(first.code, 0, first.stderr);
    assert.doesNotMatch(first.stderr, /re-sending/);
    const second = await h.runMpp(['chat', '-c', '--network', 'testnet', '--rpc-url', rpcUrl, 'second'], { env, home });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /re-sending 2 earlier messages \(\d+ bytes, ~\d+ tokens\) with this call/);
    assert.match(second.stderr, /the service asks 0\.001 pathUSD to 0x70997970C51812dc3A010C7d01b50e0d17dc79C8, network fee at most [\d.]+ for this call, history included/);
    const tooBig = await h.runMpp(['chat', '-c', '--network', 'testnet', '--rpc-url', rpcUrl, '--max-input', '10', 'third'], { env, home });
    assert.equal(tooBig.code, 2, tooBig.stderr);
    assertErrorLine(tooBig, /earlier messages/, /new conversation/);
  });
});
