#!/usr/bin/env node
// The benchmark run behind bench/RESULTS.md (bench/run builds what it needs, then calls this).
// Everything runs on loopback: the chain stand-in, the reference MPP servers (tests/servers/paid-service
// and session-service, mppx 0.11's tempo.charge and tempo.session) in front of the deterministic
// upstream, and the clients under test as cold processes.
//
//   node bench/bench.mjs --build DIR [--runs 21] [--batch 48] [--session-batch 50] [--out FILE]
//
// DIR holds mpp, bench/mpp_rusage and bench/mpp_micro. Every measured call is checked (exit 0 and the
// expected answer), so a broken client fails the run instead of reporting a fast failure.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import * as h from '../tests/e2e/lib.mjs';
import { interleave, measure, median, summarise } from './measure.mjs';
import { renderReport } from './report.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
if (!args.build) throw new Error('usage: node bench/bench.mjs --build DIR [--runs N] [--batch N] [--session-batch N] [--out FILE]');
const build = path.resolve(args.build);
const RUNS = Number(args.runs ?? 21);
const BATCH = Number(args.batch ?? 48);
const SESSION_BATCH = Number(args['session-batch'] ?? 50);
const OUT = args.out ? path.resolve(args.out) : null;
const bin = { mpp: path.join(build, 'mpp'), rusage: path.join(build, 'bench/mpp_rusage'), micro: path.join(build, 'bench/mpp_micro') };
for (const [name, file] of Object.entries(bin)) if (!fs.existsSync(file)) throw new Error(`${name} not built: ${file}`);
const MPPX = path.join(h.SERVERS_DIR, 'node_modules/.bin/mppx');
const REQUEST = JSON.stringify(h.CHAT_REQUEST);
const ANSWER = 'echo: hello paid world';
const log = (line) => process.stderr.write(`bench: ${line}\n`);

// ---- the local stack --------------------------------------------------------------------------------
const chain = await h.startChain();
const rpc = `${chain.url}/client`;
const service = (flags = {}) => h.startPaidService({ rpc: `${chain.url}/server`, amount: '1000', recipient: h.RECIPIENT.address, ...flags });
// The session server suggests a deposit of 1.00 (mpp's default --max-deposit) at 0.001 a call, so one
// channel pays every measured call by voucher and never needs a top-up (an on-chain transaction).
const SESSION_DEPOSIT = 1_000_000n;
// The stand-in logs each JSON-RPC call with the path it came to: one path per session party, to count
// what a voucher call asks the chain.
const SESSION_RPC = { mpp: 'mpp-session', mppx: 'mppx-session', server: 'session-server' };
const sessionRpc = (who) => `${chain.url}/${SESSION_RPC[who]}`;
const [svc, sponsored, slow, fault, sessionSvc] = await Promise.all([
  service(), service({ feePayer: h.FEE_PAYER.key }), service({ upstreamDelayMs: 100 }),
  h.startFaultServer({ amount: '1000', recipient: h.RECIPIENT.address }),
  h.startSessionService({ rpc: sessionRpc('server'), amount: '1000', suggestedDeposit: String(SESSION_DEPOSIT) }),
]);
await chain.fund(h.FEE_PAYER.address, '1000000000000');
const mppPayer = await h.newPayer(chain, '1000000000000');
const mppxPayer = await h.newPayer(chain, '1000000000000');
// Session payers of their own, so the stand-in's transactions `from` them are the session calls' alone.
const mppSessionPayer = await h.newPayer(chain, '1000000000000');
const mppxSessionPayer = await h.newPayer(chain, '1000000000000');

// Homes on the disk the user's home is on (the journal's fsync included), and one on tmpfs to show
// what the fsync costs.
const diskHome = fs.mkdtempSync(path.join(os.homedir(), '.mpp-bench-'));
const shmHome = fs.existsSync('/dev/shm') ? fs.mkdtempSync('/dev/shm/mpp-bench-') : null;
// One home per session client, shared by all its measured calls: the channel the first (untimed) call
// opens is kept there (mpp: <MPP_HOME>/channels; mppx: $XDG_STATE_HOME/mppx), so each later process
// pays by voucher only.
const sessionHome = fs.mkdtempSync(path.join(os.homedir(), '.mpp-bench-session-'));
const shmSessionHome = shmHome ? fs.mkdtempSync('/dev/shm/mpp-bench-session-') : null;
const mppxSessionHome = fs.mkdtempSync(path.join(os.homedir(), '.mpp-bench-mppx-session-'));
const homes = [diskHome, shmHome, sessionHome, shmSessionHome, mppxSessionHome];
process.on('exit', () => homes.forEach((d) => d && fs.rmSync(d, { recursive: true, force: true })));

