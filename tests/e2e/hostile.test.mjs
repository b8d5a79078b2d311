// mpp against hostile servers, RPCs and local environments (issue 15): each test is one class of
// attack, through the real binary, with what must hold whatever the input: no crash, bounded memory
// and CPU, the right exit code, an honest journal, no second payment, nothing secret on disk, no
// terminal control on stderr. The fault server plays the attacker (tests/servers/lib/fault-modes.mjs).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './lib.mjs';

after(h.stopAll);

const skip = h.mppBinary() ? false : 'MPP_BIN is not set (ctest sets it to the built mpp binary)';
// scripts/sanitize sets ASAN_OPTIONS for every child: memory and CPU figures mean nothing there.
const sanitized = process.env.ASAN_OPTIONS !== undefined;
const isRoot = process.getuid?.() === 0;
const OTHER_UID = 54321; // a user that owns nothing on this machine
const BODY = JSON.stringify(h.CHAT_REQUEST);

/** stderr holds no terminal control: no C0 but newline, no DEL, no C1, no bidi controls. */
function assertNoTerminalControls(text) {
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u, JSON.stringify(text));
}

/** The journal is consistent: every outcome follows its signed record, at most one outcome each. */
function assertJournalConsistent(journal) {
  h.assertJournalMatchesChain(journal, []);
}

/**
 * Spawns `bash -c script _ mpp ...args` with runMpp's clean environment, so the script can set limits
 * or time the binary. Resolves {code, signal, stdout, stderr, pid, home}; `onSpawn(proc)` sees it
 * running.
 */
function runUnderBash(script, args, { env = {}, home = h.makeHome(), stdin, timeoutMs = 60_000, onSpawn } = {}) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MPP_')));
  return new Promise((resolve, reject) => {
    const proc = spawn('bash', ['-c', script, 'bash', h.mppBinary(), ...args], {
      env: { ...base, HOME: home, MPP_HOME: home, NO_COLOR: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, pid: proc.pid, home });
    });
    proc.stdin.on('error', () => {});
    proc.stdin.end(stdin ?? '');
    onSpawn?.(proc);
  });
}

