// The stand-in's chain: validates Tempo transactions the way a node's pool would (chain id, expiring
// nonce window, replay, fees, balances), executes TIP-20 transfers and TIP-1034 escrow calls
// (lib/escrow.mjs) on the Ledger, and keeps blocks, receipts and transactions for the JSON-RPC layer.
// One transaction per block, mined on submission; a transaction's calls run in order on a working
// copy and take effect all together or not at all.
//
// Fee model (deterministic, documented in README): a transaction burns its whole gasLimit at
// maxFeePerGas; fee = ceil(gasLimit * maxFeePerGas / 1e12) base units of the fee token (the 1e12
// converts 18-decimal gas pricing to 6-decimal TIP-20 units, as Tempo does). The fee token is the
// transaction's feeToken, else the token every call targets, else pathUSD. Escrow-only transactions
// without a feeToken pay in pathUSD when sponsored, else in the channel's token (SESSION.md 11.4).
import { concatHex, encodeErrorResult, keccak256, stringToHex } from 'viem';
import { Abis } from 'viem/tempo';
import { Escrow, escrowCallToken, isEscrow } from './escrow.mjs';
import { Ledger, InsufficientBalance } from './ledger.mjs';
import { RpcError } from './rpc-error.mjs';
import { decodeTempoTransaction, EXPIRING_NONCE_KEY, TxError } from './tempo-tx.mjs';
import * as Tip20 from './tip20.mjs';

export const BASE_FEE = 20_000_000_000n; // 20 gwei
export const PRIORITY_FEE = 1_000_000_000n; // 1 gwei
export const ESTIMATED_GAS = 100_000n;
const EXPIRING_WINDOW_SECONDS = 30n;
const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';
const hex = (n) => `0x${BigInt(n).toString(16)}`;