const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MPP_') && !k.startsWith('MPPX_') && !k.startsWith('XDG_')));
const mppEnv = (home, key = mppPayer.key) => ({ ...cleanEnv, HOME: home, MPP_HOME: home, NO_COLOR: '1', MPP_PRIVATE_KEY: key });
const mppxEnv = { ...cleanEnv, HOME: diskHome, NO_UPDATE_NOTIFIER: '1', MPPX_PRIVATE_KEY: mppxPayer.key };
const mppxSessionEnv = { ...cleanEnv, HOME: mppxSessionHome, XDG_STATE_HOME: path.join(mppxSessionHome, 'state'), NO_UPDATE_NOTIFIER: '1', MPPX_PRIVATE_KEY: mppxSessionPayer.key };
const mppSessionEnv = mppEnv(sessionHome, mppSessionPayer.key);
const mppChat = (url, rpcUrl = rpc) => [bin.mpp, 'chat', '--url', url, '--raw', '--network', 'testnet', '--rpc-url', rpcUrl];

function expectAnswer(what, r) {
  let content;
  try {
    content = JSON.parse(r.stdout).choices[0].message.content;
  } catch { /* reported below */ }
  if (r.status !== 0 || content !== ANSWER) throw new Error(`${what}: exit ${r.status}, stdout ${r.stdout.slice(0, 200)}\n${r.stderr}`);
  return r;
}

/** One paid call; adds `share_us`: the server-side gap between its 402 going out and the credential arriving. */
async function paidCall(what, server, argv, options) {
  const before = (await server.requests()).length;
  const r = expectAnswer(what, await measure(bin.rusage, argv, options));
  const reqs = (await server.requests()).slice(before);
  const challenge = reqs.find((x) => x.status === 402);
  const paid = reqs.find((x) => x.credential);
  if (!challenge || !paid || reqs.filter((x) => x.credential).length !== 1) throw new Error(`${what}: expected one 402 and one credential, got ${JSON.stringify(reqs)}`);
  return { ...r, share_us: (paid.arrivedMs - challenge.finishedMs) * 1000, reused: paid.connection === challenge.connection };
}
const unpaidCall = async (what, argv, options) => expectAnswer(what, await measure(bin.rusage, argv, options));

const paidUrl = (s) => `${s.url}/v1/chat/completions`;
const freeUrl = (s) => `${s.url}/free/v1/chat/completions`;
const progress = (what) => (done, total) => (done === total || done % 5 === 0) && log(`${what}: ${done}/${total}`);

// ---- 1. one call, cold process: CPU, RSS, wall -----------------------------------------------------------
const mppxArgs = (url, rpcUrl = rpc) => [MPPX, url, '--network', 'testnet', '-r', rpcUrl, '-J', REQUEST, '-s'];
const curlArgs = ['curl', '-sS', '--fail', '-H', 'content-type: application/json', '--data-binary', REQUEST, freeUrl(svc)];

// The session clients' first calls open their channels, untimed; every measured session call after
// that is a new process paying by voucher on the channel its home keeps.
log('session: each client\'s first call opens its channel (untimed)');
const beforeOpen = await chain.state();
await paidCall('mpp session open', sessionSvc, mppChat(paidUrl(sessionSvc), sessionRpc('mpp')), { stdin: REQUEST, env: mppSessionEnv });
await paidCall('mppx session open', sessionSvc, mppxArgs(paidUrl(sessionSvc), sessionRpc('mppx')), { env: mppxSessionEnv });
const afterOpen = await chain.state();
const sessionOpens = { mpp: onChainFrom(beforeOpen, afterOpen, mppSessionPayer.address), mppx: onChainFrom(beforeOpen, afterOpen, mppxSessionPayer.address) };
const journalAfterOpen = h.readJournal(sessionHome).length;

