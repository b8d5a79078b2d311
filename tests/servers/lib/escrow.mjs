// The TIP-1034 channel escrow precompile (TIP20_CHANNEL_RESERVE at 0x4d50…00), emulated for the chain
// stand-in after tempoxyz/tempo crates/precompiles/src/tip20_channel_reserve (SESSION.md 11): one
// packed state per channel id, the open/settle/topUp/close/requestClose/withdraw calls with their
// checks in the node's order, custom errors as reverts, the six events, and the views. Vouchers are
// verified here with secp256k1 recovery over our own EIP-712 digest (the node goes through the TIP-1020
// verifier), independently of mppx.
//
// The escrow never touches balances itself: a call returns the token transfers it makes (payer ->
// escrow on open/topUp, escrow -> payee/payer on settle/close/withdraw), which the chain applies on
// its Ledger together with the fee and the transaction's other calls, all or nothing.
import { concatHex, decodeFunctionData, encodeAbiParameters, encodeFunctionData, encodeFunctionResult, keccak256, parseAbi, recoverAddress, stringToHex, toFunctionSelector } from 'viem';
import { RpcError } from './rpc-error.mjs';
import * as Tip20 from './tip20.mjs';

export const ESCROW_ADDRESS = '0x4d50500000000000000000000000000000000000';
/** CLOSE_GRACE_PERIOD on chain: 15 minutes between requestClose and withdraw. */
export const DEFAULT_CLOSE_GRACE_SECONDS = 900;
const UINT96_MAX = (1n << 96n) - 1n;
const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';
// secp256k1 n / 2: a voucher with a larger s is malleable and refused, like the chain's verifier.
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

export const ABI = parseAbi([
  'struct ChannelDescriptor { address payer; address payee; address operator; address token; bytes32 salt; address authorizedSigner; bytes32 expiringNonceHash; }',
  'struct ChannelState { uint96 settled; uint96 deposit; uint32 closeRequestedAt; }',
  'struct Channel { ChannelDescriptor descriptor; ChannelState state; }',
  'function open(address payee, address operator, address token, uint96 deposit, bytes32 salt, address authorizedSigner) returns (bytes32)',
  'function settle(ChannelDescriptor descriptor, uint96 cumulativeAmount, bytes signature)',
  'function topUp(ChannelDescriptor descriptor, uint96 additionalDeposit)',
  'function close(ChannelDescriptor descriptor, uint96 cumulativeAmount, uint96 captureAmount, bytes signature)',
  'function requestClose(ChannelDescriptor descriptor)',
  'function withdraw(ChannelDescriptor descriptor)',
  'function getChannel(ChannelDescriptor descriptor) view returns (Channel)',
  'function getChannelState(bytes32 channelId) view returns (ChannelState)',
  'function getChannelStatesBatch(bytes32[] channelIds) view returns (ChannelState[])',
  'function computeChannelId(address payer, address payee, address operator, address token, bytes32 salt, address authorizedSigner, bytes32 expiringNonceHash) view returns (bytes32)',
  'function getVoucherDigest(bytes32 channelId, uint96 cumulativeAmount) view returns (bytes32)',
  'function domainSeparator() view returns (bytes32)',
  'function CLOSE_GRACE_PERIOD() view returns (uint64)',
  'function VOUCHER_TYPEHASH() view returns (bytes32)',
]);
const MUTATING = new Set(['open', 'settle', 'topUp', 'close', 'requestClose', 'withdraw']);

// SESSION.md 11.1; checked against the ABI at load so a typo cannot drift silently.
export const SELECTORS = {
  open: '0xedc53b00', settle: '0x97fb5104', topUp: '0xdc48471e', close: '0x73b57f74', requestClose: '0x675402e5',
  withdraw: '0x41e2c664', getChannel: '0xeef95313', getChannelState: '0xd18da8b1', getChannelStatesBatch: '0xd1f4cda2',
  computeChannelId: '0x185eeeac', getVoucherDigest: '0xf3b349e8', domainSeparator: '0xf698da25',
  CLOSE_GRACE_PERIOD: '0x956c8327', VOUCHER_TYPEHASH: '0x94739e87',
};
for (const item of ABI) {
  if (item.type === 'function' && toFunctionSelector(item) !== SELECTORS[item.name]) throw new Error(`escrow ABI: selector of ${item.name} drifted`);
}