export { RpcError };
// What eth_call/eth_estimateGas seed as an open's context hash: any non-zero value (SESSION.md 11.4).
const SIMULATION_CONTEXT_HASH = keccak256(stringToHex('stand-in simulation context'));

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
  contextHashes = new Set(); // open context hashes of mined expiring-nonce transactions (replay guard)
  #synthetic = 0;

  constructor({ chainId = 42431, now = () => Date.now(), closeGraceSeconds } = {}) {
    this.chainId = chainId;
    this.now = now;
    this.wrongChain = false; // fault mode: the node claims, and enforces, a different chain id
    this.escrow = new Escrow({ chainId: () => this.activeChainId, closeGraceSeconds });
    this.#mine([]);
  }

  get activeChainId() {
    return this.wrongChain ? (this.chainId === 4217 ? 42431 : 4217) : this.chainId;
  }

  get latest() {
    return this.blocks[this.blocks.length - 1];
  }

  #mine(txHashes, timestamp = Math.floor(this.now() / 1000)) {
    const number = this.blocks.length;
    const block = {
      number,
      hash: keccak256(stringToHex(`stand-in block ${number}`)),
      parentHash: number ? this.latest.hash : `0x${'0'.repeat(64)}`,
      timestamp,
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

  #include({ hash, from, to, logs, gasUsed, gasPrice, feeToken, feePayer, kind, tx, timestamp }) {
    const block = this.#mine([hash], timestamp);
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
    // The chain seeds keccak256(senderSigningPreimage || sender) for every transaction; a sponsor
    // re-co-signing the same sender transaction gets a new hash but the same context (TIP-1034).
    const contextHash = keccak256(concatHex([tx.senderSigningPreimage, tx.sender.toLowerCase()]));
    const expiring = tx.nonceKey === EXPIRING_NONCE_KEY;
    if (expiring && this.contextHashes.has(contextHash)) throw reject(`expiring nonce already used: context hash ${contextHash}`);
    this.#checkValidity(tx);
    this.#checkGas(tx);
    const timestamp = Math.floor(this.now() / 1000);
    const effects = await this.#effects(tx, { contextHash, timestamp });
    try {
      this.ledger.apply({ txHash: tx.hash, fee: effects.fee, transfers: effects.transfers });
    } catch (e) {
      if (e instanceof InsufficientBalance) throw reject(e.message);
      throw e;
    }
    this.escrow.commit(effects.escrowWork, { txHash: tx.hash, blockNumber: this.blocks.length });
    if (expiring) this.contextHashes.add(contextHash);
    else this.nonces.set(`${tx.sender.toLowerCase()}|${tx.nonceKey}`, tx.nonce + 1n);
    return this.#include({
      hash: tx.hash, from: tx.sender.toLowerCase(), to: tx.calls[0].to, logs: effects.logs, gasUsed: tx.gasLimit,
      gasPrice: tx.maxFeePerGas, feeToken: effects.fee.token, feePayer: tx.feePayer.toLowerCase(), kind: 'tx', tx, timestamp,
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

  // The fee, transfers, logs and escrow work a transaction performs; throws RpcError for a call a token
  // or the escrow would refuse.
  async #effects(tx, { contextHash, timestamp }) {
    const run = await this.runCalls(tx.sender, tx.calls, { strict: true, contextHash, timestamp });
    const feeToken = tx.feeToken ?? this.#defaultFeeToken(tx);
    if (!Tip20.isToken(feeToken)) throw reject(`invalid fee token ${feeToken}`);
    const amount = (tx.gasLimit * tx.maxFeePerGas + 10n ** 12n - 1n) / 10n ** 12n;
    return { fee: { token: feeToken, payer: tx.feePayer, amount, sponsored: tx.sponsored }, ...run };
  }

  #defaultFeeToken(tx) {
    if (tx.calls.every((c) => isEscrow(c.to))) {
      const tokens = new Set(tx.calls.map((c) => escrowCallToken(c.input)));
      return tx.sponsored || tokens.size !== 1 || tokens.has(null) ? Tip20.PATH_USD : [...tokens][0];
    }
    const targets = new Set(tx.calls.map((c) => c.to));
    return targets.size === 1 && Tip20.isToken([...targets][0]) ? [...targets][0] : Tip20.PATH_USD;
  }

  /**
   * Runs `calls` from `from` in order: TIP-20 transfers, escrow calls (on one working copy of the
   * escrow, seeded with `contextHash`), anything else a no-op. Returns {transfers, logs, returnData,
   * escrowWork}; balances are not checked here (the Ledger does that). strict: unknown token selectors
   * and value transfers are refused (a node would revert).
   */
  async runCalls(from, calls, { strict, contextHash, timestamp = Math.floor(this.now() / 1000) }) {
    const sender = (from ?? ZERO_ADDRESS).toLowerCase();
    const escrowWork = this.escrow.begin({ sender, contextHash, timestamp });
    const transfers = [];
    const logs = [];
    const returnData = [];
    for (const [i, call] of calls.entries()) {
      // RPC requests spell zero as '0x' (viem) or omit it.
      const value = typeof call.value === 'bigint' ? call.value : BigInt(call.value && call.value !== '0x' ? call.value : 0);
      if (value !== 0n && strict) throw reject(`calls[${i}]: value transfers are not supported on Tempo`);
      const input = call.input ?? call.data ?? '0x';
      if (isEscrow(call.to)) {
        const result = await this.escrow.execute(escrowWork, input);
        transfers.push(...result.transfers);
        logs.push(...result.transfers.flatMap((t) => Tip20.transferLogs(t)), ...result.logs);
        returnData.push(result.returnData);
        continue;
      }
      returnData.push('0x');
      if (!Tip20.isToken(call.to)) continue;
      let decoded;
      try {
        decoded = Tip20.decodeTransferCall(input);
      } catch (e) {
        throw revert(`calls[${i}]: ${e.message}`, 'InvalidPayload');
      }
      if (!decoded) {
        if (strict) throw reject(`calls[${i}]: unsupported token call selector ${input.slice(0, 10)}`);
        continue;
      }
      if (Tip20.isTip20Address(decoded.to)) throw revert(`calls[${i}]: recipient ${decoded.to} is a token address`, 'InvalidRecipient');
      const transfer = { ...decoded, token: call.to.toLowerCase(), from: sender };
      transfers.push(transfer);
      logs.push(...Tip20.transferLogs(transfer));
    }
    return { transfers, logs, returnData, escrowWork };
  }

  /**
   * Dry-runs an eth_call / eth_estimateGas request from `from` (escrow calls included, an open seeded
   * with a dummy context hash) and returns each call's return data; throws an execution revert.
   */
  async simulate(from, calls) {
    const { transfers, returnData } = await this.runCalls(from, calls, { strict: false, contextHash: SIMULATION_CONTEXT_HASH });
    try {
      this.ledger.apply({ transfers }, { dryRun: true });
    } catch (e) {
      if (e instanceof InsufficientBalance) throw insufficient(e);
      throw e;
    }
    return returnData;
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
