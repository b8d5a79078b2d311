// The stand-in's chain: validates Tempo transactions the way a node's pool would (chain id, expiring
// nonce window, replay, fees, balances), executes TIP-20 transfers on the Ledger, and keeps blocks,
// receipts and transactions for the JSON-RPC layer. One transaction per block, mined on submission.
//
// Fee model (deterministic, documented in README): a transaction burns its whole gasLimit at
// maxFeePerGas; fee = ceil(gasLimit * maxFeePerGas / 1e12) base units of the fee token (the 1e12
// converts 18-decimal gas pricing to 6-decimal TIP-20 units, as Tempo does). The fee token is the
// transaction's feeToken, else the token every call targets, else pathUSD.
import { encodeErrorResult, keccak256, stringToHex } from 'viem';
import { Abis } from 'viem/tempo';
import { Ledger, InsufficientBalance } from './ledger.mjs';
import { decodeTempoTransaction, EXPIRING_NONCE_KEY, TxError } from './tempo-tx.mjs';
import * as Tip20 from './tip20.mjs';

export const BASE_FEE = 20_000_000_000n; // 20 gwei
export const PRIORITY_FEE = 1_000_000_000n; // 1 gwei
export const ESTIMATED_GAS = 100_000n;
const EXPIRING_WINDOW_SECONDS = 30n;
const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';
const hex = (n) => `0x${BigInt(n).toString(16)}`;

/** A JSON-RPC error to send back verbatim ({code, message, data?}). */
export class RpcError extends Error {
  constructor(code, message, data) {
    super(message);
    this.code = code;
    this.data = data;
  }
}

const reject = (message) => new RpcError(-32000, message);
// Reverts carry the TIP-20 custom error as data, so viem decodes them like a real node's.
function revert(message, errorName, args) {
  return new RpcError(3, `execution reverted: ${message}`, encodeErrorResult({ abi: Abis.tip20, errorName, args }));
}
const insufficient = (e) => revert(e.message, 'InsufficientBalance', [e.available, e.required, e.token]);

export class Chain {
  ledger = new Ledger();
  blocks = [];
  txs = new Map(); // hash -> {record, receipt, rpc}
  nonces = new Map(); // `${sender}|${nonceKey}` -> next nonce (non-expiring keys only)
  rejected = []; // {method, reason}
  #synthetic = 0;

  constructor({ chainId = 42431, now = () => Date.now() } = {}) {
    this.chainId = chainId;
    this.now = now;
    this.wrongChain = false; // fault mode: the node claims, and enforces, a different chain id
    this.#mine([]);
  }

  get activeChainId() {
    return this.wrongChain ? (this.chainId === 4217 ? 42431 : 4217) : this.chainId;
  }

  get latest() {
    return this.blocks[this.blocks.length - 1];
  }

