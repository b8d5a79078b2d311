// Decoder and signature checks for Tempo transactions (EIP-2718 type 0x76) and the 0x78 fee-payer
// hand-off envelope, written on viem's RLP/keccak/secp256k1 primitives only. It deliberately does not
// use viem/ox's Tempo serializer: the point is an implementation independent of both our C++ encoder
// and the reference client. Field layout: PROTOCOL.md section 5.
import { concatHex, fromRlp, getAddress, keccak256, recoverAddress, toRlp } from 'viem';

export const TX_TYPE = '0x76';
export const FEE_PAYER_MAGIC = '0x78';
export const EXPIRING_NONCE_KEY = (1n << 256n) - 1n;
// secp256k1 group order / 2: signatures with a larger s are malleable and rejected, like a real node.
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/** A transaction the chain refuses to decode or authenticate; message names the bad field. */
export class TxError extends Error {}

const fail = (message) => {
  throw new TxError(message);
};

function bytesLen(hex) {
  return (hex.length - 2) / 2;
}

// RLP integers must be minimal: zero is the empty string, no leading zero bytes.
function uint(field, name, maxBytes = 32) {
  if (typeof field !== 'string') fail(`${name}: expected an integer, got a list`);
  if (field === '0x') return 0n;
  if (field.startsWith('0x00')) fail(`${name}: integer has a leading zero byte (non-minimal RLP)`);
  if (bytesLen(field) > maxBytes) fail(`${name}: integer longer than ${maxBytes} bytes`);
  return BigInt(field);
}

function optionalUint(field, name, maxBytes) {
  return field === '0x' ? null : uint(field, name, maxBytes);
}

function address(field, name) {
  if (typeof field !== 'string' || bytesLen(field) !== 20) fail(`${name}: expected a 20-byte address`);
  return field.toLowerCase();
}

function decodeCalls(field) {
  if (!Array.isArray(field) || field.length === 0) fail('calls: expected a non-empty list');
  return field.map((call, i) => {
    if (!Array.isArray(call) || call.length !== 3) fail(`calls[${i}]: expected [to, value, input]`);
    const [to, value, input] = call;
    if (to === '0x') fail(`calls[${i}].to: contract creation is not supported by the stand-in`);
    if (typeof input !== 'string') fail(`calls[${i}].input: expected a byte string`);
    return { to: address(to, `calls[${i}].to`), value: uint(value, `calls[${i}].value`), input: input.toLowerCase() };
  });
}

// The sender signature is a 65-byte string r || s || v. Other lengths are Tempo's typed signature
// envelopes (P256, WebAuthn, keychain) which the stand-in does not verify.
function decodeSenderSignature(field) {
  if (typeof field !== 'string') fail('senderSignature: expected a byte string');
  if (bytesLen(field) !== 65) fail(`senderSignature: expected 65 bytes (secp256k1), got ${bytesLen(field)}`);
  const r = BigInt(`0x${field.slice(2, 66)}`);
  const s = BigInt(`0x${field.slice(66, 130)}`);
  const v = Number.parseInt(field.slice(130, 132), 16);
  // The node accepts 0/1 but hashes the transaction as if v were 27/28 (PROTOCOL.md 5.1).
  if (![0, 1, 27, 28].includes(v)) fail(`senderSignature: v must be 27 or 28, got ${v}`);
  return checkRS({ r, s, yParity: v >= 27 ? v - 27 : v, v }, 'senderSignature');
}

function decodeFeePayerSignature(field) {
  if (!Array.isArray(field) || field.length !== 3) fail('feePayerSignature: expected [yParity, r, s]');
  const yParity = uint(field[0], 'feePayerSignature.yParity', 1);
  if (yParity > 1n) fail('feePayerSignature.yParity must be 0 or 1');
  const r = uint(field[1], 'feePayerSignature.r');
  const s = uint(field[2], 'feePayerSignature.s');
  return checkRS({ r, s, yParity: Number(yParity) }, 'feePayerSignature');
}

function checkRS(sig, name) {
  if (sig.r === 0n || sig.s === 0n) fail(`${name}: r and s must be non-zero`);
  if (sig.s > HALF_N) fail(`${name}: high-s signature (not canonical)`);
  return sig;
}

const word = (n) => `0x${n.toString(16).padStart(64, '0')}`;

async function recover(hash, sig, name) {
  try {
    return (await recoverAddress({ hash, signature: { r: word(sig.r), s: word(sig.s), yParity: sig.yParity } })).toLowerCase();
  } catch (e) {
    fail(`${name}: signature does not recover a public key (${e.shortMessage ?? e.message})`);
  }
}

/**
 * Decodes and authenticates a raw 0x76 transaction or 0x78 hand-off envelope.
 * Returns the fields (bigints for integers, lowercase addresses), the recovered sender and fee payer,
 * the signing hashes and `hash` = keccak256 of the canonical encoding (v normalized to 27/28).
 * Throws TxError on anything malformed, non-canonical or unauthenticated.
 */
