// eth_getLogs over the stand-in's mined receipts: the logs of every block in [fromBlock, toBlock]
// whose address is one of `address` (a string or an array; absent: any) and whose topics match by
// position (null matches anything; an array matches any of its entries), as a node filters them.
import { RpcError } from './chain-state.mjs';

const invalid = (message) => new RpcError(-32602, message);

function blockNumberOf(chain, tag, name) {
  if (tag === undefined || ['latest', 'pending', 'safe', 'finalized'].includes(tag)) return chain.latest.number;
  if (tag === 'earliest') return 0;
  if (typeof tag !== 'string' || !/^0x[0-9a-f]+$/i.test(tag)) throw invalid(`eth_getLogs: invalid ${name} ${tag}`);
  return Number(BigInt(tag));
}

function lowerList(value, name) {
  if (value === undefined || value === null) return null;
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v) => typeof v === 'string')) throw invalid(`eth_getLogs: ${name} must be strings`);
  return list.map((v) => v.toLowerCase());
}

/** @param {import('./chain-state.mjs').Chain} chain */
export function getLogs(chain, filter = {}) {
  if (!filter || typeof filter !== 'object') throw invalid('eth_getLogs: expected a filter object');
  if (filter.blockHash) throw invalid('eth_getLogs: blockHash filters are not supported by the stand-in');
  const from = blockNumberOf(chain, filter.fromBlock, 'fromBlock');
  const to = blockNumberOf(chain, filter.toBlock, 'toBlock');
  const addresses = lowerList(filter.address, 'address');
  const topics = (filter.topics ?? []).map((t, i) => lowerList(t, `topics[${i}]`));
  const logs = [];
  for (const block of chain.blocks.slice(from, to + 1)) {
    for (const hash of block.txHashes) {
      for (const log of chain.txs.get(hash)?.receipt.logs ?? []) {
        if (addresses && !addresses.includes(log.address.toLowerCase())) continue;
        const matches = topics.every((wanted, i) => wanted === null || (log.topics[i] !== undefined && wanted.includes(log.topics[i].toLowerCase())));
        if (matches) logs.push(log);
      }
    }
  }
  return logs;
}
