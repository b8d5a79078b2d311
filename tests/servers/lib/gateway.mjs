// What the two gateway emulations (locus.mjs, tempo-proxy.mjs) share: the Tempo mainnet facts of
// ../../../shared/SERVICES.md (chain 4217, USDC.e, NanoUSD, the payees), the viem client mppx settles
// through, body-dependent prices, and the request log entry extras (User-Agent, body keys).
import { createClient, formatUnits, http as httpTransport } from 'viem';
import { tempo as tempoMainnet, tempoModerato } from 'viem/chains';

export const MAINNET_CHAIN_ID = 4217;
/** USDC.e on Tempo mainnet (6 decimals), checksummed as mppx writes it. */
export const USDC_E = '0x20C000000000000000000000b9537d11c60E8b50';
/** NanoUSD (TIP-1015, one configured receiver): offered beside USDC.e by the Tempo proxies since 2026-07. */
export const NANO_USD = '0x20C0000000000000000000008B4c619d2eedEc7A';
/** The one payee of every Locus merchant. */
export const LOCUS_PAYEE = '0x060b0fB0Be9d90557577B3AEE480711067149Ff0';
/** The one payee of every Tempo-hosted service. */
export const TEMPO_PAYEE = '0xca4e835F803cB0b7C428222B3A3B98518d4779Fe';
/** The TIP-1034 escrow precompile session legs name (SESSION.md). */
export const SESSION_ESCROW = '0x4d50500000000000000000000000000000000000';

/** The viem client mppx resolves through getClient, pointed at the chain stand-in. */
export function chainClient(rpc, chainId) {
  const known = { 4217: tempoMainnet, 42431: tempoModerato }[chainId] ?? { ...tempoMainnet, id: chainId };
  return createClient({ chain: known, transport: httpTransport(rpc, { retryCount: 0, timeout: 10_000 }) });
}

/** mppx takes human units (6 decimals) and converts them back to base units in the challenge. */
export const humanUnits = (baseUnits) => formatUnits(BigInt(baseUnits), 6);

/** The token limit a chat body asks for (the first of `fields` that is a positive integer), or null. */
export function maxTokensOf(body, fields) {
  for (const field of fields) {
    const v = body?.[field];
    if (Number.isSafeInteger(v) && v > 0) return v;
  }
  return null;
}

/** Base units for a chat body: `base + perToken * max tokens` (`defaultTokens` when the body sets none). */
export function dynamicPrice({ base, perToken, defaultTokens }, body, fields) {
  const tokens = maxTokensOf(body, fields) ?? defaultTokens;
  return String(base + perToken * tokens);
}

/** Adds what the gateway tests look at to a request log entry: the User-Agent and the JSON body's keys. */
export function annotate(entry, req, parsed) {
  entry.userAgent = req.headers['user-agent'] ?? null;
  entry.bodyKeys = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.keys(parsed).sort() : null;
  entry.stream = parsed?.stream ?? null;
  return entry;
}

/** A Fetch Request for mppx from a buffered Node request (hop-by-hop framing headers dropped). */
export function fetchRequest(req, url, body) {
  const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);
  return new Request(url, {
    method: req.method,
    headers: Object.entries(req.headers).filter(([k]) => !hopByHop.has(k)).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])),
    ...(body.length && { body }),
  });
}