  #mine(txHashes) {
    const number = this.blocks.length;
    const block = {
      number,
      hash: keccak256(stringToHex(`stand-in block ${number}`)),
      parentHash: number ? this.latest.hash : `0x${'0'.repeat(64)}`,
      timestamp: Math.floor(this.now() / 1000),
      txHashes,
    };
    this.blocks.push(block);
    return block;
  }

  /** Credits `amount` (or sets the balance) through a synthetic mint transaction with a receipt. */
  fund({ account, token = Tip20.PATH_USD, amount, set = false, kind = 'fund' }) {
    if (!Tip20.isToken(token)) throw new RpcError(-32602, `unknown token ${token}`);
    const hash = keccak256(stringToHex(`stand-in ${kind} ${++this.#synthetic}`));
    const before = this.ledger.balanceOf(token, account);
    this.ledger.credit({ txHash: hash, token, account, amount, set, kind });
    const minted = set ? amount - before : amount;
    const logs = minted > 0n ? Tip20.transferLogs({ token: token.toLowerCase(), from: ZERO_ADDRESS, to: account, amount: minted }) : [];
    this.#include({ hash, from: ZERO_ADDRESS, to: token.toLowerCase(), logs, gasUsed: 0n, gasPrice: 0n, feeToken: null, feePayer: ZERO_ADDRESS, kind, tx: null });
    return hash;
  }

  faucet(account) {
    return Tip20.FAUCET_TOKENS.map((token) => this.fund({ account, token, amount: Tip20.FAUCET_AMOUNT, kind: 'faucet' }));
  }

  #include({ hash, from, to, logs, gasUsed, gasPrice, feeToken, feePayer, kind, tx }) {
    const block = this.#mine([hash]);
    const receipt = {
      transactionHash: hash,
      transactionIndex: '0x0',
      blockHash: block.hash,
      blockNumber: hex(block.number),
      from,
      to,
      cumulativeGasUsed: hex(gasUsed),
      gasUsed: hex(gasUsed),
      effectiveGasPrice: hex(gasPrice),
      contractAddress: null,
      logs: logs.map((l, i) => ({
        ...l, blockHash: block.hash, blockNumber: hex(block.number), transactionHash: hash,
        transactionIndex: '0x0', logIndex: hex(i), removed: false,
      })),
      logsBloom: `0x${'0'.repeat(512)}`,
      status: '0x1',
      type: '0x76',
      feeToken,
      feePayer,
    };
    this.txs.set(hash, { kind, block, receipt, tx });
    return receipt;
  }

  /**
   * Validates, executes and mines a raw transaction. Returns the receipt; throws RpcError (-32602 for
   * undecodable input, -32000 for a refused transaction) without touching any state.
   */
  async submit(raw) {
    let tx;
    try {
      tx = await decodeTempoTransaction(raw);
    } catch (e) {
      if (e instanceof TxError) throw new RpcError(-32602, `failed to decode signed transaction: ${e.message}`);
      throw e;
    }
    if (tx.feePayerMode === 'envelope')
      throw reject('fee payer signature missing: 0x78 is the sponsor hand-off envelope, not a broadcastable transaction');
    if (tx.feePayerMode === 'marker')
      throw reject('fee payer signature missing: slot 11 holds the 0x00 sponsorship marker');
    if (tx.chainId !== BigInt(this.activeChainId))
      throw reject(`invalid chain id: transaction is for ${tx.chainId}, this node is ${this.activeChainId}`);
    if (this.txs.has(tx.hash)) throw reject(`transaction already known: ${tx.hash}`);
    this.#checkValidity(tx);
    this.#checkGas(tx);
    const effects = this.#effects(tx);
    try {
      this.ledger.apply({ txHash: tx.hash, ...effects });
    } catch (e) {
      if (e instanceof InsufficientBalance) throw reject(e.message);
      throw e;
    }
    if (tx.nonceKey !== EXPIRING_NONCE_KEY) this.nonces.set(`${tx.sender.toLowerCase()}|${tx.nonceKey}`, tx.nonce + 1n);
    const logs = effects.transfers.flatMap((t) => Tip20.transferLogs(t));
    return this.#include({
      hash: tx.hash, from: tx.sender.toLowerCase(), to: tx.calls[0].to, logs, gasUsed: tx.gasLimit,
      gasPrice: tx.maxFeePerGas, feeToken: effects.fee.token, feePayer: tx.feePayer.toLowerCase(), kind: 'tx', tx,
    });
  }

  #checkValidity(tx) {
    const now = BigInt(Math.floor(this.now() / 1000));
    if (tx.validAfter !== null && tx.validAfter > now) throw reject(`transaction not yet valid: validAfter ${tx.validAfter} > now ${now}`);
    if (tx.nonceKey === EXPIRING_NONCE_KEY) {
      if (tx.nonce !== 0n) throw reject(`expiring nonce: nonce must be 0, got ${tx.nonce}`);
      if (tx.validBefore === null) throw reject('expiring nonce: validBefore is required');
      if (tx.validBefore <= now) throw reject(`expiring nonce: transaction expired (validBefore ${tx.validBefore} <= now ${now})`);
      if (tx.validBefore > now + EXPIRING_WINDOW_SECONDS)
        throw reject(`expiring nonce: validBefore ${tx.validBefore} is more than ${EXPIRING_WINDOW_SECONDS}s after now ${now}`);
      return;
    }
    if (tx.validBefore !== null && tx.validBefore <= now) throw reject(`transaction expired: validBefore ${tx.validBefore} <= now ${now}`);
    const expected = this.nonceOf(tx.sender, tx.nonceKey);
    if (tx.nonce !== expected) throw reject(`nonce ${tx.nonce < expected ? 'too low' : 'too high'}: expected ${expected}, got ${tx.nonce}`);
  }

  #checkGas(tx) {
    if (tx.gasLimit < 21_000n) throw reject(`intrinsic gas too low: gasLimit ${tx.gasLimit}`);
    if (tx.maxFeePerGas < BASE_FEE) throw reject(`max fee per gas less than block base fee: ${tx.maxFeePerGas} < ${BASE_FEE}`);
    if (tx.maxPriorityFeePerGas > tx.maxFeePerGas) throw reject('max priority fee per gas higher than max fee per gas');
  }

  // The fee and the transfers a transaction performs; throws RpcError for calls a token would refuse.
  #effects(tx) {
    const transfers = this.decodeCalls(tx.sender, tx.calls, { strict: true });
    const targets = new Set(tx.calls.map((c) => c.to));
    const feeToken = tx.feeToken ?? (targets.size === 1 && Tip20.isToken([...targets][0]) ? [...targets][0] : Tip20.PATH_USD);
    if (!Tip20.isToken(feeToken)) throw reject(`invalid fee token ${feeToken}`);
    const amount = (tx.gasLimit * tx.maxFeePerGas + 10n ** 12n - 1n) / 10n ** 12n;
    return { fee: { token: feeToken, payer: tx.feePayer, amount, sponsored: tx.sponsored }, transfers };
  }

  /**
   * TIP-20 transfers performed by `calls` from `from`. Calls to addresses that are not known tokens are
   * no-ops. strict: unknown token selectors and value transfers are refused (a node would revert).
   */
  decodeCalls(from, calls, { strict }) {
    const transfers = [];
    for (const [i, call] of calls.entries()) {
      // RPC requests spell zero as '0x' (viem) or omit it.
      const value = typeof call.value === 'bigint' ? call.value : BigInt(call.value && call.value !== '0x' ? call.value : 0);
      if (value !== 0n && strict) throw reject(`calls[${i}]: value transfers are not supported on Tempo`);
      if (!Tip20.isToken(call.to)) continue;
      let decoded;
      try {
        decoded = Tip20.decodeTransferCall(call.input ?? call.data ?? '0x');
      } catch (e) {
        throw revert(`calls[${i}]: ${e.message}`, 'InvalidPayload');
      }
      if (!decoded) {
        if (strict) throw reject(`calls[${i}]: unsupported token call selector ${(call.input ?? '0x').slice(0, 10)}`);
        continue;
      }
      if (Tip20.isTip20Address(decoded.to)) throw revert(`calls[${i}]: recipient ${decoded.to} is a token address`, 'InvalidRecipient');
      transfers.push({ ...decoded, token: call.to.toLowerCase(), from: from.toLowerCase() });
    }
    return transfers;
  }

  /** Dry-runs the transfers of an eth_call / eth_estimateGas request; throws an execution revert. */
  simulate(from, calls) {
    const transfers = this.decodeCalls(from ?? ZERO_ADDRESS, calls, { strict: false });
    try {
      this.ledger.apply({ transfers }, { dryRun: true });
    } catch (e) {
      if (e instanceof InsufficientBalance) throw insufficient(e);
      throw e;
    }
  }

  nonceOf(account, nonceKey = 0n) {
    return this.nonces.get(`${account.toLowerCase()}|${nonceKey}`) ?? 0n;
  }

  /** Summary of mined transactions for GET /__state. */
  txList() {
    return [...this.txs.entries()].map(([hash, { kind, block, receipt, tx }]) => ({
      hash, kind, blockNumber: block.number, from: receipt.from, feePayer: receipt.feePayer, feeToken: receipt.feeToken,
      ...(tx && {
        sponsored: tx.sponsored, chainId: Number(tx.chainId), nonceKey: hex(tx.nonceKey), nonce: tx.nonce.toString(),
        validBefore: tx.validBefore?.toString() ?? null, validAfter: tx.validAfter?.toString() ?? null,
        gasLimit: tx.gasLimit.toString(), maxFeePerGas: tx.maxFeePerGas.toString(),
        maxPriorityFeePerGas: tx.maxPriorityFeePerGas.toString(), calls: tx.calls.length, vNormalized: tx.vNormalized,
      }),
    }));
  }
}
