// The JSON-RPC methods the stand-in answers, as a table from method name to handler(...params).
// Covers what mppx 0.11 (server and client), viem and our C++ client call; anything else is logged
// and answered with -32601 by chain.mjs.
import { RpcError, BASE_FEE, PRIORITY_FEE, ESTIMATED_GAS } from './chain-state.mjs';
import { isEscrow } from './escrow.mjs';
import * as Tip20 from './tip20.mjs';
import { getLogs } from './logs.mjs';

const hex = (n) => `0x${BigInt(n).toString(16)}`;
const invalid = (message) => new RpcError(-32602, message);

function blockRpc(block, chain, fullTxs) {
  return {
    number: hex(block.number),
    hash: block.hash,
    parentHash: block.parentHash,
    timestamp: hex(block.timestamp),
    baseFeePerGas: hex(BASE_FEE),
    gasLimit: hex(30_000_000),
    gasUsed: hex(block.txHashes.reduce((sum, h) => sum + BigInt(chain.txs.get(h).receipt.gasUsed), 0n)),
    miner: '0x0000000000000000000000000000000000000000',
    difficulty: '0x0',
    totalDifficulty: '0x0',
    extraData: '0x',
    nonce: '0x0000000000000000',
    mixHash: `0x${'0'.repeat(64)}`,
    sha3Uncles: `0x${'0'.repeat(64)}`,
    logsBloom: `0x${'0'.repeat(512)}`,
    stateRoot: `0x${'0'.repeat(64)}`,
    receiptsRoot: `0x${'0'.repeat(64)}`,
    transactionsRoot: `0x${'0'.repeat(64)}`,
    size: '0x200',
    uncles: [],
    transactions: fullTxs ? block.txHashes.map((h) => txRpc(chain, h)).filter(Boolean) : block.txHashes,
  };
}

// Shaped like a Tempo node's transaction object (ox/tempo Transaction.toRpc field names).
function txRpc(chain, hash) {
  const entry = chain.txs.get(hash);
  if (!entry?.tx) return null;
  const { tx, block } = entry;
  const sig = tx.senderSignature;
  return {
    hash, type: '0x76', chainId: hex(tx.chainId), from: tx.sender.toLowerCase(),
    nonce: hex(tx.nonce), nonceKey: hex(tx.nonceKey), gas: hex(tx.gasLimit),
    maxFeePerGas: hex(tx.maxFeePerGas), maxPriorityFeePerGas: hex(tx.maxPriorityFeePerGas), gasPrice: hex(tx.maxFeePerGas),
    calls: tx.calls.map((c) => ({ to: c.to, value: hex(c.value), data: c.input })),
    accessList: [], aaAuthorizationList: [],
    ...(tx.validBefore !== null && { validBefore: hex(tx.validBefore) }),
    ...(tx.validAfter !== null && { validAfter: hex(tx.validAfter) }),
    ...(tx.feeToken && { feeToken: tx.feeToken }),
    ...(tx.feePayerSignature && {
      feePayerSignature: { r: hex(tx.feePayerSignature.r), s: hex(tx.feePayerSignature.s), yParity: hex(tx.feePayerSignature.yParity), v: hex(tx.feePayerSignature.yParity + 27) },
    }),
    signature: { type: 'secp256k1', r: hex(sig.r), s: hex(sig.s), yParity: hex(sig.yParity), v: hex(sig.yParity + 27) },
    blockHash: block.hash, blockNumber: hex(block.number), transactionIndex: '0x0',
  };
}

function blockByTag(chain, tag) {
  if (tag === undefined || ['latest', 'pending', 'safe', 'finalized'].includes(tag)) return chain.latest;
  if (tag === 'earliest') return chain.blocks[0];
  if (typeof tag !== 'string' || !/^0x[0-9a-f]+$/i.test(tag)) throw invalid(`invalid block tag ${tag}`);
  return chain.blocks[Number(BigInt(tag))] ?? null;
}

// eth_call / eth_estimateGas requests carry either Tempo `calls` or a plain {to, data}.
function callsOf(request) {
  if (!request || typeof request !== 'object') throw invalid('expected a call object');
  if (Array.isArray(request.calls)) return request.calls;
  return request.to ? [{ to: request.to, data: request.data ?? request.input ?? '0x', value: request.value }] : [];
}