log(`paid and unpaid calls, ${RUNS} rounds, interleaved`);
const calls = await interleave([
  { name: 'mpp paid', run: () => paidCall('mpp paid', svc, mppChat(paidUrl(svc)), { stdin: REQUEST, env: mppEnv(diskHome) }) },
  { name: 'mpp unpaid', run: () => unpaidCall('mpp unpaid', mppChat(freeUrl(svc)), { stdin: REQUEST, env: mppEnv(diskHome) }) },
  { name: 'mpp voucher', run: () => paidCall('mpp voucher', sessionSvc, mppChat(paidUrl(sessionSvc), sessionRpc('mpp')), { stdin: REQUEST, env: mppSessionEnv }) },
  { name: 'mpp unpaid, session server', run: () => unpaidCall('mpp unpaid (session server)', mppChat(freeUrl(sessionSvc)), { stdin: REQUEST, env: mppSessionEnv }) },
  { name: 'mppx paid', run: () => paidCall('mppx paid', svc, mppxArgs(paidUrl(svc)), { env: mppxEnv }) },
  { name: 'mppx unpaid', run: () => unpaidCall('mppx unpaid', mppxArgs(freeUrl(svc)), { env: mppxEnv }) },
  { name: 'mppx voucher', run: () => paidCall('mppx voucher', sessionSvc, mppxArgs(paidUrl(sessionSvc), sessionRpc('mppx')), { env: mppxSessionEnv }) },
  { name: 'mppx unpaid, session server', run: () => unpaidCall('mppx unpaid (session server)', mppxArgs(freeUrl(sessionSvc)), { env: mppxSessionEnv }) },
  { name: 'curl unpaid', run: () => unpaidCall('curl unpaid', curlArgs) },
], RUNS, progress('calls'));
// What the measured voucher calls cost on chain (the payers are the session calls' own), and what
// mpp journaled for them: one signed record each, by mode.
const afterVouchers = await chain.state();
const sessionCalls = {
  runs: RUNS,
  opens: sessionOpens,
  mpp: onChainFrom(afterOpen, afterVouchers, mppSessionPayer.address),
  mppx: onChainFrom(afterOpen, afterVouchers, mppxSessionPayer.address),
  payee: onChainFrom(afterOpen, afterVouchers, h.RECIPIENT.address), // the session server's own account
  journal: journalModes(h.readJournal(sessionHome).slice(journalAfterOpen)),
  // JSON-RPC calls during the measured rounds, by party and method (only the voucher calls use these paths).
  rpc: Object.fromEntries(Object.entries(SESSION_RPC).map(([who, tag]) => [who, rpcMethods(afterOpen, afterVouchers, tag)])),
};

// ---- 2. the client's share of a payment, split by what it waits for ---------------------------------------
// Charges and vouchers, each with the home on disk and on tmpfs (a second channel, opened untimed),
// so what the disk costs each payment shows in the same rounds.
log(`client share: charge and voucher, home on disk and on tmpfs, and a fee-payer service (no RPC), ${RUNS} rounds`);
const voucherIn = (home) => paidCall('mpp voucher', sessionSvc, mppChat(paidUrl(sessionSvc), sessionRpc('mpp')), { stdin: REQUEST, env: mppEnv(home, mppSessionPayer.key) });
if (shmSessionHome) await voucherIn(shmSessionHome);
const shares = await interleave([
  { name: 'disk', run: () => paidCall('mpp paid (disk journal)', svc, mppChat(paidUrl(svc)), { stdin: REQUEST, env: mppEnv(diskHome) }) },
  { name: 'voucher', run: () => voucherIn(sessionHome) },
  ...(shmHome ? [
    { name: 'tmpfs', run: () => paidCall('mpp paid (tmpfs journal)', svc, mppChat(paidUrl(svc)), { stdin: REQUEST, env: mppEnv(shmHome) }) },
    { name: 'voucher, tmpfs', run: () => voucherIn(shmSessionHome) },
    { name: 'tmpfs, fee payer', run: () => paidCall('mpp paid (fee payer)', sponsored, mppChat(paidUrl(sponsored)), { stdin: REQUEST, env: mppEnv(shmHome) }) },
  ] : []),
], RUNS, progress('shares'));
const fsyncMs = fsyncProbe(diskHome, RUNS);
const replaceProbe = atomicReplaceProbe(sessionHome, RUNS);

