// Token balances per token per address (base units, 6 decimals), with all-or-nothing application of a
// transaction's effects. Fees and transfers are recorded in separate lists so a test can assert that a
// payer moved by exactly (charged amount) + (the fee listed for that transaction).

export class InsufficientBalance extends Error {
  constructor({ token, account, available, required, purpose }) {
    super(`insufficient ${purpose === 'fee' ? 'funds for gas' : 'balance'}: ${account} holds ${available} of token ${token}, needs ${required}`);
    Object.assign(this, { token, account, available, required, purpose });
  }
}

const key = (a) => a.toLowerCase();

export class Ledger {
  balances = new Map(); // token -> Map(address -> bigint)
  transfers = []; // {txHash, token, from, to, amount, memo, kind}
  fees = []; // {txHash, token, payer, amount, sponsored}

  balanceOf(token, account) {
    return this.balances.get(key(token))?.get(key(account)) ?? 0n;
  }

  totalSupply(token) {
    let sum = 0n;
    for (const v of this.balances.get(key(token))?.values() ?? []) sum += v;
    return sum;
  }

  #set(token, account, value) {
    if (!this.balances.has(key(token))) this.balances.set(key(token), new Map());
    this.balances.get(key(token)).set(key(account), value);
  }

  /** Mints (or with set=true, overwrites) a balance; records a 'fund' transfer for the state log. */
  credit({ txHash, token, account, amount, set = false, kind = 'fund' }) {
    const before = this.balanceOf(token, account);
    this.#set(token, account, set ? amount : before + amount);
    const moved = set ? amount - before : amount;
    this.transfers.push({ txHash, token: key(token), from: '0x0000000000000000000000000000000000000000', to: key(account), amount: moved, memo: null, kind });
  }

  /**
   * Checks a fee plus ordered transfers against current balances (each debit must be covered when it
   * happens) and applies them only if all succeed. Throws InsufficientBalance otherwise, leaving the
   * ledger untouched. `dryRun` checks without applying (eth_call / eth_estimateGas).
   */
  apply({ txHash, fee, transfers }, { dryRun = false } = {}) {
    const scratch = new Map();
    const get = (t, a) => scratch.get(`${key(t)}|${key(a)}`) ?? this.balanceOf(t, a);
    const put = (t, a, v) => scratch.set(`${key(t)}|${key(a)}`, v);
    const debit = (token, account, amount, purpose) => {
      const available = get(token, account);
      if (available < amount) throw new InsufficientBalance({ token, account: key(account), available, required: amount, purpose });
      put(token, account, available - amount);
    };
    if (fee) debit(fee.token, fee.payer, fee.amount, 'fee');
    for (const t of transfers) {
      debit(t.token, t.from, t.amount, 'transfer');
      put(t.token, t.to, get(t.token, t.to) + t.amount);
    }
    if (dryRun) return;
    for (const [k, v] of scratch) {
      const [token, account] = k.split('|');
      this.#set(token, account, v);
    }
    if (fee) this.fees.push({ txHash, token: key(fee.token), payer: key(fee.payer), amount: fee.amount, sponsored: fee.sponsored });
    for (const t of transfers)
      this.transfers.push({ txHash, token: key(t.token), from: key(t.from), to: key(t.to), amount: t.amount, memo: t.memo, kind: t.kind });
  }

  /** JSON-safe snapshot: amounts as decimal strings, addresses lowercase. */
  toJSON() {
    const balances = {};
    for (const [token, m] of this.balances) balances[token] = Object.fromEntries([...m].map(([a, v]) => [a, v.toString()]));
    const str = (r) => ({ ...r, amount: r.amount.toString() });
    return { balances, transfers: this.transfers.map(str), fees: this.fees.map(str) };
  }
}
