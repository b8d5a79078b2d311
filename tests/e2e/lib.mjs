// Harness for the end-to-end tests (node:test): starts the chain stand-in and the test servers as child
// processes on ephemeral loopback ports, runs the real `mpp` binary in a throwaway MPP_HOME, and makes
// sure every child is gone when the test file ends, even on failure.
//
// Typical use:
//   import { after } from 'node:test';
//   import * as h from './lib.mjs';
//   after(h.stopAll);
//   const chain = await h.startChain();
//   const service = await h.startPaidService({ rpc: `${chain.url}/server` }); // path tags its RPC calls
//   await chain.fund(h.PAYER.address, '5000000');
//   const r = await h.runMpp(['chat', ...], { env: { MPP_PRIVATE_KEY: h.PAYER.key } });
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO = process.env.MPP_SOURCE_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SERVERS_DIR = path.join(REPO, 'tests/servers');

// Well-known anvil keys: test-only, never funded anywhere real.
export const PAYER = { key: '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80', address: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266' };
export const RECIPIENT = { key: '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d', address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' };
export const FEE_PAYER = { key: '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a', address: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC' };
export const UNFUNDED = { key: '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6', address: '0x90F79bf6EB2c4f870365E785982E1f101E93b906' };
export const TOKENS = {
  pathUSD: '0x20c0000000000000000000000000000000000000',
  AlphaUSD: '0x20c0000000000000000000000000000000000001',
  BetaUSD: '0x20c0000000000000000000000000000000000002',
  ThetaUSD: '0x20c0000000000000000000000000000000000003',
};

const READY_TIMEOUT_MS = 20_000;
/** Upper bound for one describe() block, well under ctest's 300 s per file. */
export const SUITE_TIMEOUT_MS = 90_000;
const children = new Set();
const tempDirs = new Set();

/** Throws a readable error when `npm ci` has not been run in tests/servers. */
export function assertServersInstalled() {
  if (!fs.existsSync(path.join(SERVERS_DIR, 'node_modules/mppx/package.json')))
    throw new Error(`test servers are not installed: run \`npm ci\` in ${SERVERS_DIR}`);
}

/** The pinned npm packages (viem, viem/accounts, viem/chains, viem/tempo, mppx, mppx/client). */
export async function loadDeps() {
  assertServersInstalled();
  return import(pathToFileURL(path.join(SERVERS_DIR, 'deps.mjs')).href);
}

/**
 * Starts `node tests/servers/<script> --port 0 ...args` and waits for its {"ready":true,"port":N} line.
 * Returns {port, url, proc, stderr(), stop()}.
 */
export async function startServer(script, args = []) {
  assertServersInstalled();
  const proc = spawn(process.execPath, [path.join(SERVERS_DIR, script), '--port', '0', '--exit-on-stdin-close', ...args], {
    cwd: SERVERS_DIR,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(proc);
  proc.on('exit', () => children.delete(proc));
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  const ready = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${script} not ready after ${READY_TIMEOUT_MS} ms\n${err}`)), READY_TIMEOUT_MS);
    proc.stdout.on('data', (d) => {
      out += d;
      for (const line of out.split('\n').slice(0, -1)) {
        try {
          const msg = JSON.parse(line);
          if (msg.ready) {
            clearTimeout(timer);
            resolve(msg);
          }
        } catch { /* not the ready line */ }
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before ready\n${err}`));
    });
  });
  const url = `http://127.0.0.1:${ready.port}`;
  return { port: ready.port, url, proc, stderr: () => err, stop: () => stop(proc) };
}

function stop(proc) {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), 2_000);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