// ---- 3. startup --------------------------------------------------------------------------------------------
log('startup');
const startupRuns = Math.max(RUNS, 51);
const startup = await interleave([
  { name: 'mpp --version', run: () => measure(bin.rusage, [bin.mpp, '--version'], { env: mppEnv(diskHome) }) },
  { name: 'curl --version', run: () => measure(bin.rusage, ['curl', '--version']) },
  { name: 'mpp quote', run: () => measure(bin.rusage, [bin.mpp, 'quote', '--url', paidUrl(svc), '--network', 'testnet', '--rpc-url', rpc], { stdin: REQUEST, env: mppEnv(diskHome) }) },
], startupRuns, progress('startup'));
const mppxVersion = await interleave([{ name: 'mppx --version', run: () => measure(bin.rusage, [MPPX, '--version'], { env: mppxEnv }) }], 5);
for (const r of startup['mpp quote']) if (r.status !== 0 || !/0\.001/.test(r.stdout)) throw new Error(`mpp quote: exit ${r.status}\n${r.stdout}${r.stderr}`);

// ---- 4. batch throughput -------------------------------------------------------------------------------------
log(`batch: ${BATCH} prompts at -j 1, 4, 16 against a 100 ms upstream, an instant one, and a 100 ms one behind a server that checks nothing`);
const prompts = path.join(diskHome, 'prompts.jsonl');
fs.writeFileSync(prompts, Array.from({ length: BATCH }, (_, i) => JSON.stringify(`prompt number ${i}`)).join('\n') + '\n');
const batch = [];
// The reference server verifies and settles every payment on one Node.js thread; the fault server's
// upstream-100ms mode accepts any credential unchecked, so there only the client and the 100 ms count.
const batchTargets = [
  { upstream: '100 ms', server: slow, url: paidUrl(slow) },
  { upstream: 'instant', server: svc, url: paidUrl(svc) },
  { upstream: '100 ms, server checks nothing', server: fault, url: `${fault.url}/fault/upstream-100ms/bench/v1/chat/completions` },
];
for (const { upstream, server, url } of batchTargets) {
  for (const jobs of [1, 4, 16]) {
    const runs = [];
    const serverCpuBefore = serverCpuMs([server, chain]);
    for (let i = 0; i < 3; i++) {
      const r = await measure(bin.rusage, [bin.mpp, 'chat', '--batch', prompts, '-j', String(jobs), '--url', url, '--network', 'testnet', '--rpc-url', rpc], { env: mppEnv(diskHome) });
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
      const ok = lines.length === BATCH && lines.every((l, n) => l.index === n && l.output === `echo: prompt number ${n}` && l.paid);
      if (r.status !== 0 || !ok) throw new Error(`batch -j ${jobs} (${upstream}): exit ${r.status}\n${r.stdout.slice(0, 400)}\n${r.stderr}`);
      runs.push(r);
    }
    const wall = median(runs.map((r) => r.wall_us)) / 1e6;
    batch.push({
      upstream, jobs, calls: BATCH, wall_s: wall, per_s: BATCH / wall,
      cpu_ms_per_call: median(runs.map((r) => r.cpu_us)) / 1000 / BATCH,
      server_cpu_ms_per_call: (serverCpuMs([server, chain]) - serverCpuBefore) / (3 * BATCH),
    });
    log(`batch ${upstream} -j ${jobs}: ${(BATCH / wall).toFixed(1)} calls/s`);
  }
}