export async function decodeTempoTransaction(raw) {
  if (typeof raw !== 'string' || !/^0x([0-9a-fA-F]{2})+$/.test(raw)) fail('raw transaction: expected 0x-prefixed hex bytes');
  raw = raw.toLowerCase();
  const type = raw.slice(0, 4);
  if (type !== TX_TYPE && type !== FEE_PAYER_MAGIC) fail(`raw transaction: unsupported type byte ${type} (want 0x76)`);
  const body = `0x${raw.slice(4)}`;
  let items;
  try {
    items = fromRlp(body, 'hex');
  } catch (e) {
    fail(`raw transaction: invalid RLP (${e.shortMessage ?? e.message})`);
  }
  if (!Array.isArray(items)) fail('raw transaction: payload is not an RLP list');
  // viem's decoder accepts non-canonical length prefixes; a node does not.
  if (toRlp(items) !== body) fail('raw transaction: non-canonical RLP encoding');
  if (items.length !== 14 && items.length !== 15) fail(`raw transaction: expected 14 or 15 list items, got ${items.length}`);

  const keyAuthorization = items.length === 15 ? items[13] : null;
  if (keyAuthorization !== null) fail('keyAuthorization: not supported by the stand-in');
  const sigField = items[items.length - 1];
  const head = items.slice(0, 10);
  const [feeTokenField, slot11, authList] = [items[10], items[11], items[12]];

  const tx = {
    type,
    chainId: uint(head[0], 'chainId', 8),
    maxPriorityFeePerGas: uint(head[1], 'maxPriorityFeePerGas'),
    maxFeePerGas: uint(head[2], 'maxFeePerGas'),
    gasLimit: uint(head[3], 'gasLimit', 8),
    calls: decodeCalls(head[4]),
    accessList: head[5],
    nonceKey: uint(head[6], 'nonceKey'),
    nonce: uint(head[7], 'nonce', 8),
    validBefore: optionalUint(head[8], 'validBefore', 8),
    validAfter: optionalUint(head[9], 'validAfter', 8),
    feeToken: feeTokenField === '0x' ? null : address(feeTokenField, 'feeToken'),
  };
  if (!Array.isArray(tx.accessList)) fail('accessList: expected a list');
  if (!Array.isArray(authList)) fail('aaAuthorizationList: expected a list');
  if (authList.length !== 0) fail('aaAuthorizationList: non-empty lists are not supported by the stand-in');
  const senderSignature = decodeSenderSignature(sigField);

  // Slot 11 says who pays gas: empty = the sender; 0x00 = a sponsor will sign (not broadcastable);
  // [yParity, r, s] = a sponsor signed; a 20-byte address = 0x78 envelope naming the sender.
  let feePayerMode;
  if (type === FEE_PAYER_MAGIC) {
    if (typeof slot11 !== 'string' || bytesLen(slot11) !== 20) fail('0x78 envelope: slot 11 must be the 20-byte sender address');
    feePayerMode = 'envelope';
  } else if (slot11 === '0x') feePayerMode = 'self';
  else if (slot11 === '0x00') feePayerMode = 'marker';
  else if (Array.isArray(slot11)) feePayerMode = 'signed';
  else fail('feePayerSignature: expected empty, 0x00, or [yParity, r, s]');

  // The sender never commits to the fee token when a sponsor is involved (PROTOCOL.md 5.2).
  const sponsored = feePayerMode !== 'self';
  const senderFields = [...head, sponsored ? '0x' : feeTokenField, sponsored ? '0x00' : '0x', authList];
  // Also the preimage of the open's context hash (keccak256(preimage || sender), TIP-1034).
  const senderSigningPreimage = concatHex([TX_TYPE, toRlp(senderFields)]);
  const senderHash = keccak256(senderSigningPreimage);
  const sender = await recover(senderHash, senderSignature, 'senderSignature');

  let feePayer = feePayerMode === 'self' ? sender : null;
  let feePayerHash = null;
  let feePayerSignature = null;
  if (feePayerMode === 'envelope') {
    if (slot11.toLowerCase() !== sender) fail(`0x78 envelope: names sender ${slot11} but the signature recovers ${sender}`);
  } else if (feePayerMode === 'signed') {
    feePayerSignature = decodeFeePayerSignature(slot11);
    feePayerHash = keccak256(concatHex([FEE_PAYER_MAGIC, toRlp([...head, feeTokenField, sender, authList])]));
    feePayer = await recover(feePayerHash, feePayerSignature, 'feePayerSignature');
  }

  const v = senderSignature.yParity + 27;
  const canonicalRaw = concatHex([type, toRlp([...items.slice(0, -1), `${sigField.slice(0, 130)}${v.toString(16)}`])]);
  return {
    ...tx,
    feePayerMode,
    sponsored,
    senderSignature,
    feePayerSignature,
    sender: getAddress(sender),
    feePayer: feePayer && getAddress(feePayer),
    senderHash,
    senderSigningPreimage,
    feePayerHash,
    vNormalized: senderSignature.v !== v,
    raw,
    canonicalRaw,
    hash: keccak256(canonicalRaw),
  };
}