// Read-only TIP-20 views a client or mppx may query.
function tokenView(chain, token, data) {
  const meta = Tip20.TOKENS[token.toLowerCase()];
  const selector = (data ?? '0x').slice(0, 10).toLowerCase();
  const account = Tip20.decodeBalanceOf(data);
  if (account) return Tip20.word(chain.ledger.balanceOf(token, account));
  if (selector === Tip20.SELECTOR.decimals) return Tip20.word(Tip20.DECIMALS);
  if (selector === Tip20.SELECTOR.name) return Tip20.encodeString(meta.name);
  if (selector === Tip20.SELECTOR.symbol) return Tip20.encodeString(meta.symbol);
  if (selector === Tip20.SELECTOR.currency) return Tip20.encodeString('USD');
  if (selector === Tip20.SELECTOR.totalSupply) return Tip20.word(chain.ledger.totalSupply(token));
  return undefined;
}

/** @param {import('./chain-state.mjs').Chain} chain */
export function rpcMethods(chain) {
  const receiptOf = (hash) => chain.txs.get(String(hash).toLowerCase())?.receipt ?? null;
  return {
    eth_chainId: () => hex(chain.activeChainId),
    net_version: () => String(chain.activeChainId),
    web3_clientVersion: () => 'mpp-tempo-stand-in/1',
    eth_blockNumber: () => hex(chain.latest.number),
    eth_getBlockByNumber: (tag, full) => {
      const block = blockByTag(chain, tag);
      return block && blockRpc(block, chain, full === true);
    },
    eth_getBlockByHash: (hash, full) => {
      const block = chain.blocks.find((b) => b.hash === String(hash).toLowerCase());
      return block ? blockRpc(block, chain, full === true) : null;
    },
    eth_gasPrice: () => hex(BASE_FEE),
    eth_maxPriorityFeePerGas: () => hex(PRIORITY_FEE),
    eth_getTransactionCount: (account) => hex(chain.nonceOf(String(account))),
    eth_getBalance: () => '0x0', // Tempo has no native coin; balances live in TIP-20 tokens.
    eth_getCode: () => '0x',
    eth_call: async (request, tag) => {
      const calls = callsOf(request);
      // A single view call on a token returns its value; everything else is simulated for balance.
      if (calls.length === 1 && Tip20.isToken(calls[0].to)) {
        const view = tokenView(chain, calls[0].to, calls[0].data ?? calls[0].input);
        if (view !== undefined) return view;
      }
      // Escrow views answer from the state as of the tagged block (mppx reads at the receipt's block).
      if (calls.length === 1 && isEscrow(calls[0].to)) {
        const block = blockByTag(chain, tag);
        if (!block) throw invalid(`header not found: block ${tag}`);
        const view = chain.escrow.view(calls[0].data ?? calls[0].input, block.number);
        if (view !== null) return view;
      }
      const results = await chain.simulate(request.from ?? request.account, calls);
      if (calls.length === 1 && Tip20.isToken(calls[0].to) && (calls[0].data ?? '').startsWith(Tip20.SELECTOR.transfer)) return Tip20.word(1);
      return results.at(-1) ?? '0x';
    },
    eth_estimateGas: async (request) => {
      await chain.simulate(request?.from, callsOf(request));
      return hex(ESTIMATED_GAS);
    },
    eth_sendRawTransaction: async (raw) => (await chain.submit(raw)).transactionHash,
    eth_sendRawTransactionSync: (raw) => chain.submit(raw),
    eth_getTransactionReceipt: (hash) => receiptOf(hash),
    eth_getTransactionByHash: (hash) => txRpc(chain, String(hash).toLowerCase()),
    eth_getLogs: (filter) => getLogs(chain, filter),
    tempo_fundAddress: (account) => {
      if (!/^0x[0-9a-fA-F]{40}$/.test(String(account))) throw invalid('tempo_fundAddress: expected ["0x<address>"]');
      return chain.faucet(account);
    },
  };
}
