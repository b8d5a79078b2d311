// scripts/demo, the one-command tour, run as a new user would (minus scripts/setup, which ctest has
// already done: MPP_DEMO_SKIP_SETUP=1, and the binary under test via MPP_BIN). It must pay for one
// completion, print a balance change of exactly the charge plus the fee, show the payment
// as settled, and leave no server process and no temporary MPP_HOME behind, also when interrupted.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import * as h from './lib.mjs';

const skip = h.mppBinary() ? false : 'MPP_BIN is not set (ctest sets it to the built mpp binary)';
const DEMO = path.join(h.REPO, 'scripts/demo');
const running = new Set();

after(() => {
  for (const proc of running) {
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch { /* already gone */ }
  }
});

/**
 * Runs scripts/demo in its own process group (so a test can press Ctrl-C on it: SIGINT to the group,
 * as a terminal does). Resolves {code, signal, stdout, stderr}. `onStderr(text, proc)` sees stderr so far.
 */
function runDemo(args, { env = {}, onStderr, timeoutMs = 120_000 } = {}) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MPP_')));
  const proc = spawn('bash', [DEMO, ...args], {
    env: { ...base, MPP_DEMO_SKIP_SETUP: '1', MPP_BIN: h.mppBinary(), NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(proc);
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d) => (stdout += d));
  proc.stderr.on('data', (d) => {
    stderr += d;
    onStderr?.(stderr, proc);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.kill(-proc.pid, 'SIGKILL');
      reject(new Error(`scripts/demo did not finish in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(proc);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The server pids the demo prints ("chain    http://127.0.0.1:N  (..., pid P)"). */
const serverPids = (stderr) => [...stderr.matchAll(/^ {4}(?:chain|service) .*pid (\d+)\)$/gm)].map((m) => Number(m[1]));
/** The temporary MPP_HOME shown in the transcript ("$ export MPP_HOME=/tmp/mpp-demo.X/home ..."). */
const mppHome = (stderr) => stderr.match(/^\$ export MPP_HOME=(\S+) MPP_PASSWORD=throwaway$/m)?.[1];

/** Whether `pid` is a live (not zombie) test server process. */
function serverAlive(pid) {
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const state = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    return cmdline.includes('tests/servers/') && state !== 'Z';
  } catch {
    return false;
  }
}

function assertCleanedUp(stderr) {
  const pids = serverPids(stderr);
  assert.equal(pids.length, 2, `the demo prints the chain's and the service's pid\n${stderr}`);
  for (const pid of pids) assert.ok(!serverAlive(pid), `server pid ${pid} still running after the demo exited`);
  const home = mppHome(stderr);
  assert.ok(home, `the transcript shows the temporary MPP_HOME\n${stderr}`);
  assert.ok(!fs.existsSync(home), `${home} left behind`);
  assert.ok(!fs.existsSync(path.dirname(home)), `${path.dirname(home)} left behind`);
}

/** "99.9969" -> 99996900n (6 decimals, as every known stablecoin). */
function baseUnits(text) {
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(text);
  assert.ok(m, `not a token amount: ${text}`);
  return BigInt(m[1]) * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0'));
}

describe('scripts/demo', { skip, timeout: 250_000 }, () => {
  test('pays for one completion, shows the balance change and history, cleans up', async () => {
    const prompt = "hello from the demo's test";
    const r = await runDemo([prompt]);
    assert.equal(r.code, 0, `exit ${r.code} ${r.signal ?? ''}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);

    // The completion from the deterministic upstream, on stdout (groq does not stream).
    assert.ok(r.stdout.includes(`\necho: ${prompt}\n`), r.stdout);
    // Each step is a heading and the exact command, pasteable (the prompt is shell-quoted).
    for (const step of ['Creating a throwaway testnet wallet', 'Funding the wallet', 'Balance before', 'Quoting the call',
      'Paying for one completion', 'Balance after', 'Payment history', 'Shutting down'])
      assert.match(r.stderr, new RegExp(`^==> ${step}`, 'm'));
    const url = 'http://127\\.0\\.0\\.1:\\d+';
    const quoted = `'hello from the demo'\\\\''s test'`;
    assert.match(r.stderr, new RegExp(`^\\$ \\S*mpp quote --service groq --base-url ${url} --network testnet --rpc-url ${url} ${quoted}$`, 'm'));
    assert.match(r.stderr, new RegExp(`^\\$ \\S*mpp chat --service groq --base-url ${url} --network testnet --rpc-url ${url} ${quoted}$`, 'm'));
    assert.match(r.stderr, /^\$ \S*mpp wallet new demo --light$/m);
    // The quote's table, and the history with the payment settled.
    assert.match(r.stdout, /amount\s+0\.001 pathUSD \(1000 base units\)/);
    assert.match(r.stdout, /^\S+\s+settled\s+0\.001 pathUSD \(testnet\)\s+fee up to 0\.0021\s+127\.0\.0\.1\s/m);

    // The machine-checkable last line: before - after = paid + fee, exactly.
    const last = r.stderr.trimEnd().split('\n').at(-1);
    const m = /^demo: paid (\S+) (\S+) \+ fee (\S+) (\S+), balance (\S+) -> (\S+) (\S+)$/.exec(last);
    assert.ok(m, `last stderr line: ${last}`);
    const [, paid, paidToken, fee, feeToken, before, afterBalance, balanceToken] = m;
    assert.deepEqual([paidToken, feeToken, balanceToken], ['pathUSD', 'pathUSD', 'pathUSD']);
    assert.equal(paid, '0.001'); // paid-service's default price, 1000 base units
    assert.equal(before, '100'); // what the faucet gives
    assert.ok(baseUnits(fee) > 0n, `a self-paid transaction burns a fee: ${fee}`);
    assert.equal(baseUnits(before) - baseUnits(afterBalance), baseUnits(paid) + baseUnits(fee), last);
    // ...and it agrees with what `mpp wallet balance` printed: fund, before, after.
    const tables = [...r.stdout.matchAll(/^pathUSD\s+(\S+)$/gm)].map((x) => x[1]);
    assert.deepEqual(tables, ['100', '100', afterBalance]);

    assertCleanedUp(r.stderr);
  });

  test('Ctrl-C stops the servers and removes the temporary MPP_HOME', async () => {
    let sent = false;
    const r = await runDemo([], {
      onStderr: (stderr, proc) => {
        if (!sent && serverPids(stderr).length === 2) {
          sent = true;
          process.kill(-proc.pid, 'SIGINT'); // what a terminal does on Ctrl-C: the whole foreground group
        }
      },
    });
    assert.ok(sent, `the servers never came up\n${r.stderr}`);
    assert.notEqual(r.code, 0, r.stderr);
    assert.match(r.stderr.trimEnd().split('\n').at(-1), /^demo: (interrupted|error: )/);
    assertCleanedUp(r.stderr);
  });

  test('a failing step stops the demo with a one-line reason', async () => {
    const r = await runDemo([], { env: { MPP_BIN: '/nonexistent/mpp' }, timeoutMs: 30_000 });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'demo: error: no mpp binary at /nonexistent/mpp: run scripts/setup\n');
    assert.equal(r.stdout, '');
  });
});