export const ERRORS = [
  'ChannelAlreadyExists', 'ChannelNotFound', 'NotPayer', 'NotPayeeOrOperator', 'InvalidPayee', 'InvalidToken', 'ZeroDeposit',
  'ExpiringNonceHashNotSet', 'InvalidSignature', 'AmountExceedsDeposit', 'AmountNotIncreasing', 'CaptureAmountInvalid',
  'CloseNotReady', 'DepositOverflow',
];
export const errorSelector = (name) => keccak256(stringToHex(`${name}()`)).slice(0, 10);

const EVENTS = {
  ChannelOpened: 'ChannelOpened(bytes32,address,address,address,address,address,bytes32,bytes32,uint96)',
  Settled: 'Settled(bytes32,address,address,uint96,uint96,uint96)',
  TopUp: 'TopUp(bytes32,address,address,uint96,uint96)',
  CloseRequested: 'CloseRequested(bytes32,address,address,uint256)',
  ChannelClosed: 'ChannelClosed(bytes32,address,address,uint96,uint96)',
  CloseRequestCancelled: 'CloseRequestCancelled(bytes32,address,address)',
};
export const TOPICS = Object.fromEntries(Object.entries(EVENTS).map(([name, sig]) => [name, keccak256(stringToHex(sig))]));

/** The escrow's custom error as an execution revert (code 3, data = the 4-byte selector), as a node reports it. */
export function escrowRevert(name) {
  return new RpcError(3, `execution reverted: ${name}()`, errorSelector(name));
}

const hashText = (s) => keccak256(stringToHex(s));
const DOMAIN_TYPEHASH = hashText('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)');
export const VOUCHER_TYPEHASH = hashText('Voucher(bytes32 channelId,uint96 cumulativeAmount)');
const word = (n) => `0x${BigInt(n).toString(16).padStart(64, '0')}`;
const addressWord = (a) => `0x${a.toLowerCase().slice(2).padStart(64, '0')}`;

const lower = (d) => ({
  payer: d.payer.toLowerCase(), payee: d.payee.toLowerCase(), operator: d.operator.toLowerCase(), token: d.token.toLowerCase(),
  salt: d.salt.toLowerCase(), authorizedSigner: d.authorizedSigner.toLowerCase(), expiringNonceHash: d.expiringNonceHash.toLowerCase(),
});

/** keccak256(abi.encode(payer, payee, operator, token, salt, authorizedSigner, expiringNonceHash, escrow, chainId)). */
export function computeChannelId(d, chainId) {
  return keccak256(encodeAbiParameters(
    [{ type: 'address' }, { type: 'address' }, { type: 'address' }, { type: 'address' }, { type: 'bytes32' }, { type: 'address' },
      { type: 'bytes32' }, { type: 'address' }, { type: 'uint256' }],
    [d.payer, d.payee, d.operator, d.token, d.salt, d.authorizedSigner, d.expiringNonceHash, ESCROW_ADDRESS, BigInt(chainId)],
  ));
}

export function domainSeparator(chainId) {
  return keccak256(concatHex([DOMAIN_TYPEHASH, hashText('TIP20 Channel Reserve'), hashText('1'), word(chainId), addressWord(ESCROW_ADDRESS)]));
}

export function voucherDigest(chainId, channelId, cumulativeAmount) {
  const structHash = keccak256(concatHex([VOUCHER_TYPEHASH, channelId, word(cumulativeAmount)]));
  return keccak256(concatHex(['0x1901', domainSeparator(chainId), structHash]));
}

