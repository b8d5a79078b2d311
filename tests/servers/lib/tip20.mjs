// TIP-20 token facts the stand-in needs: known token addresses, strict calldata decoding for the two
// transfer selectors, and the event logs a real token emits (shape checked against viem's tip20 ABI,
// which is what mppx's parseEventLogs uses to read receipts).

export const TOKENS = {
  '0x20c0000000000000000000000000000000000000': { symbol: 'pathUSD', name: 'pathUSD' },
  '0x20c0000000000000000000000000000000000001': { symbol: 'AlphaUSD', name: 'AlphaUSD' },
  '0x20c0000000000000000000000000000000000002': { symbol: 'BetaUSD', name: 'BetaUSD' },
  '0x20c0000000000000000000000000000000000003': { symbol: 'ThetaUSD', name: 'ThetaUSD' },
  '0x20c000000000000000000000b9537d11c60e8b50': { symbol: 'USDC.e', name: 'Bridged USDC' },
};
export const PATH_USD = '0x20c0000000000000000000000000000000000000';
/** What tempo_fundAddress hands out: 100 tokens (6 decimals) of each testnet token. */
export const FAUCET_TOKENS = Object.keys(TOKENS).slice(0, 4);
export const FAUCET_AMOUNT = 100_000_000n;
export const DECIMALS = 6;

export const SELECTOR = {
  transfer: '0xa9059cbb',
  transferWithMemo: '0x95777d59',
  balanceOf: '0x70a08231',
  decimals: '0x313ce567',
  name: '0x06fdde03',
  symbol: '0x95d89b41',
  currency: '0xe5a6b10f',
  totalSupply: '0x18160ddd',
};
export const TOPIC = {
  Transfer: '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef',
  TransferWithMemo: '0x57bc7354aa85aed339e000bccffabbc529466af35f0772c8f8ee1145927de7f0',
};
// Every TIP-20 token lives under this 12-byte prefix; tokens refuse transfers to token addresses.
const TIP20_PREFIX = '0x20c000000000000000000000';

export const isToken = (addr) => Object.hasOwn(TOKENS, addr.toLowerCase());
export const isTip20Address = (addr) => addr.toLowerCase().startsWith(TIP20_PREFIX);
export const word = (n) => `0x${BigInt(n).toString(16).padStart(64, '0')}`;
const addressWord = (addr) => `0x${addr.toLowerCase().slice(2).padStart(64, '0')}`;

function addressFromWord(w, name) {
  if (!/^0{24}/.test(w)) throw new Error(`${name}: address argument has dirty upper bytes`);
  return `0x${w.slice(24)}`;
}

/**
 * Decodes transfer/transferWithMemo calldata exactly (ABI words, no trailing bytes).
 * Returns {kind, to, amount, memo} or null for a selector that is not a transfer; throws on a
 * transfer selector with malformed arguments.
 */
export function decodeTransferCall(input) {
  const data = input.toLowerCase();
  const selector = data.slice(0, 10);
  const words = data.slice(10);
  if (selector === SELECTOR.transfer || selector === SELECTOR.transferWithMemo) {
    const withMemo = selector === SELECTOR.transferWithMemo;
    const want = withMemo ? 3 : 2;
    if (words.length !== want * 64) throw new Error(`${withMemo ? 'transferWithMemo' : 'transfer'} calldata: expected ${want} ABI words`);
    const w = (i) => words.slice(i * 64, (i + 1) * 64);
    return {
      kind: withMemo ? 'transferWithMemo' : 'transfer',
      to: addressFromWord(w(0), 'to'),
      amount: BigInt(`0x${w(1)}`),
      memo: withMemo ? `0x${w(2)}` : null,
    };
  }
  return null;
}

/** balanceOf(address) argument, or null if the calldata is not a balanceOf call. */
export function decodeBalanceOf(input) {
  const data = (input ?? '').toLowerCase();
  if (data.slice(0, 10) !== SELECTOR.balanceOf || data.length !== 10 + 64) return null;
  return addressFromWord(data.slice(10), 'account');
}

/**
 * Logs a transfer emits, in emission order: Transfer, then TransferWithMemo for the memo variant
 * (mppx merges the adjacent pair into one memo transfer). Fields other than address/topics/data are
 * filled in when the receipt is built.
 */
export function transferLogs({ token, from, to, amount, memo }) {
  const base = [addressWord(from), addressWord(to)];
  const logs = [{ address: token, topics: [TOPIC.Transfer, ...base], data: word(amount) }];
  if (memo) logs.push({ address: token, topics: [TOPIC.TransferWithMemo, ...base, memo], data: word(amount) });
  return logs;
}

/** ABI-encodes a single string return value. */
export function encodeString(s) {
  const hex = Buffer.from(s, 'utf8').toString('hex');
  const padded = hex.padEnd(Math.ceil(hex.length / 64) * 64 || 64, '0');
  return `${word(32)}${word(hex.length / 2).slice(2)}${padded}`;
}
