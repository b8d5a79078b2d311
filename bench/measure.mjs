// Running one cold process under mpp_rusage and summarising many runs: the measuring half of bench/.
import { spawn } from 'node:child_process';

const RUSAGE_PREFIX = 'mpp_rusage: ';

/**
 * Runs `argv` under `rusage` (the mpp_rusage binary) with `stdin` and `env`; resolves to
 * {status, wall_us, user_us, sys_us, maxrss_kib, cpu_us, stdout, stderr}. Rejects when the process
 * cannot be measured (no mpp_rusage line) or takes longer than `timeoutMs`.
 */
export function measure(rusage, argv, { stdin = '', env = process.env, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(rusage, argv, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('error', reject);
    proc.on('close', () => {
      clearTimeout(timer);
      const line = stderr.split('\n').findLast((l) => l.startsWith(RUSAGE_PREFIX));
      if (!line) return reject(new Error(`${argv.join(' ')}: no measurement (timed out or crashed)\n${stderr}`));
      const usage = JSON.parse(line.slice(RUSAGE_PREFIX.length));
      stderr = stderr.split('\n').filter((l) => !l.startsWith(RUSAGE_PREFIX)).join('\n');
      resolve({ ...usage, cpu_us: usage.user_us + usage.sys_us, stdout, stderr });
    });
    proc.stdin.on('error', () => {});
    proc.stdin.end(stdin);
  });
}

/** Median of numbers (the mean of the middle two for an even count). */
export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median of `key` over `runs`. */
export const medianOf = (runs, key) => median(runs.map((r) => r[key]));

/** {cpu_ms, user_ms, sys_ms, rss_mib, wall_ms}: medians over `runs`. */
export function summarise(runs) {
  return {
    runs: runs.length,
    cpu_ms: medianOf(runs, 'cpu_us') / 1000,
    user_ms: medianOf(runs, 'user_us') / 1000,
    sys_ms: medianOf(runs, 'sys_us') / 1000,
    rss_mib: medianOf(runs, 'maxrss_kib') / 1024,
    wall_ms: medianOf(runs, 'wall_us') / 1000,
  };
}

/**
 * Runs each case of `cases` ({name, run: async () => measurement}) `rounds` times, interleaved
 * (round-robin) so drift in the machine's load falls on every case alike. Returns {name: [runs]}.
 */
export async function interleave(cases, rounds, progress = () => {}) {
  const out = Object.fromEntries(cases.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const c of cases) out[c.name].push(await c.run(round));
    progress(round + 1, rounds);
  }
  return out;
}
