#!/usr/bin/env node
// The benchmark run behind bench/RESULTS.md (bench/run builds what it needs, then calls this).
// Everything runs on loopback: the chain stand-in, the reference MPP server (tests/servers/paid-service,
// mppx 0.11) in front of the deterministic upstream, and the clients under test as cold processes.
//
//   node bench/bench.mjs --build DIR [--runs 21] [--batch 48] [--out FILE]
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
if (!args.build) throw new Error('usage: node bench/bench.mjs --build DIR [--runs N] [--batch N] [--out FILE]');
const build = path.resolve(args.build);
const RUNS = Number(args.runs ?? 21);
const BATCH = Number(args.batch ?? 48);
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
const [svc, sponsored, slow, fault] = await Promise.all([
  service(), service({ feePayer: h.FEE_PAYER.key }), service({ upstreamDelayMs: 100 }),
  h.startFaultServer({ amount: '1000', recipient: h.RECIPIENT.address }),
]);
await chain.fund(h.FEE_PAYER.address, '1000000000000');
const mppPayer = await h.newPayer(chain, '1000000000000');
const mppxPayer = await h.newPayer(chain, '1000000000000');

// Homes on the disk the user's home is on (the journal's fsync included), and one on tmpfs to show
// what the fsync costs.
const diskHome = fs.mkdtempSync(path.join(os.homedir(), '.mpp-bench-'));
const shmHome = fs.existsSync('/dev/shm') ? fs.mkdtempSync('/dev/shm/mpp-bench-') : null;
process.on('exit', () => [diskHome, shmHome].forEach((d) => d && fs.rmSync(d, { recursive: true, force: true })));

const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MPP_') && !k.startsWith('MPPX_')));
const mppEnv = (home) => ({ ...cleanEnv, HOME: home, MPP_HOME: home, NO_COLOR: '1', MPP_PRIVATE_KEY: mppPayer.key });
const mppxEnv = { ...cleanEnv, HOME: diskHome, NO_UPDATE_NOTIFIER: '1', MPPX_PRIVATE_KEY: mppxPayer.key };
const mppChat = (url) => [bin.mpp, 'chat', '--url', url, '--raw', '--network', 'testnet', '--rpc-url', rpc];

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
log(`paid and unpaid calls, ${RUNS} rounds, interleaved`);
const mppxArgs = (url) => [MPPX, url, '--network', 'testnet', '-r', rpc, '-J', REQUEST, '-s'];
const curlArgs = ['curl', '-sS', '--fail', '-H', 'content-type: application/json', '--data-binary', REQUEST, freeUrl(svc)];
const calls = await interleave([
  { name: 'mpp paid', run: () => paidCall('mpp paid', svc, mppChat(paidUrl(svc)), { stdin: REQUEST, env: mppEnv(diskHome) }) },
  { name: 'mpp unpaid', run: () => unpaidCall('mpp unpaid', mppChat(freeUrl(svc)), { stdin: REQUEST, env: mppEnv(diskHome) }) },
  { name: 'mppx paid', run: () => paidCall('mppx paid', svc, mppxArgs(paidUrl(svc)), { env: mppxEnv }) },
  { name: 'mppx unpaid', run: () => unpaidCall('mppx unpaid', mppxArgs(freeUrl(svc)), { env: mppxEnv }) },
  { name: 'curl unpaid', run: () => unpaidCall('curl unpaid', curlArgs) },
], RUNS, progress('calls'));

// ---- 2. the client's share of a payment, split by what it waits for ---------------------------------------
log(`client share: journal on tmpfs, and a fee-payer service (no RPC), ${RUNS} rounds`);
const shares = await interleave([
  { name: 'disk', run: () => paidCall('mpp paid (disk journal)', svc, mppChat(paidUrl(svc)), { stdin: REQUEST, env: mppEnv(diskHome) }) },
  ...(shmHome ? [
    { name: 'tmpfs', run: () => paidCall('mpp paid (tmpfs journal)', svc, mppChat(paidUrl(svc)), { stdin: REQUEST, env: mppEnv(shmHome) }) },
    { name: 'tmpfs, fee payer', run: () => paidCall('mpp paid (fee payer)', sponsored, mppChat(paidUrl(sponsored)), { stdin: REQUEST, env: mppEnv(shmHome) }) },
  ] : []),
], RUNS, progress('shares'));
const fsyncMs = fsyncProbe(diskHome, RUNS);

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

// ---- 5. micro-benchmarks ---------------------------------------------------------------------------------------
log('micro-benchmarks');
const micro = JSON.parse(execFileSync(bin.micro, ['--benchmark_format=json', '--benchmark_min_time=0.5'], { encoding: 'utf8', maxBuffer: 1 << 24 }));

// ---- the report ------------------------------------------------------------------------------------------------
const summary = Object.fromEntries(Object.entries(calls).map(([k, v]) => [k, summarise(v)]));
const shareSummary = Object.fromEntries(Object.entries(shares).map(([k, v]) => [k, { share_ms: median(v.map((r) => r.share_us)) / 1000, reused: v.every((r) => r.reused) }]));
shareSummary.mppx = { share_ms: median(calls['mppx paid'].map((r) => r.share_us)) / 1000, reused: calls['mppx paid'].every((r) => r.reused) };
const report = renderReport({
  machine: machineInfo(),
  versions: versions(),
  runs: RUNS,
  calls: summary,
  shares: shareSummary,
  fsyncMs,
  startup: { ...Object.fromEntries(Object.entries(startup).map(([k, v]) => [k, summarise(v)])), 'mppx --version': summarise(mppxVersion['mppx --version']) },
  batch,
  micro: micro.benchmarks,
  microContext: micro.context,
});
if (OUT) fs.writeFileSync(OUT, report);
else process.stdout.write(report);
log(OUT ? `wrote ${OUT}` : 'done');
await h.stopAll();

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
