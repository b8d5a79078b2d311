// What every test server shares: flag parsing, the one-line ready handshake on stdout, exiting when
// the parent test process dies (so a crashed test run never leaves servers behind), and body reading.
import { createHash } from 'node:crypto';
import fs from 'node:fs';

/**
 * Parses `--name value`, `--name=value` and bare `--flag` (true) into an object with camelCase keys.
 * `--config file.json` merges that file's keys first, so flags override it. Unknown names are kept:
 * each server validates what it uses.
 */
export function parseFlags(argv = process.argv.slice(2), booleans = []) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    let [name, value] = arg.slice(2).split(/=(.*)/s, 2);
    if (value === undefined) value = booleans.includes(name) || i + 1 >= argv.length || argv[i + 1].startsWith('--') ? true : argv[++i];
    out[name.replace(/-([a-z])/g, (_, c) => c.toUpperCase())] = value;
  }
  if (typeof out.config === 'string') return { ...JSON.parse(fs.readFileSync(out.config, 'utf8')), ...out };
  return out;
}

/**
 * Exits when the parent goes away: the parent pid changes (reparented to init), or, with
 * `exitOnStdinClose` (the harness passes --exit-on-stdin-close and keeps a pipe open), stdin closes.
 */
export function watchParent({ exitOnStdinClose = false } = {}) {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(0);
  }, 500).unref();
  if (exitOnStdinClose) {
    process.stdin.on('end', () => process.exit(0));
    process.stdin.on('error', () => process.exit(0));
    process.stdin.resume();
  }
}

/** Listens on 127.0.0.1 (port 0 = ephemeral) and prints the ready line the harness waits for. */
export function listen(server, port, extra = {}) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(port ?? 0), '127.0.0.1', () => {
      const actual = server.address().port;
      process.stdout.write(`${JSON.stringify({ ready: true, port: actual, ...extra })}\n`);
      resolve(actual);
    });
  });
}

/** Reads a request body as a Buffer, refusing more than `limit` bytes. */
export function readBody(req, limit = 1 << 20) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * Appends a record of `req` to `log` for GET /__requests. Credentials are never stored: only whether a
 * credential header was present, its scheme, and the public parts of a Payment credential (the echoed
 * challenge id, payload type, source), never the signature or hash it carries.
 */
export function recordRequest(log, req, res, body, arrivedMs = performance.now()) {
  const entry = {
    method: req.method,
    path: req.url,
    hasAuthorization: req.headers.authorization !== undefined,
    hasPaymentAuthorization: req.headers['payment-authorization'] !== undefined,
    credential: publicCredentialParts(req.headers['payment-authorization'] ?? req.headers.authorization),
    bodyBytes: body?.length ?? 0,
    bodySha256: body?.length ? createHash('sha256').update(body).digest('hex') : null,
    status: null, // the status sent, or 'aborted' if the connection closed first
    // performance.now() when the request arrived and when its response was handed to the OS: the gap
    // from a 402's finish to the credential's arrival is the client's share of a payment (bench/).
    arrivedMs,
    finishedMs: null,
    connection: connectionId(req.socket),
  };
  res.on('finish', () => {
    entry.status = res.statusCode;
    entry.finishedMs = performance.now();
  });
  res.on('close', () => (entry.status ??= 'aborted'));
  log.push(entry);
  return entry;
}

const connectionIds = new WeakMap();
let nextConnectionId = 1;
/** A small number naming the TCP connection a request came on, to tell reuse from reconnects. */
function connectionId(socket) {
  if (!connectionIds.has(socket)) connectionIds.set(socket, nextConnectionId++);
  return connectionIds.get(socket);
}

function publicCredentialParts(header) {
  if (typeof header !== 'string') return null;
  const [scheme, token] = header.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() !== 'payment' || !token) return { scheme, parsed: false };
  try {
    const json = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    return { scheme, parsed: true, challengeId: json?.challenge?.id ?? null, payloadType: json?.payload?.type ?? null, action: json?.payload?.action ?? null, source: json?.source ?? null };
  } catch {
    return { scheme, parsed: false };
  }
}

/** Writes a Fetch API Response (JSON or streamed body) to a Node ServerResponse. */
export async function sendResponse(res, response, statusMessage) {
  res.writeHead(response.status, statusMessage ?? response.statusText ?? '', Object.fromEntries(response.headers));
  if (response.body) for await (const chunk of response.body) res.write(chunk);
  res.end();
}