describe('hostile servers and RPCs', { skip, timeout: 240_000 }, () => {
  let chain;
  let rpcUrl;
  let fault;
  let seq = 0;

  before(async () => {
    chain = await h.startChain();
    rpcUrl = `${chain.url}/client`;
    // mpp checks the payer's balance (charge + fee) before it signs; the fault server never
    // broadcasts, so this stays the balance throughout.
    await chain.fund(h.PAYER.address, '5000000');
    fault = await h.startFaultServer({ amount: '1000', recipient: h.RECIPIENT.address });
  });

  const faultUrl = (mode) => {
    const tag = `h${++seq}`;
    return { url: `${fault.url}/fault/${mode}/${tag}/v1/chat/completions`, tag };
  };
  const credentialsFor = async (tag) => (await fault.requests()).filter((r) => r.path.includes(`/${tag}/`) && (r.hasAuthorization || r.hasPaymentAuthorization));
  const chatArgs = (url, ...rest) => ['chat', '--url', url, '--network', 'testnet', '--rpc-url', rpcUrl, '--no-log', ...rest];
  const key = { MPP_PRIVATE_KEY: h.PAYER.key };

  // ---- nested JSON ---------------------------------------------------------------------------------

  test('nested JSON (100,000 levels, gzipped) before any payment: chat, models and quote fail cleanly, nothing signed', async () => {
    const { url } = faultUrl('nested-error-body');
    for (const argv of [chatArgs(url, 'hello'), ['models', '--url', url, '--network', 'testnet', '--rpc-url', rpcUrl], ['quote', '--url', url, '--network', 'testnet', 'hello']]) {
      const r = await h.runMpp(argv, { env: key });
      assert.equal(r.signal, null, `${argv[0]} crashed: ${r.signal}\n${r.stderr}`);
      assert.ok([3, 5].includes(r.code), `${argv[0]}: exit ${r.code}\n${r.stderr}`);
      assert.match(r.stderr, /^mpp: error: /m);
      assert.deepEqual(h.readJournal(r.home), []);
    }
  });

  for (const [mode, stream, what] of [
    ['nested-error-after-payment', false, 'an error object'],
    ['nested-sse-error', true, 'an event-stream error'],
    ['nested-tool-calls', false, 'tool_calls'],
  ]) {
    test(`nested JSON in ${what} after payment: exit 3, no crash, the journal says settled, one credential`, async () => {
      const { url, tag } = faultUrl(mode);
      const r = await h.runMpp(chatArgs(url, ...(stream ? [] : ['--no-stream']), 'hello'), { env: key });
      assert.equal(r.signal, null, `crashed: ${r.signal}\n${r.stderr}`);
      assert.equal(r.code, 3, r.stderr);
      const journal = h.readJournal(r.home);
      assertJournalConsistent(journal);
      assert.deepEqual(journal.map((x) => x.type), ['signed', 'settled']);
      assert.equal((await credentialsFor(tag)).length, 1);
    });
  }

  test('nested JSON in a paid model listing: exit 3, no crash, journal settled', async () => {
    const { url } = faultUrl('nested-error-after-payment');
    const r = await h.runMpp(['models', '--url', url, '--network', 'testnet', '--rpc-url', rpcUrl], { env: key });
    assert.equal(r.signal, null, r.stderr);
    assert.equal(r.code, 3, r.stderr);
    assert.deepEqual(h.readJournal(r.home).map((x) => x.type), ['signed', 'settled']);
  });

  // ---- answers without bounds ----------------------------------------------------------------------

  test('a paid stream of 2 GiB decompressed (almost all reasoning): stops at --max-response, RSS stays small, exit 3, journal settled with a note', async () => {
    const { url, tag } = faultUrl('reasoning-flood');
    let peakKib = 0;
    let timer;
    const r = await runUnderBash('exec "$@"', chatArgs(url, 'hello'), {
      env: key,
      timeoutMs: 120_000,
      onSpawn: (proc) => {
        timer = setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8'));
            if (m) peakKib = Math.max(peakKib, Number(m[1]));
          } catch { /* gone */ }
        }, 20);
      },
    });
    clearInterval(timer);
    assert.equal(r.signal, null, r.stderr);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /larger than 67108864 bytes; --max-response raises the limit/);
    assert.ok(r.stdout.startsWith('flood:.'), r.stdout.slice(0, 100)); // what was printed stays printed
    const journal = h.readJournal(r.home);
    assertJournalConsistent(journal);
    assert.deepEqual(journal.map((x) => x.type), ['signed', 'settled']);
    assert.match(journal[1].note, /answer cut off: the answer is larger than 67108864 bytes/);
    assert.equal((await credentialsFor(tag)).length, 1);
    assert.ok(peakKib > 0, 'the peak RSS was sampled');
    if (!sanitized) assert.ok(peakKib < 64 * 1024, `peak RSS ${peakKib} KiB is not under 64 MiB`);
  });

  test('--max-response 256K cuts a paid answer there', async () => {
    const { url } = faultUrl('reasoning-flood');
    const r = await h.runMpp(chatArgs(url, '--max-response', '256K', 'hello'), { env: key });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /larger than 262144 bytes/);
    assert.equal(h.readJournal(r.home).at(-1).type, 'settled');
  });

  test('200,000 tool-call indices: assembled in well under a second of CPU, every call printed', async () => {
    const { url } = faultUrl('many-tool-calls');
    const r = await runUnderBash('TIMEFORMAT="@@cpu %3U %3S"; time "$@"', chatArgs(url, 'hello'), { env: key, timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stderr);
    const [, user, sys] = /@@cpu (\d+\.\d+) (\d+\.\d+)/.exec(r.stderr) ?? [];
    assert.ok(user !== undefined, r.stderr);
    const cpu = Number(user) + Number(sys);
    const calls = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))).map((c) => c.id);
    assert.equal(calls.length, 200_000);
    assert.equal(calls.at(-1), 'call_199999');
    if (!sanitized) assert.ok(cpu < 1, `took ${cpu} s of CPU`);
  });

  // ---- the journal ---------------------------------------------------------------------------------

  test('a clock stepped back 30 h with a large journal: the payments made meanwhile still count, the limit holds', async () => {
    // What a step back leaves in payments.jsonl: a payment stamped correctly (2 h ago), then, after
    // the clock went back 30 h, thousands of records (over 1 MB) and one more payment, all stamped
    // 30 h too early. File order is the order they happened: both payments were made within a day.
    const home = h.makeHome();
    const now = Date.now();
    const stamp = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const signed = (id, ms) => JSON.stringify({ v: 1, type: 'signed', id, time: stamp(ms), pid: 1, url: 'http://127.0.0.1/x', realm: '127.0.0.1', challenge_id: `c-${id}`, amount: '1000', currency: h.TOKENS.pathUSD, recipient: h.RECIPIENT.address, chain_id: 42431, tx_hash: `0x${'11'.repeat(32)}`, mode: 'pull' });
    const lines = [signed('a', now - 2 * 3600_000)];
    const stepped = now - 2 * 3600_000 - 30 * 3600_000;
    for (let i = 0; i < 12000; i++) lines.push(JSON.stringify({ v: 1, type: 'refused', id: `f${i}`, time: stamp(stepped + i), pid: 1, problem: 'filler: a busy day' }));
    lines.push(signed('b', stepped + 9000));
    fs.writeFileSync(path.join(home, 'payments.jsonl'), `${lines.join('\n')}\n`, { mode: 0o600 });
    assert.ok(fs.statSync(path.join(home, 'payments.jsonl')).size > 1_000_000);

    // A new payment costs 1000 units plus up to 2100 in fees (the stand-in's gas quote); the two old
    // records carry no fee. Counting only 'a' (the bug) leaves room under 4600; counting both does not.
    const { url, tag } = faultUrl('ok');
    const r = await h.runMpp(chatArgs(url, '--daily-limit', '0.0046', 'hello'), { env: key, home });
    assert.equal(r.code, 5, `2000 units were already signed today; 3100 more would pass the 4600 limit\n${r.stderr}`);
    assert.match(r.stderr, /over the daily budget/);
    assert.equal((await credentialsFor(tag)).length, 0);
    const ok = await h.runMpp(chatArgs(faultUrl('ok').url, '--daily-limit', '0.0051', 'hello'), { env: key, home });
    assert.equal(ok.code, 0, `room for exactly one more payment\n${ok.stderr}`);
  });

  test('a challenge id with quotes and backslashes is paid once: a second run asks four times and refuses', async () => {
    const home = h.makeHome();
    const { url, tag } = faultUrl('quoted-id');
    const first = await h.runMpp(chatArgs(url, 'hello'), { env: key, home });
    assert.equal(first.code, 0, first.stderr);
    const journal = h.readJournal(home);
    assert.equal(journal[0].challenge_id, 'id "with" quotes \\ and \\"backslashes\\');
    const second = await h.runMpp(chatArgs(url, 'hello'), { env: key, home });
    assert.equal(second.code, 5, second.stderr);
    assert.match(second.stderr, /already paid/);
    assert.equal((await credentialsFor(tag)).length, 1, 'the id was paid twice');
    assert.equal(h.readJournal(home).filter((x) => x.type === 'signed').length, 1);
  });

  // ---- receipts ------------------------------------------------------------------------------------

  test('a receipt naming another transaction is reported and not trusted: warning, journal note, the signed hash kept', async () => {
    const { url } = faultUrl('receipt-other-reference');
    const r = await h.runMpp(chatArgs(url, 'hello'), { env: key });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^mpp: warning: the server's Payment-Receipt does not match the payment: its reference '0x(ab){32}' is not the transaction mpp signed \(0x[0-9a-f]{64}\); not trusted/m);
    const [signed, settled] = h.readJournal(r.home);
    assert.equal(settled.type, 'settled');
    // The receipt's reference is not taken: the journal keeps the hash mpp signed, as without a receipt.
    assert.equal(settled.reference, signed.tx_hash);
    assert.equal(settled.reference_source, 'signed transaction');
    assert.match(settled.note, /receipt not trusted: .*is not the transaction mpp signed/);
    assert.ok(settled.note.includes(signed.tx_hash));
  });

  test('an honest receipt (the fault server names the signed hash) is taken without a warning', async () => {
    const { url } = faultUrl('ok');
    const r = await h.runMpp(chatArgs(url, 'hello'), { env: key });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /warning/);
    const [signed, settled] = h.readJournal(r.home);
    assert.equal(settled.reference, signed.tx_hash);
    assert.equal(settled.reference_source, 'receipt');
    assert.equal(settled.note, undefined);
  });

  // ---- terminal injection ----------------------------------------------------------------------------

  test('ESC, OSC, C1 and bidi controls in an RPC error reach stderr escaped', async () => {
    const r = await h.runMpp(['wallet', 'balance', '--network', 'testnet', '--rpc-url', `${fault.url}/fault/hostile-rpc`], { env: key });
    assert.equal(r.code, 3, r.stderr);
    assertNoTerminalControls(r.stderr);
    assert.ok(r.stderr.includes('node says: \\x1b]0;owned\\x07\\x1b[31mred\\u009b2J\\u202eevil'), r.stderr);
  });

  test('the same controls from a hostile RPC during a payment, with -v: stderr stays clean', async () => {
    const { url } = faultUrl('ok');
    const r = await h.runMpp(['chat', '--url', url, '--network', 'testnet', '--rpc-url', `${fault.url}/fault/hostile-rpc`, '-v', '--no-log', 'hello'], { env: key });
    assertNoTerminalControls(r.stderr);
    assert.match(r.stderr, /node says: \\x1b/);
  });

  // ---- batches against a refusing server ---------------------------------------------------------------

  test('a 40-line batch against a server that takes every payment and refuses: 3 payments, the rest skipped, exit 4', async () => {
    const { url, tag } = faultUrl('402-again-after-payment');
    const stdin = `${Array.from({ length: 40 }, (_, i) => JSON.stringify(`line ${i}`)).join('\n')}\n`;
    const r = await h.runMpp(['chat', '--url', url, '--network', 'testnet', '--rpc-url', rpcUrl, '--batch', '-'], { env: key, stdin, timeoutMs: 60_000 });
    assert.equal(r.code, 4, r.stderr);
    assert.equal((await credentialsFor(tag)).length, 3);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(out.length, 40);
    assert.ok(out.slice(0, 3).every((o) => /refused the payment/.test(o.error)), JSON.stringify(out.slice(0, 3)));
    assert.ok(out.slice(3).every((o) => /^skipped: .*--max-failures/.test(o.error) && o.paid === undefined));
    assert.match(r.stderr, /stopped paying after 3 paid answers in a row were refused or not delivered; 37 of 40 batch lines skipped/);
    const journal = h.readJournal(r.home);
    assertJournalConsistent(journal);
    assert.deepEqual(journal.map((x) => x.type), ['signed', 'refused', 'signed', 'refused', 'signed', 'refused']);
  });

  test('--max-failures 1 with -j 4: at most one payment per worker before the batch stops', async () => {
    const { url, tag } = faultUrl('402-again-after-payment');
    const stdin = `${Array.from({ length: 20 }, (_, i) => JSON.stringify(`line ${i}`)).join('\n')}\n`;
    const r = await h.runMpp(['chat', '--url', url, '--network', 'testnet', '--rpc-url', rpcUrl, '--batch', '-', '-j', '4', '--max-failures', '1'], { env: key, stdin });
    assert.equal(r.code, 4, r.stderr);
    const paid = (await credentialsFor(tag)).length;
    assert.ok(paid >= 1 && paid <= 4, `${paid} payments`);
    assert.equal(r.stdout.trim().split('\n').filter((l) => /"error":"skipped: /.test(l)).length, 20 - paid);
  });

  // ---- proxies -----------------------------------------------------------------------------------------

  test('http_proxy and ALL_PROXY set: a loopback service and RPC are reached directly, the proxy sees nothing', async () => {
    const proxy = await h.startFaultServer();
    const { url, tag } = faultUrl('ok');
    const env = { ...key, http_proxy: proxy.url, HTTP_PROXY: proxy.url, https_proxy: proxy.url, ALL_PROXY: proxy.url, all_proxy: proxy.url };
    const r = await h.runMpp(chatArgs(url.replace('127.0.0.1', 'localhost'), 'hello'), { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await credentialsFor(tag)).length, 1);
    assert.deepEqual(await proxy.requests(), [], 'the proxy saw a request');
  });
});

