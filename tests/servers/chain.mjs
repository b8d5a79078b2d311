#!/usr/bin/env node
// Local Tempo JSON-RPC stand-in for end-to-end tests. It really decodes and authenticates 0x76
// transactions, enforces the pool rules a payment depends on, and keeps TIP-20 balances; see
// lib/chain-state.mjs for the rules and README.md for the state and control endpoints.
//
//   node chain.mjs [--port 0] [--chain-id 42431] [--close-grace-seconds 900] [--exit-on-stdin-close]
//
// The TIP-1034 escrow precompile (lib/escrow.mjs) runs inside it; --close-grace-seconds shortens its
// CLOSE_GRACE_PERIOD (900 s on chain) so tests can reach withdraw.
// Prints {"ready":true,"port":N} on stdout once listening on 127.0.0.1.
import http from 'node:http';
import { Chain, RpcError } from './lib/chain-state.mjs';
import { listen, parseFlags, readBody, sendJson, watchParent } from './lib/process.mjs';
import { rpcMethods } from './lib/rpc-methods.mjs';

const flags = parseFlags(process.argv.slice(2), ['exit-on-stdin-close']);
watchParent({ exitOnStdinClose: flags.exitOnStdinClose === true });

const closeGraceSeconds = Number(flags.closeGraceSeconds ?? 900);
if (!Number.isInteger(closeGraceSeconds) || closeGraceSeconds < 0) throw new Error(`--close-grace-seconds: expected whole seconds, got ${flags.closeGraceSeconds}`);
const chain = new Chain({ chainId: Number(flags.chainId ?? 42431), closeGraceSeconds });
const methods = rpcMethods(chain);
const rpcLog = []; // method names in arrival order
// The same with the URL path each call was posted to: give each client its own path (e.g. /server,
// /client) to tell who called what.
const rpcCalls = [];
const fault = { mode: null, delayMs: 0 };
const FAULT_MODES = [null, 'down', 'slow', 'wrongChain', 'hugeGasPrice', 'hugeGasLimit'];
// What a hostile or broken node quotes in those modes: 1,000,000 gwei per gas; 5,000,000,000 gas.
const HOSTILE_QUOTES = { hugeGasPrice: { eth_gasPrice: 10n ** 15n }, hugeGasLimit: { eth_estimateGas: 5_000_000_000n } };

// For eth_call/eth_estimateGas: what was called (target:selector, or the number of Tempo calls).
function summarize(method, params) {
  const req = params?.[0];
  if ((method !== 'eth_call' && method !== 'eth_estimateGas') || !req || typeof req !== 'object') return {};
  if (Array.isArray(req.calls)) return { calls: req.calls.map((c) => `${c.to}:${String(c.data ?? c.input ?? '0x').slice(0, 10)}`) };
  return { calls: [`${req.to}:${String(req.data ?? req.input ?? '0x').slice(0, 10)}`] };
}

async function answer(call, path) {
  const { id = null, method, params = [] } = call ?? {};
  rpcLog.push(method);
  rpcCalls.push({ method, path, ...summarize(method, params) });
  const reply = (body) => ({ jsonrpc: '2.0', id, ...body });
  const handler = Object.hasOwn(methods, method) ? methods[method] : undefined;
  if (!handler) {
    process.stderr.write(`chain: unknown JSON-RPC method ${method}\n`);
    return reply({ error: { code: -32601, message: `the method ${method} does not exist/is not available` } });
  }
  try {
    const hostile = HOSTILE_QUOTES[fault.mode]?.[method];
    if (hostile !== undefined) return reply({ result: `0x${hostile.toString(16)}` });
    return reply({ result: await handler(...params) });
  } catch (e) {
    if (!(e instanceof RpcError)) process.stderr.write(`chain: ${method} failed: ${e.stack}\n`);
    const error = e instanceof RpcError ? { code: e.code, message: e.message, ...(e.data && { data: e.data }) } : { code: -32603, message: `internal error: ${e.message}` };
    if (e instanceof RpcError) chain.rejected.push({ method, code: e.code, reason: e.message });
    return reply({ error });
  }
}

function state() {
  return {
    chainId: chain.chainId,
    blockNumber: chain.latest.number,
    ...chain.ledger.toJSON(),
    txs: chain.txList(),
    channels: chain.escrow.toJSON(),
    closeGraceSeconds,
    rejected: chain.rejected,
    rpcLog,
    rpcCalls,
    fault,
  };
}

async function control(req, res, path) {
  if (req.method === 'GET' && path === '/__state') return sendJson(res, 200, state());
  const body = req.method === 'POST' ? JSON.parse((await readBody(req)).toString() || '{}') : {};
  if (req.method === 'POST' && path === '/__fund') {
    if (!/^0x[0-9a-fA-F]{40}$/.test(body.address ?? '')) return sendJson(res, 400, { error: 'address: expected 0x + 40 hex' });
    if (!/^\d+$/.test(String(body.amount ?? ''))) return sendJson(res, 400, { error: 'amount: expected base units as a decimal string' });
    const hash = chain.fund({ account: body.address, token: body.token, amount: BigInt(body.amount), set: body.set === true });
    return sendJson(res, 200, { hash });
  }
  if (req.method === 'POST' && path === '/__fault') {
    if (!FAULT_MODES.includes(body.mode ?? null)) return sendJson(res, 400, { error: `mode: one of ${FAULT_MODES.join(', ')}` });
    fault.mode = body.mode ?? null;
    fault.delayMs = Number(body.delayMs ?? (fault.mode === 'slow' ? 2000 : 0));
    chain.wrongChain = fault.mode === 'wrongChain';
    return sendJson(res, 200, fault);
  }
  sendJson(res, 404, { error: `no control endpoint ${req.method} ${path}` });
}

async function jsonRpc(req, res, path) {
  // 'down' looks like a dead node: the connection is accepted and then dropped without a response.
  if (fault.mode === 'down') return req.socket.destroy();
  let payload;
  try {
    payload = JSON.parse((await readBody(req)).toString());
  } catch {
    return sendJson(res, 200, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } });
  }
  if (fault.mode === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs));
  // Calls are answered one at a time so a batch sees the state each earlier call left behind.
  let out;
  if (Array.isArray(payload)) {
    out = [];
    for (const call of payload) out.push(await answer(call, path));
  } else out = await answer(payload, path);
  sendJson(res, 200, out);
}

const server = http.createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const handle = path.startsWith('/__') ? control(req, res, path) : req.method === 'POST' ? jsonRpc(req, res, path) : sendJson(res, 405, { error: 'JSON-RPC wants POST' });
  handle.catch((e) => {
    process.stderr.write(`chain: ${e.stack}\n`);
    if (!res.headersSent) sendJson(res, 500, { error: e.message });
  });
});
server.keepAliveTimeout = 1000;
await listen(server, flags.port);
