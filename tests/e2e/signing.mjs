// Builds signed Tempo transactions with the reference implementation (viem/tempo + ox), independent of
// the stand-in's decoder: the tests feed these to the stand-in, and build credentials from them the
// way a client with fixed gas settings (like ours) would.
import { loadDeps } from './lib.mjs';

const deps = await loadDeps();
const { viem, viemAccounts, viemTempo } = deps;

export const MAX_NONCE_KEY = (1n << 256n) - 1n;

/** TIP-20 transfer (or transferWithMemo when memo is given) call. */
export function transferCall(token, to, amount, memo) {
  const data = memo
    ? viem.encodeFunctionData({ abi: viemTempo.Abis.tip20, functionName: 'transferWithMemo', args: [to, BigInt(amount), memo] })
    : viem.encodeFunctionData({ abi: viemTempo.Abis.tip20, functionName: 'transfer', args: [to, BigInt(amount)] });
  return { to: token, data };
}

/**
 * Signs a 0x76 transaction. Defaults: chain 42431, expiring nonce with validBefore = now + 20 s,
 * gas 1,000,000 at 41 gwei (what reference clients use). `feePayer`: a private key -> the final
 * sponsored 0x76 with the fee payer's signature; `true` -> the 0x78 hand-off envelope.
 * validBefore: null leaves it out.
 */
export async function signTempoTx({
  key, calls, chainId = 42431, gas = 1_000_000n, maxFeePerGas = 41_000_000_000n, maxPriorityFeePerGas = 1_000_000_000n,
  nonceKey = MAX_NONCE_KEY, nonce = 0, validBefore = Math.floor(Date.now() / 1000) + 20, validAfter, feeToken, feePayer,
}) {
  const account = viemAccounts.privateKeyToAccount(key);
  const tx = {
    type: 'tempo', chainId, calls, gas, maxFeePerGas, maxPriorityFeePerGas, nonceKey, nonce,
    ...(validBefore !== null && { validBefore }),
    ...(validAfter !== undefined && { validAfter }),
    ...(feeToken && { feeToken }),
    ...(feePayer === true && { feePayer: true, from: account.address }),
    ...(typeof feePayer === 'string' && { feePayer: viemAccounts.privateKeyToAccount(feePayer) }),
  };
  return account.signTransaction(tx, { serializer: viemTempo.Transaction.serialize });
}

export { deps };
