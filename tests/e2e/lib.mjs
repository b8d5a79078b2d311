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
  /** Tempo mainnet's (chain 4217) USDC.e: what the four real services charge. */
  USDCe: '0x20c000000000000000000000b9537d11c60e8b50',
  /** NanoUSD, the second currency the Tempo proxies offer (mpp does not know it). */
  NanoUSD: '0x20c0000000000000000000008b4c619d2eedec7a',
};
/** The payees of the real gateways (lowercase, as the stand-in reports addresses). */
export const PAYEES = { locus: '0x060b0fb0be9d90557577b3aee480711067149ff0', tempo: '0xca4e835f803cb0b7c428222b3a3b98518d4779fe' };

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

/** Chain stand-in with helpers: state(), fund(), fault(), rpc(). Options: {chainId, closeGraceSeconds}. */
export async function startChain({ chainId, closeGraceSeconds } = {}) {
  const server = await startServer('chain.mjs', [
    ...(chainId ? ['--chain-id', String(chainId)] : []),
    ...(closeGraceSeconds !== undefined ? ['--close-grace-seconds', String(closeGraceSeconds)] : []),
  ]);
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

/**
 * session-service.mjs (mppx 0.11 tempo.session). `flags` become --kebab-case flags, e.g.
 * {rpc, amount: '1000', suggestedDeposit: '5000', unitType: 'token', feePayer: key, payeeKey: key}.
 * The payee (the server's own account) is RECIPIENT unless payeeKey says otherwise.
 */
export async function startSessionService(flags) {
  const server = await startServer('session-service.mjs', toArgs(flags));
  return { ...server, requests: () => fetchJson(`${server.url}/__requests`) };
}

/** locus.mjs (a Locus merchant: groq or grok). Flags: {rpc, service, variant, currency, ...}. */
export async function startLocus(flags) {
  const server = await startServer('locus.mjs', toArgs(flags));
  return { ...server, requests: () => fetchJson(`${server.url}/__requests`) };
}

/** tempo-proxy.mjs (openrouter or openai on the Tempo gateway). Flags: {rpc, service, variant, feePayer, ...}. */
export async function startTempoProxy(flags) {
  const server = await startServer('tempo-proxy.mjs', toArgs(flags));
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

// ---------------------------------------------------------------------------------------------------
// Payment-test helpers (pay.test.mjs, faults.test.mjs): fresh payers, `mpp chat --raw` runs, the
// payment journal, credentials dumped with --dump-credential, and the journal/chain consistency check.

/** The chat request the payment tests send (the upstream answers "echo: hello paid world"). */
export const CHAT_REQUEST = { model: 'm', messages: [{ role: 'user', content: 'hello paid world' }] };

/** A fresh random key, funded with `amount` base units of `token` (default pathUSD; 0 = unfunded). */
export async function newPayer(chain, amount = '5000000', token = TOKENS.pathUSD) {
  const { viemAccounts } = await loadDeps();
  const key = viemAccounts.generatePrivateKey();
  const { address } = viemAccounts.privateKeyToAccount(key);
  if (BigInt(amount) > 0n) await chain.fund(address, String(amount), token);
  return { key, address };
}

/** The records of $home/payments.jsonl, parsed ([] when there is none). Throws on an unparseable line. */
export function readJournal(home) {
  const file = path.join(home, 'payments.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0).map((line, i) => {
    try {
      return JSON.parse(line);
    } catch {
      throw new Error(`payments.jsonl line ${i + 1} is not JSON: ${line}`);
    }
  });
}

/**
 * `mpp chat --url URL --raw --network testnet --rpc-url RPC [-v] ...args` with `key` in MPP_PRIVATE_KEY
 * (omitted when key is null) and the JSON request on stdin. Returns runMpp's result plus `journal`.
 */
export async function runChat(url, { key, rpcUrl, args = [], stdin = JSON.stringify(CHAT_REQUEST), env = {}, home = makeHome(), timeoutMs = 30_000, verbose = false } = {}) {
  if (!rpcUrl) throw new Error('runChat: rpcUrl is required (never let a test reach a public RPC)');
  const argv = ['chat', '--url', url, '--raw', '--network', 'testnet', '--rpc-url', rpcUrl, ...(verbose ? ['-v'] : []), ...args];
  const r = await runMpp(argv, { env: { ...(key && { MPP_PRIVATE_KEY: key }), ...env }, stdin, home, timeoutMs });
  return { ...r, journal: readJournal(home) };
}

/** Transfers on the stand-in paid by `address` (mints excluded), optionally only those after `since` (a state). */
export function transfersFrom(state, address, since) {
  const from = address.toLowerCase();
  return state.transfers.slice(since ? since.transfers.length : 0).filter((t) => t.from === from && (t.kind === 'transfer' || t.kind === 'transferWithMemo'));
}

/** PROTOCOL.md 5.4 attribution memo for (realm, challenge id), no client id. */
export async function attributionMemo(realm, challengeId) {
  const { viem } = await loadDeps();
  const k = (text, bytes) => viem.keccak256(viem.stringToHex(text)).slice(2, 2 + bytes * 2);
  return `0x${k('mpp', 4)}01${k(realm, 10)}${'00'.repeat(10)}${k(challengeId, 7)}`;
}

/**
 * Decodes a credential written by --dump-credential (`Payment <b64url>`): the JSON, its decoded
 * charge `request`, and for a transaction payload the authenticated transaction (`tx`, via the
 * stand-in's own decoder) with its TIP-20 `transfers` [{kind, to, amount, memo, token}].
 */
export async function decodeCredentialFile(file) {
  const token = fs.readFileSync(file, 'utf8').trim().replace(/^Payment\s+/i, '');
  const json = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  const request = JSON.parse(Buffer.from(json.challenge.request, 'base64url').toString('utf8'));
  let tx = null;
  let transfers = [];
  if (json.payload?.type === 'transaction') {
    const { decodeTempoTransaction } = await import(pathToFileURL(path.join(SERVERS_DIR, 'lib/tempo-tx.mjs')).href);
    const { decodeTransferCall } = await import(pathToFileURL(path.join(SERVERS_DIR, 'lib/tip20.mjs')).href);
    tx = await decodeTempoTransaction(json.payload.signature);
    transfers = tx.calls.map((c) => ({ ...decodeTransferCall(c.input), token: c.to }));
  }
  return { ...json, request, tx, transfers };
}

/**
 * What the journal and the chain must agree on after any run (throws an AssertionError otherwise):
 * - every record parses, has a known type, and every outcome follows exactly one `signed` record with
 *   its id; at most one outcome per payment;
 * - no challenge id and no transaction hash is signed twice (never pays the same challenge twice);
 * - every stand-in transfer from the payer belongs to a journaled payment (signed tx_hash or the
 *   settled receipt reference), and that payment's amount is what the transaction moved in total;
 * - a payment journaled as `refused` moved nothing on the stand-in (unless `wallet reconcile` found it
 *   settled there);
 * - what `wallet reconcile` recorded agrees with the stand-in: a `failed` payment moved nothing, one
 *   reconciled `settled` moved its amount in the transaction it names; `lost` and reconcile records
 *   are not flow outcomes (a payment has at most one of those).
 * `transfers`: transfersFrom(state, payer, before) for the run(s) that wrote `journal`.
 */
export function assertJournalMatchesChain(journal, transfers) {
  const signed = new Map();
  const outcomes = new Map();
  const chainSays = new Map(); // what `wallet reconcile` recorded: failed, or settled with evidence
  for (const r of journal) {
    assert.ok(['signed', 'settled', 'refused', 'unknown', 'undelivered', 'failed', 'lost'].includes(r.type), `unknown journal record type ${r.type}`);
    assert.ok(r.id, `journal record without id: ${JSON.stringify(r)}`);
    if (r.type === 'signed') {
      assert.ok(!signed.has(r.id), `payment ${r.id} signed twice`);
      signed.set(r.id, r);
    } else if (r.type === 'failed' || (r.type === 'settled' && r.evidence) || r.type === 'lost') {
      assert.ok(signed.has(r.id), `${r.type} for ${r.id} before (or without) its signed record`);
      if (r.type !== 'lost') chainSays.set(r.id, r);
    } else {
      assert.ok(signed.has(r.id), `outcome ${r.type} for ${r.id} before (or without) its signed record`);
      assert.ok(!outcomes.has(r.id), `payment ${r.id} has two outcomes (${outcomes.get(r.id)?.type}, ${r.type})`);
      outcomes.set(r.id, r);
    }
  }
  const challengeIds = [...signed.values()].map((r) => r.challenge_id);
  assert.equal(new Set(challengeIds).size, challengeIds.length, `a challenge was signed twice: ${challengeIds}`);
  const hashes = [...signed.values()].map((r) => r.tx_hash).filter(Boolean).map((x) => x.toLowerCase());
  assert.equal(new Set(hashes).size, hashes.length, `a transaction hash was signed twice: ${hashes}`);

  const paymentFor = (hash) => [...signed.values()].find((r) => r.tx_hash?.toLowerCase() === hash
    || outcomes.get(r.id)?.reference?.toLowerCase() === hash || chainSays.get(r.id)?.reference?.toLowerCase() === hash);
  const byTx = new Map();
  for (const t of transfers) byTx.set(t.txHash, (byTx.get(t.txHash) ?? 0n) + BigInt(t.amount));
  for (const [hash, total] of byTx) {
    const payment = paymentFor(hash);
    assert.ok(payment, `stand-in transfer ${hash} from the payer has no journal record\njournal: ${JSON.stringify(journal)}`);
    assert.equal(BigInt(payment.amount), total, `journal amount for ${hash}`);
    if (chainSays.get(payment.id)?.type !== 'settled') {
      assert.notEqual(outcomes.get(payment.id)?.type, 'refused', `payment ${hash} is journaled refused but moved funds on chain`);
    }
    assert.notEqual(chainSays.get(payment.id)?.type, 'failed', `payment ${hash} is reconciled failed but moved funds on chain`);
  }
  // A payment the chain was said to settle moved its amount there.
  for (const [id, verdict] of chainSays) {
    if (verdict.type !== 'settled') continue;
    const hash = verdict.reference?.toLowerCase();
    assert.equal(byTx.get(hash), BigInt(signed.get(id).amount), `payment ${id} is reconciled settled in ${hash}, which moved ${byTx.get(hash)}`);
  }
}
import assert from 'node:assert/strict';

// ---------------------------------------------------------------------------------------------------
// Helpers for tests that drive the process themselves (wallet.test.mjs: SIGKILL mid-payment).

/**
 * Starts the real binary exactly as runMpp does (clean environment, throwaway MPP_HOME unless `home`),
 * but returns at once: {proc, home, stdout(), stderr(), done}. `done` resolves like runMpp's result
 * once the process has exited (never rejects for a signal or a non-zero exit). stdin is closed after
 * writing `stdin` (when given). The process is killed by stopAll() if still running.
 */
export function spawnMpp(args, { env = {}, stdin, home } = {}) {
  const bin = mppBinary();
  if (!bin) throw new Error('MPP_BIN is not set');
  if (!fs.existsSync(bin)) throw new Error(`MPP_BIN=${bin} does not exist: build the mpp target first`);
  const mppHome = home ?? makeHome();
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MPP_')));
  const proc = spawn(bin, args, {
    env: { ...base, HOME: mppHome, MPP_HOME: mppHome, NO_COLOR: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(proc);
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d) => (stdout += d));
  proc.stderr.on('data', (d) => (stderr += d));
  const done = new Promise((resolve, reject) => {
    proc.on('error', (e) => {
      children.delete(proc);
      reject(e);
    });
    proc.on('close', (code, signal) => {
      children.delete(proc);
      resolve({ code, signal, stdout, stderr, timedOut: false, home: mppHome });
    });
  });
  proc.stdin.on('error', () => {});
  if (stdin !== undefined) proc.stdin.end(stdin);
  else proc.stdin.end();
  return { proc, home: mppHome, stdout: () => stdout, stderr: () => stderr, done };
}

/** Polls `fn` (sync or async) every `intervalMs` until it returns a truthy value, which it returns; throws after `timeoutMs`. */
export async function waitFor(fn, { timeoutMs = 15_000, intervalMs = 50, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