// ---- 4b. a batch through one channel ---------------------------------------------------------------------------
log(`session batch: ${SESSION_BATCH} prompts at -j 1 and 4 on a new channel, on the channel already open, and by charge`);
const sessionPrompts = path.join(diskHome, 'session-prompts.jsonl');
fs.writeFileSync(sessionPrompts, Array.from({ length: SESSION_BATCH }, (_, i) => JSON.stringify(`prompt ${i + 1}`)).join('\n') + '\n');
const freshPayer = async () => {
  const home = fs.mkdtempSync(path.join(os.homedir(), '.mpp-bench-batch-'));
  homes.push(home);
  return { payer: await h.newPayer(chain, '1000000000000'), home };
};
const sessionBatchCases = [
  { paidBy: 'session, new channel', server: sessionSvc, url: paidUrl(sessionSvc), wallet: freshPayer },
  { paidBy: 'session, channel already open', server: sessionSvc, url: paidUrl(sessionSvc), wallet: async () => ({ payer: mppSessionPayer, home: sessionHome }) },
  { paidBy: 'charge', server: svc, url: paidUrl(svc), wallet: async () => ({ payer: mppPayer, home: diskHome }) },
];
const sessionBatch = [];
for (const { paidBy, server, url, wallet } of sessionBatchCases) {
  for (const jobs of [1, 4]) {
    const runs = [];
    let txs = 0;
    let fees = 0;
    const journal = [];
    const serverCpuBefore = serverCpuMs([server, chain]);
    for (let i = 0; i < 3; i++) {
      const { payer, home } = await wallet();
      const before = await chain.state();
      const journalBefore = h.readJournal(home).length;
      const r = await measure(bin.rusage, [bin.mpp, 'chat', '--batch', sessionPrompts, '-j', String(jobs), '--no-stream', '--url', url, '--network', 'testnet', '--rpc-url', rpc], { env: mppEnv(home, payer.key) });
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
      const ok = lines.length === SESSION_BATCH && lines.every((l, n) => l.index === n && l.output === `echo: prompt ${n + 1}` && l.paid);
      if (r.status !== 0 || !ok) throw new Error(`batch (${paidBy}) -j ${jobs}: exit ${r.status}\n${r.stdout.slice(0, 400)}\n${r.stderr}`);
      const spent = onChainFrom(before, await chain.state(), payer.address);
      txs += spent.txs;
      fees += spent.fees;
      journal.push(...h.readJournal(home).slice(journalBefore));
      runs.push(r);
    }
    const wall = median(runs.map((r) => r.wall_us)) / 1e6;
    sessionBatch.push({
      paidBy, jobs, calls: SESSION_BATCH, wall_s: wall, per_s: SESSION_BATCH / wall,
      cpu_ms_per_call: median(runs.map((r) => r.cpu_us)) / 1000 / SESSION_BATCH,
      server_cpu_ms_per_call: (serverCpuMs([server, chain]) - serverCpuBefore) / (3 * SESSION_BATCH),
      txs_per_call: txs / (3 * SESSION_BATCH),
      fees_per_batch: fees / 3 / 1e6, // pathUSD (6 decimals)
      journal: journalModes(journal),
    });
    log(`batch ${paidBy} -j ${jobs}: ${(SESSION_BATCH / wall).toFixed(1)} calls/s, ${txs} transactions from the payer in 3 runs`);
  }
}

// ---- 5. micro-benchmarks ---------------------------------------------------------------------------------------
log('micro-benchmarks');
const micro = JSON.parse(execFileSync(bin.micro, ['--benchmark_format=json', '--benchmark_min_time=0.5'], { encoding: 'utf8', maxBuffer: 1 << 24 }));

// ---- the report ------------------------------------------------------------------------------------------------
const summary = Object.fromEntries(Object.entries(calls).map(([k, v]) => [k, summarise(v)]));
const shareOf = (runs) => ({ share_ms: median(runs.map((r) => r.share_us)) / 1000, cpu_ms: median(runs.map((r) => r.cpu_us)) / 1000, reused: runs.every((r) => r.reused) });
const shareSummary = Object.fromEntries(Object.entries(shares).map(([k, v]) => [k, shareOf(v)]));
shareSummary.mppx = shareOf(calls['mppx paid']);
shareSummary['mppx voucher'] = shareOf(calls['mppx voucher']);
const report = renderReport({
  machine: machineInfo(),
  versions: versions(),
  runs: RUNS,
  calls: summary,
  shares: shareSummary,
  fsyncMs,
  replaceProbe,
  startup: { ...Object.fromEntries(Object.entries(startup).map(([k, v]) => [k, summarise(v)])), 'mppx --version': summarise(mppxVersion['mppx --version']) },
  batch,
  sessionCalls,
  sessionBatch,
  micro: micro.benchmarks,
  microContext: micro.context,
});
if (OUT) fs.writeFileSync(OUT, report);
else process.stdout.write(report);
log(OUT ? `wrote ${OUT}` : 'done');
await h.stopAll();