describe('hostile local environment', { skip, timeout: h.SUITE_TIMEOUT_MS }, () => {
  let chain;
  let rpcUrl;
  let fault;
  let seq = 0;
  before(async () => {
    chain = await h.startChain();
    rpcUrl = `${chain.url}/client`;
    // mpp checks the payer's balance (charge + fee) before it signs; the fault server never
    // broadcasts, so this stays the balance throughout.
    await chain.fund(h.PAYER.address, '5000000');
    fault = await h.startFaultServer({ amount: '1000', recipient: h.RECIPIENT.address });
  });
  const faultUrl = (mode) => {
    const tag = `e${++seq}`;
    return { url: `${fault.url}/fault/${mode}/${tag}/v1/chat/completions`, tag };
  };
  const credentialsFor = async (tag) => (await fault.requests()).filter((r) => r.path.includes(`/${tag}/`) && (r.hasAuthorization || r.hasPaymentAuthorization));
  const key = { MPP_PRIVATE_KEY: h.PAYER.key };

  test('ulimit -c unlimited and a crash while a key and a credential are in memory: no core is written', async () => {
    const corePattern = fs.readFileSync('/proc/sys/kernel/core_pattern', 'utf8').trim();
    const dir = h.makeHome('mpp-core-');
    const { url, tag } = faultUrl('hang-after-payment');
    let limits = '';
    const r = await runUnderBash('ulimit -c unlimited && cd "$MPP_HOME" && exec "$@"', ['chat', '--raw', '--url', url, '--network', 'testnet', '--rpc-url', rpcUrl, '--timeout', '30'], {
      env: key,
      home: dir,
      stdin: BODY,
      onSpawn: async (proc) => {
        try {
          await h.waitFor(async () => (await credentialsFor(tag)).length === 1, { what: 'the credential' });
          limits = fs.readFileSync(`/proc/${proc.pid}/limits`, 'utf8');
        } finally {
          proc.kill('SIGSEGV');
        }
      },
    });
    assert.notEqual(r.signal ?? r.code, 0, 'mpp was killed');
    if (!corePattern.startsWith('|')) {
      // The pattern writes into the working directory: anything there would hold the key.
      const cores = fs.readdirSync(dir).filter((f) => f.startsWith('core'));
      assert.deepEqual(cores, [], `core_pattern ${corePattern}: a core dump was written`);
    }
    assert.match(limits, /^Max core file size\s+0\s+0\s/m, limits);
  });

  test('a --dump-credential target that already exists (a file, a FIFO, another user\'s file) is refused before anything is sent', async () => {
    const dir = h.makeHome('mpp-dump-');
    const file = path.join(dir, 'planted');
    fs.writeFileSync(file, 'planted by someone else\n', { mode: 0o644 });
    if (isRoot) fs.chownSync(file, OTHER_UID, OTHER_UID);
    const fifo = path.join(dir, 'fifo');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    for (const target of [file, fifo]) {
      const { url, tag } = faultUrl('ok');
      const r = await h.runMpp(['chat', '--raw', '--url', url, '--network', 'testnet', '--rpc-url', rpcUrl, '--dump-credential', target], { env: key, stdin: BODY, timeoutMs: 20_000 });
      assert.equal(r.timedOut, false, 'mpp blocked on the target');
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /--dump-credential .* already exists/);
      assert.equal((await credentialsFor(tag)).length, 0);
      assert.deepEqual(h.readJournal(r.home), []);
    }
    assert.equal(fs.readFileSync(file, 'utf8'), 'planted by someone else\n');
  });

  test('an MPP_HOME owned by another user is refused with exit 6, nothing sent', { skip: isRoot ? false : 'needs root to give a directory to another user' }, async () => {
    const parent = h.makeHome('mpp-foreign-');
    const home = path.join(parent, 'home');
    fs.mkdirSync(home, { mode: 0o700 });
    fs.chownSync(parent, OTHER_UID, OTHER_UID);
    const { url, tag } = faultUrl('ok');
    const r = await h.runMpp(['chat', '--raw', '--url', url, '--network', 'testnet', '--rpc-url', rpcUrl], { env: key, stdin: BODY, home });
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /the data directory \S+\/home is inside \S+, which belongs to uid 54321, not to you/);
    assert.equal((await credentialsFor(tag)).length, 0);
    assert.equal(fs.existsSync(path.join(home, 'payments.jsonl')), false);
  });
});