// The signer of a 65-byte r || s || v voucher (v 27/28 or 0/1, low s), or null.
async function voucherSigner(chainId, channelId, cumulativeAmount, signature) {
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature)) return null;
  const r = BigInt(`0x${signature.slice(2, 66)}`);
  const s = BigInt(`0x${signature.slice(66, 130)}`);
  const v = Number.parseInt(signature.slice(130, 132), 16);
  if (![0, 1, 27, 28].includes(v) || r === 0n || s === 0n || s > HALF_N) return null;
  try {
    const signer = await recoverAddress({ hash: voucherDigest(chainId, channelId, cumulativeAmount), signature: { r: word(r), s: word(s), yParity: v % 27 } });
    return signer.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Decodes escrow calldata strictly: a known selector, and arguments that re-encode to exactly the
 * input (no dirty address bytes, no uint96 overflow, no trailing data). Returns {name, args} or throws
 * an execution revert without data, as the node's ABI dispatch does.
 */
export function decodeEscrowCall(data) {
  const input = String(data ?? '0x').toLowerCase();
  let decoded;
  try {
    decoded = decodeFunctionData({ abi: ABI, data: input });
    if (encodeFunctionData({ abi: ABI, functionName: decoded.functionName, args: decoded.args }).toLowerCase() !== input) throw new Error('not canonical');
  } catch (e) {
    throw new RpcError(3, `execution reverted: escrow calldata ${input.slice(0, 10)} does not decode (${e.shortMessage ?? e.message})`, '0x');
  }
  return { name: decoded.functionName, args: decoded.args ?? [] };
}

export const isEscrow = (address) => String(address ?? '').toLowerCase() === ESCROW_ADDRESS;
export const isMutatingCall = (data) => Object.entries(SELECTORS).some(([name, sel]) => MUTATING.has(name) && String(data ?? '').toLowerCase().startsWith(sel));

/** The token an escrow call moves (the channel's token), for the fee-token rule; null if undecodable. */
export function escrowCallToken(data) {
  try {
    const { name, args } = decodeEscrowCall(data);
    if (name === 'open') return args[2].toLowerCase();
    return MUTATING.has(name) ? args[0].token.toLowerCase() : null;
  } catch {
    return null;
  }
}

function event(name, channelId, payer, payee, dataWords) {
  return { address: ESCROW_ADDRESS, topics: [TOPICS[name], channelId, addressWord(payer), addressWord(payee)], data: dataWords.length ? concatHex(dataWords) : '0x' };
}

/**
 * The escrow's state and its history. `slots` is what the chain stores (channelId -> {settled, deposit,
 * closeRequestedAt}); `ledger` keeps, per channel ever opened, the descriptor and the running totals
 * tests reconcile against balances.
 */
export class Escrow {
  slots = new Map();
  ledger = new Map(); // channelId -> {descriptor, totalDeposited, paidToPayee, refundedToPayer, events: []}
  #snapshots = [{ blockNumber: 0, slots: new Map() }]; // slot maps as of the block that last changed them

  /** chainId: () => the chain's id (fault modes may change it); closeGraceSeconds: the grace period. */
  constructor({ chainId, closeGraceSeconds = DEFAULT_CLOSE_GRACE_SECONDS }) {
    this.chainId = chainId;
    this.closeGraceSeconds = BigInt(closeGraceSeconds);
  }

  /** A working copy for one transaction (or simulation); nothing is visible until commit(). */
  begin({ sender, contextHash, timestamp }) {
    return { sender: sender.toLowerCase(), contextHash, timestamp: BigInt(timestamp), slots: new Map([...this.slots].map(([k, v]) => [k, { ...v }])), openedThisTx: new Set(), records: [] };
  }

  /**
   * Executes one mutating call in `work` (from begin()). Returns {returnData, transfers, logs}; throws an
   * escrow revert (RpcError code 3) for any failed check. View selectors answer without effects.
   */
  async execute(work, data) {
    const { name, args } = decodeEscrowCall(data);
    if (!MUTATING.has(name)) return { returnData: this.#view(name, args, work.slots), transfers: [], logs: [] };
    return this.#mutate(work, name, args);
  }

  async #mutate(work, name, args) {
    const chainId = this.chainId();
    if (name === 'open') return this.#open(work, args, chainId);
    const d = lower(args[0]);
    const channelId = computeChannelId(d, chainId);
    const slot = work.slots.get(channelId);
    if (!slot || slot.deposit === 0n) throw escrowRevert('ChannelNotFound');
    const out = { returnData: '0x', transfers: [], logs: [] };
    const pay = (to, amount, kind) => amount > 0n && out.transfers.push({ token: d.token, from: ESCROW_ADDRESS, to, amount, memo: null, kind });
    const record = (eventName, extra) => work.records.push({ channelId, descriptor: d, event: eventName, ...extra });
    const isPayeeOrOperator = work.sender === d.payee || (d.operator !== ZERO_ADDRESS && work.sender === d.operator);
    const checkVoucher = async (cumulative, signature) => {
      const expected = d.authorizedSigner === ZERO_ADDRESS ? d.payer : d.authorizedSigner;
      if ((await voucherSigner(chainId, channelId, cumulative, signature)) !== expected) throw escrowRevert('InvalidSignature');
    };

    switch (name) {
      case 'settle': {
        const [, cumulative, signature] = args;
        if (!isPayeeOrOperator) throw escrowRevert('NotPayeeOrOperator');
        if (cumulative > slot.deposit) throw escrowRevert('AmountExceedsDeposit');
        if (cumulative <= slot.settled) throw escrowRevert('AmountNotIncreasing');
        await checkVoucher(cumulative, signature);
        const delta = cumulative - slot.settled;
        pay(d.payee, delta, 'escrow:settle');
        slot.settled = cumulative;
        out.logs.push(event('Settled', channelId, d.payer, d.payee, [word(cumulative), word(delta), word(cumulative)]));
        record('Settled', { paidToPayee: delta });
        return out;
      }
      case 'topUp': {
        const [, additional] = args;
        if (work.sender !== d.payer) throw escrowRevert('NotPayer');
        const hadCloseRequest = slot.closeRequestedAt !== 0n;
        if (additional === 0n && !hadCloseRequest) return out; // a no-op: no event
        if (slot.deposit + additional > UINT96_MAX) throw escrowRevert('DepositOverflow');
        if (additional > 0n) out.transfers.push({ token: d.token, from: d.payer, to: ESCROW_ADDRESS, amount: additional, memo: null, kind: 'escrow:topUp' });
        slot.deposit += additional;
        slot.closeRequestedAt = 0n;
        if (hadCloseRequest) out.logs.push(event('CloseRequestCancelled', channelId, d.payer, d.payee, []));
        out.logs.push(event('TopUp', channelId, d.payer, d.payee, [word(additional), word(slot.deposit)]));
        record('TopUp', { deposited: additional });
        return out;
      }
      case 'requestClose': {
        if (work.sender !== d.payer) throw escrowRevert('NotPayer');
        if (slot.closeRequestedAt !== 0n) return out; // idempotent while the timer runs
        slot.closeRequestedAt = work.timestamp;
        out.logs.push(event('CloseRequested', channelId, d.payer, d.payee, [word(work.timestamp + this.closeGraceSeconds)]));
        record('CloseRequested', {});
        return out;
      }
      case 'close': {
        const [, cumulative, capture, signature] = args;
        if (!isPayeeOrOperator) throw escrowRevert('NotPayeeOrOperator');
        if (capture < slot.settled || capture > cumulative) throw escrowRevert('CaptureAmountInvalid');
        if (capture > slot.deposit) throw escrowRevert('AmountExceedsDeposit');
        if (capture > slot.settled) await checkVoucher(cumulative, signature);
        const delta = capture - slot.settled;
        const refund = slot.deposit - capture;
        pay(d.payee, delta, 'escrow:close');
        pay(d.payer, refund, 'escrow:refund');
        work.slots.delete(channelId);
        out.logs.push(event('ChannelClosed', channelId, d.payer, d.payee, [word(capture), word(refund)]));
        record('ChannelClosed', { paidToPayee: delta, refundedToPayer: refund });
        return out;
      }
      case 'withdraw': {
        if (work.sender !== d.payer) throw escrowRevert('NotPayer');
        if (slot.closeRequestedAt === 0n || work.timestamp < slot.closeRequestedAt + this.closeGraceSeconds) throw escrowRevert('CloseNotReady');
        const refund = slot.deposit - slot.settled;
        pay(d.payer, refund, 'escrow:withdraw');
        work.slots.delete(channelId);
        out.logs.push(event('ChannelClosed', channelId, d.payer, d.payee, [word(slot.settled), word(refund)]));
        record('ChannelClosed', { refundedToPayer: refund });
        return out;
      }
      default:
        throw new Error(`escrow: no handler for ${name}`);
    }
  }

  #open(work, [payee, operator, token, deposit, salt, authorizedSigner], chainId) {
    payee = payee.toLowerCase();
    token = token.toLowerCase();
    if (payee === ZERO_ADDRESS || Tip20.isTip20Address(payee)) throw escrowRevert('InvalidPayee');
    if (!Tip20.isToken(token)) throw escrowRevert('InvalidToken');
    if (deposit === 0n) throw escrowRevert('ZeroDeposit');
    if (!work.contextHash || BigInt(work.contextHash) === 0n) throw escrowRevert('ExpiringNonceHashNotSet');
    const d = lower({ payer: work.sender, payee, operator, token, salt, authorizedSigner, expiringNonceHash: work.contextHash });
    const channelId = computeChannelId(d, chainId);
    if ((work.slots.get(channelId)?.deposit ?? 0n) !== 0n || work.openedThisTx.has(channelId)) throw escrowRevert('ChannelAlreadyExists');
    work.slots.set(channelId, { settled: 0n, deposit, closeRequestedAt: 0n });
    work.openedThisTx.add(channelId);
    work.records.push({ channelId, descriptor: d, event: 'ChannelOpened', deposited: deposit });
    return {
      returnData: channelId,
      transfers: [{ token, from: d.payer, to: ESCROW_ADDRESS, amount: deposit, memo: null, kind: 'escrow:open' }],
      logs: [event('ChannelOpened', channelId, d.payer, d.payee,
        [addressWord(d.operator), addressWord(d.token), addressWord(d.authorizedSigner), d.salt, d.expiringNonceHash, word(deposit)])],
    };
  }

  /** Makes a transaction's work visible, as of `blockNumber` (its block), with `txHash` in the history. */
  commit(work, { txHash, blockNumber }) {
    if (work.records.length === 0) return;
    this.slots = work.slots;
    this.#snapshots.push({ blockNumber, slots: new Map([...this.slots].map(([k, v]) => [k, { ...v }])) });
    for (const r of work.records) {
      if (!this.ledger.has(r.channelId)) this.ledger.set(r.channelId, { descriptor: r.descriptor, totalDeposited: 0n, paidToPayee: 0n, refundedToPayer: 0n, events: [] });
      const entry = this.ledger.get(r.channelId);
      entry.totalDeposited += r.deposited ?? 0n;
      entry.paidToPayee += r.paidToPayee ?? 0n;
      entry.refundedToPayer += r.refundedToPayer ?? 0n;
      entry.events.push({ event: r.event, txHash, blockNumber });
    }
  }

  /** Answers a view call (eth_call) against the state as of `blockNumber` (default: latest). */
  view(data, blockNumber) {
    const { name, args } = decodeEscrowCall(data);
    if (MUTATING.has(name)) return null;
    return this.#view(name, args, this.#slotsAt(blockNumber));
  }

  #slotsAt(blockNumber) {
    if (blockNumber === undefined) return this.slots;
    let found = this.#snapshots[0];
    for (const s of this.#snapshots) if (s.blockNumber <= blockNumber) found = s;
    return found.slots;
  }

  #view(name, args, slots) {
    const chainId = this.chainId();
    const stateOf = (id) => {
      const s = slots.get(id.toLowerCase()) ?? { settled: 0n, deposit: 0n, closeRequestedAt: 0n };
      return { settled: s.settled, deposit: s.deposit, closeRequestedAt: Number(s.closeRequestedAt) };
    };
    const result = (value) => encodeFunctionResult({ abi: ABI, functionName: name, result: value });
    switch (name) {
      case 'getChannel':
        return result({ descriptor: args[0], state: stateOf(computeChannelId(lower(args[0]), chainId)) });
      case 'getChannelState':
        return result(stateOf(args[0]));
      case 'getChannelStatesBatch':
        return result(args[0].map(stateOf));
      case 'computeChannelId': {
        const [payer, payee, operator, token, salt, authorizedSigner, expiringNonceHash] = args;
        return result(computeChannelId({ payer, payee, operator, token, salt, authorizedSigner, expiringNonceHash }, chainId));
      }
      case 'getVoucherDigest':
        return result(voucherDigest(chainId, args[0], args[1]));
      case 'domainSeparator':
        return result(domainSeparator(chainId));
      case 'CLOSE_GRACE_PERIOD':
        return result(this.closeGraceSeconds);
      case 'VOUCHER_TYPEHASH':
        return result(VOUCHER_TYPEHASH);
      default:
        throw new Error(`escrow: no view ${name}`);
    }
  }

  /** JSON-safe channel list for GET /__state: every channel ever opened, open ones with their live state. */
  toJSON() {
    return [...this.ledger].map(([channelId, e]) => {
      const slot = this.slots.get(channelId);
      return {
        channelId,
        descriptor: e.descriptor,
        open: Boolean(slot),
        deposit: (slot?.deposit ?? 0n).toString(),
        settled: (slot?.settled ?? 0n).toString(),
        closeRequestedAt: Number(slot?.closeRequestedAt ?? 0n),
        totalDeposited: e.totalDeposited.toString(),
        paidToPayee: e.paidToPayee.toString(),
        refundedToPayer: e.refundedToPayer.toString(),
        events: e.events,
      };
    });
  }
}