/** What the stand-in recorded from `address` between two states: its transactions and the fees it paid (base units). */
function onChainFrom(before, after, address) {
  const who = address.toLowerCase();
  return {
    txs: after.txs.slice(before.txs.length).filter((t) => t.from === who).length,
    fees: Number(after.fees.slice(before.fees.length).filter((f) => f.payer === who).reduce((sum, f) => sum + BigInt(f.amount), 0n)),
  };
}

/** {method: count} of the JSON-RPC calls posted to `/${tag}` on the stand-in between two states. */
function rpcMethods(before, after, tag) {
  const methods = {};
  for (const c of after.rpcCalls.slice(before.rpcCalls.length)) if (c.path === `/${tag}`) methods[c.method] = (methods[c.method] ?? 0) + 1;
  return methods;
}

/** {mode: count} of the payments in journal `records` (signed records by mode, top-ups by type). */
function journalModes(records) {
  const modes = {};
  for (const r of records) {
    const key = r.type === 'signed' ? r.mode : r.type === 'top-up' ? 'top-up' : null;
    if (key) modes[key] = (modes[key] ?? 0) + 1;
  }
  return modes;
}

/** CPU milliseconds the local servers' processes have used so far (from /proc; 10 ms steps). */
function serverCpuMs(servers) {
  const ticks = servers.reduce((sum, s) => {
    const fields = fs.readFileSync(`/proc/${s.proc.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return sum + Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  }, 0);
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** Median milliseconds of appending a journal-sized line and fsync-ing it, in `dir`. */
function fsyncProbe(dir, runs) {
  const file = path.join(dir, 'fsync-probe');
  const fd = fs.openSync(file, 'a', 0o600);
  const times = [];
  for (let i = 0; i < runs; i++) {
    fs.writeSync(fd, `${'x'.repeat(480)}\n`);
    const t = process.hrtime.bigint();
    fs.fsyncSync(fd);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  fs.closeSync(fd);
  fs.rmSync(file);
  return median(times);
}

/**
 * Medians of replacing a channel-record-sized file atomically in `dir` the way mpp's channel store does
 * (a new temp file written and fsync'd, renamed over the old one, the directory fsync'd): {wall_ms,
 * cpu_ms}, the CPU being this process's (the fsync's kernel work on its behalf).
 */
function atomicReplaceProbe(dir, runs) {
  const file = path.join(dir, 'replace-probe.json');
  const walls = [];
  const cpus = [];
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage();
    const t = process.hrtime.bigint();
    const temp = `${file}.tmp-${i}`;
    const fd = fs.openSync(temp, 'wx', 0o600);
    fs.writeSync(fd, `${'x'.repeat(800)}\n`);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(temp, file);
    const dirFd = fs.openSync(dir, 'r');
    fs.fsyncSync(dirFd);
    fs.closeSync(dirFd);
    walls.push(Number(process.hrtime.bigint() - t) / 1e6);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
  }
  fs.rmSync(file);
  return { wall_ms: median(walls), cpu_ms: median(cpus) };
}

function machineInfo() {
  const cpus = os.cpus();
  const firstLine = (cmd, argv) => {
    try {
      return execFileSync(cmd, argv, { encoding: 'utf8' }).split('\n')[0].trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    os: `${firstLine('sh', ['-c', '. /etc/os-release && echo "$PRETTY_NAME"'])}, Linux ${os.release()}`,
    load: os.loadavg().map((x) => x.toFixed(2)).join(' '),
  };
}

function versions() {
  const first = (cmd, argv) => execFileSync(cmd, argv, { encoding: 'utf8' }).split('\n')[0].trim();
  const mppxPkg = JSON.parse(fs.readFileSync(path.join(h.SERVERS_DIR, 'node_modules/mppx/package.json'), 'utf8'));
  return {
    mpp: `${first(bin.mpp, ['--version'])} (${first('git', ['-C', h.REPO, 'rev-parse', '--short', 'HEAD'])}), ${first('c++', ['--version'])}, Release`,
    mppx: `mppx ${mppxPkg.version} (CLI and server), Node.js ${process.version}`,
    curl: first('curl', ['--version']),
  };
}