/** Stops every child and removes every temp dir this file created. Pass to node:test's after(). */
export async function stopAll() {
  await Promise.all([...children].map(stop));
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}
process.on('exit', () => {
  for (const proc of children) proc.kill('SIGKILL');
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** fetch with a bounded timeout; returns parsed JSON, throwing on a non-2xx status. */
export async function fetchJson(url, init = {}, timeoutMs = 10_000) {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${text}`);
  return JSON.parse(text);
}

const post = (url, body) => fetchJson(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Chain stand-in with helpers: state(), fund(), fault(), rpc(). Options: {chainId}. */
export async function startChain({ chainId } = {}) {
  const server = await startServer('chain.mjs', chainId ? ['--chain-id', String(chainId)] : []);
  let rpcId = 0;
  return {
    ...server,
    state: () => fetchJson(`${server.url}/__state`),
    /** Credits `amount` base units (string) of `token` (default pathUSD); set=true overwrites. */
    fund: (address, amount, token = TOKENS.pathUSD, { set = false } = {}) => post(`${server.url}/__fund`, { address, amount: String(amount), token, set }),
    fault: (mode, delayMs) => post(`${server.url}/__fault`, { mode, ...(delayMs !== undefined && { delayMs }) }),
    async rpc(method, params = []) {
      const r = await post(server.url, { jsonrpc: '2.0', id: ++rpcId, method, params });
      if (r.error) throw Object.assign(new Error(r.error.message), { code: r.error.code, data: r.error.data });
      return r.result;
    },
    async balance(address, token = TOKENS.pathUSD) {
      const s = await fetchJson(`${server.url}/__state`);
      return BigInt(s.balances[token.toLowerCase()]?.[address.toLowerCase()] ?? 0);
    },
  };
}

/**
 * paid-service.mjs (mppx reference server). `flags` become --kebab-case flags, e.g.
 * {rpc, amount: '1000', feePayer: key, pushOnly: true, requiresAuth: true, expiresSeconds: 5}.
 */
export async function startPaidService(flags) {
  const server = await startServer('paid-service.mjs', toArgs(flags));
  return { ...server, requests: () => fetchJson(`${server.url}/__requests`) };
}

/** fault-server.mjs. Options: {chainId, recipient, currency, amount}. */
export async function startFaultServer(flags = {}) {
  const server = await startServer('fault-server.mjs', toArgs(flags));
  return { ...server, requests: () => fetchJson(`${server.url}/__requests`) };
}

function toArgs(flags = {}) {
  return Object.entries(flags).flatMap(([k, v]) => {
    const name = `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    if (v === true) return [name];
    if (v === false || v === undefined || v === null) return [];
    return [name, String(v)];
  });
}

/** A fresh directory removed by stopAll(); use as MPP_HOME. */
export function makeHome(prefix = 'mpp-e2e-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** Path of the binary under test, or null when MPP_BIN is unset (tests then skip). */
export const mppBinary = () => process.env.MPP_BIN || null;

/**
 * Runs the real binary with a clean environment: no inherited MPP_* variables, HOME and MPP_HOME in
 * a throwaway dir (unless opts.home is given). Returns {code, signal, stdout, stderr, timedOut, home}.
 * Never rejects for a non-zero exit; rejects only if the binary cannot be started.
 */
export function runMpp(args, { env = {}, stdin, timeoutMs = 60_000, home } = {}) {
  const bin = mppBinary();
  if (!bin) throw new Error('MPP_BIN is not set');
  if (!fs.existsSync(bin)) throw new Error(`MPP_BIN=${bin} does not exist: build the mpp target first`);
  const mppHome = home ?? makeHome();
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MPP_')));
  return new Promise((resolve, reject) => {
    const proc = spawn(bin, args, {
      env: { ...base, HOME: mppHome, MPP_HOME: mppHome, NO_COLOR: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.add(proc);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      proc.kill('SIGKILL');
    }, timeoutMs);
    proc.on('error', (e) => {
      clearTimeout(timer);
      children.delete(proc);
      reject(e);
    });
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(proc);
      resolve({ code, signal, stdout, stderr, timedOut, home: mppHome });
    });
    proc.stdin.on('error', () => {}); // the binary may exit without reading stdin
    if (stdin !== undefined) proc.stdin.end(stdin);
    else proc.stdin.end();
  });
}
