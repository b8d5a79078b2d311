// Renders one benchmark run (bench.mjs) as the Markdown of bench/RESULTS.md: the targets first, met
// or missed with the reason, then the tables they come from.

const ms = (x, digits = 2) => (Number.isFinite(x) ? `${x.toFixed(digits)} ms` : 'n/a');
const mib = (x) => `${x.toFixed(1)} MiB`;
const times = (x) => `${x.toFixed(1)}×`;
const verdict = (ok) => (ok ? 'met' : '**missed**');
const usd = (x) => `${x.toFixed(6).replace(/0+$/, '').replace(/\.$/, '')} pathUSD`;
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const counts = (modes) => Object.entries(modes).map(([k, n]) => `${n} ${k}`).join(', ') || 'none';

// The single-call cases of bench.mjs: who called, and how the call was paid.
const CALL_ROWS = {
  'mpp paid': ['mpp', 'charge (paid-service)'],
  'mpp unpaid': ['mpp', 'none (paid-service, free route)'],
  'mpp voucher': ['mpp', 'voucher (session-service, channel open)'],
  'mpp unpaid, session server': ['mpp', 'none (session-service, free route)'],
  'mppx paid': ['mppx', 'charge (paid-service)'],
  'mppx unpaid': ['mppx', 'none (paid-service, free route)'],
  'mppx voucher': ['mppx', 'voucher (session-service, channel open)'],
  'mppx unpaid, session server': ['mppx', 'none (session-service, free route)'],
  'curl unpaid': ['curl', 'none (paid-service, free route)'],
};
// What payment adds to a call: [label, paid case, the unpaid case against the same server].
const ADDED_ROWS = [
  ['mpp, charge', 'mpp paid', 'mpp unpaid'],
  ['mpp, voucher', 'mpp voucher', 'mpp unpaid, session server'],
  ['mppx, charge', 'mppx paid', 'mppx unpaid'],
  ['mppx, voucher', 'mppx voucher', 'mppx unpaid, session server'],
];
/** {cpu_ms, wall_ms} that payment adds: the paid case's medians minus the unpaid one's. */
function added(calls, paid, unpaid) {
  return { cpu_ms: calls[paid].cpu_ms - calls[unpaid].cpu_ms, wall_ms: calls[paid].wall_ms - calls[unpaid].wall_ms };
}

/** The whole RESULTS.md for `run` (see bench.mjs for its fields). */
export function renderReport(run) {
  const c = run.calls;
  const mpp = c['mpp paid'];
  const mppx = c['mppx paid'];
  const curl = c['curl unpaid'];
  const share = run.shares.disk.share_ms;
  const version = run.startup['mpp --version'].wall_ms;
  const slow = (jobs, upstream = '100 ms') => run.batch.find((b) => b.upstream === upstream && b.jobs === jobs);
  const speedup = slow(16).per_s / slow(1).per_s;
  const free = '100 ms, server checks nothing';
  const clientSpeedup = slow(16, free).per_s / slow(1, free).per_s;
  const chargeAdds = added(c, 'mpp paid', 'mpp unpaid');
  const voucherAdds = added(c, 'mpp voucher', 'mpp unpaid, session server');
  const sc = run.sessionCalls;
  const openBatches = run.sessionBatch.filter((b) => b.paidBy === 'session, channel already open');
  const voucherTxs = sc.mpp.txs + openBatches.reduce((sum, b) => sum + Math.round(b.txs_per_call * 3 * b.calls), 0);
  const voucherCount = sc.runs + openBatches.reduce((sum, b) => sum + 3 * b.calls, 0);

  const targets = [
    ['Client CPU per paid call ≤ 1/50 of mppx', `${ms(mpp.cpu_ms)} vs ${ms(mppx.cpu_ms)}: 1/${(mppx.cpu_ms / mpp.cpu_ms).toFixed(0)}`, mpp.cpu_ms * 50 <= mppx.cpu_ms, cpuVsMppxNote(run)],
    ['Client CPU per paid call ≤ 3× an unpaid `curl`', `${ms(mpp.cpu_ms)} vs ${ms(curl.cpu_ms)}: ${times(mpp.cpu_ms / curl.cpu_ms)}`, mpp.cpu_ms <= 3 * curl.cpu_ms, cpuVsCurlNote(run)],
    ['Peak RSS ≤ 1/10 of mppx', `${mib(mpp.rss_mib)} vs ${mib(mppx.rss_mib)}: 1/${(mppx.rss_mib / mpp.rss_mib).toFixed(0)}`, mpp.rss_mib * 10 <= mppx.rss_mib, ''],
    ["Client's share of payment latency < 2 ms", ms(share), share < 2, shareNote(run)],
    ['`mpp --version` < 5 ms', ms(version), version < 5, versionNote(run)],
    ['Batch `-j 16` ≥ 12× `-j 1` (100 ms upstream, reference server)', `${times(speedup)} (${slow(1).per_s.toFixed(1)} → ${slow(16).per_s.toFixed(1)} calls/s)`, speedup >= 12, batchNote(run, speedup, clientSpeedup)],
    ['Batch `-j 16` ≥ 12× `-j 1` (100 ms upstream, server that checks nothing)', `${times(clientSpeedup)} (${slow(1, free).per_s.toFixed(1)} → ${slow(16, free).per_s.toFixed(1)} calls/s)`, clientSpeedup >= 12, 'mpp itself is the limit here: see its CPU per call in the batch table.'],
    ['A voucher-paid call adds less client CPU than a charge-paid one', `voucher adds ${ms(voucherAdds.cpu_ms)}, charge adds ${ms(chargeAdds.cpu_ms)} (${ms(c['mpp voucher'].cpu_ms)} − ${ms(c['mpp unpaid, session server'].cpu_ms)} vs ${ms(c['mpp paid'].cpu_ms)} − ${ms(c['mpp unpaid'].cpu_ms)})`, voucherAdds.cpu_ms < chargeAdds.cpu_ms, voucherCpuNote(run, voucherAdds, chargeAdds)],
    ['A voucher-paid call costs no on-chain transaction', `${plural(voucherTxs, 'transaction')} from the payer in ${voucherCount} voucher-paid calls (${sc.runs} single, ${voucherCount - sc.runs} in batches on the open channel)`, voucherTxs === 0, voucherTxNote(run)],
  ];

  const out = [];
  out.push('# mpp benchmarks', '');
  out.push('Written by `bench/run` (see `bench/README.md`); numbers from one run on the machine below. Every', 'figure is a median over cold processes unless the table says otherwise.', '');
  out.push('| | |', '|---|---|');
  out.push(`| Date | ${run.machine.date} |`);
  out.push(`| Machine | ${run.machine.cpu}, ${run.machine.memory}; ${run.machine.os} |`);
  out.push(`| Load average at start | ${run.machine.load} |`);
  out.push(`| mpp | ${run.versions.mpp} |`);
  out.push(`| Reference | ${run.versions.mppx} |`);
  out.push(`| Baseline | ${run.versions.curl} |`);
  out.push(`| Runs | ${run.runs} per case, interleaved round-robin |`, '');

  out.push('## Targets', '', '| Target | Measured | Result | Why missed, and what would fix it |', '|---|---|---|---|');
  for (const [name, measured, ok, note] of targets) out.push(`| ${name} | ${measured} | ${verdict(ok)} | ${ok ? '' : note} |`);
  out.push('');

  out.push('## One chat call, cold process', '');
  out.push('The same chat request (`POST /v1/chat/completions`, JSON answer) through each client: paid by charge', 'against the reference server (mppx 0.11 `tempo.charge`, settling on the chain stand-in), paid by voucher', 'against the reference session server (mppx 0.11 `tempo.session`) on a channel the client\'s first, untimed', 'call opened (each measured call is a new process that finds the channel in its home), and unpaid', 'against each server\'s free route `/free/v1/chat/completions` (same upstream, no 402). CPU is user + sys', 'of the client process (`wait4`); RSS is its peak resident set; wall is fork to exit.', '');
  out.push('| Client | Paid by | CPU | user | sys | Peak RSS | Wall |', '|---|---|---|---|---|---|---|');
  for (const [name, s] of Object.entries(c)) {
    const [client, paidBy] = CALL_ROWS[name] ?? [name, ''];
    out.push(`| ${client} | ${paidBy} | ${ms(s.cpu_ms)} | ${ms(s.user_ms)} | ${ms(s.sys_ms)} | ${mib(s.rss_mib)} | ${ms(s.wall_ms)} |`);
  }
  out.push('');
  out.push('What payment adds: the paid call\'s median minus the unpaid call\'s to the same server.', '');
  out.push('| Client, payment | Latency added (wall) | CPU added |', '|---|---|---|');
  for (const [label, paid, unpaid] of ADDED_ROWS) {
    const a = added(c, paid, unpaid);
    out.push(`| ${label} | ${ms(a.wall_ms)} | ${ms(a.cpu_ms)} |`);
  }
  out.push('');

  out.push("## The client's share of a payment", '');
  out.push('Time from the server handing its 402 to the kernel to the credential request arriving, measured by the', 'server (`finishedMs` → `arrivedMs` in its request log), so loopback transfer time is included. It is', "what the client does in between: parse and choose the challenge; for a charge, ask the RPC for fees (one", 'batched round trip; none when the server pays fees) and sign the transaction; for a voucher, load and', 'lock the channel\'s record and sign the voucher; then write the journal record (fsync), and for a voucher', 'the channel\'s new record, before the credential leaves. The mpp rows ran interleaved in their own rounds;', 'their CPU is the whole cold process\'s, as in the table above.', '');
  out.push('| Client, setup | Share | Client CPU | Same connection for the retry |', '|---|---|---|---|');
  const shareNames = {
    disk: 'mpp, charge, home on disk (default)', tmpfs: 'mpp, charge, home on tmpfs', 'tmpfs, fee payer': 'mpp, charge, home on tmpfs, server pays fees (no RPC)',
    voucher: 'mpp, voucher on an open channel, home on disk (default)', 'voucher, tmpfs': 'mpp, voucher on an open channel, home on tmpfs',
    mppx: 'mppx, charge', 'mppx voucher': 'mppx, voucher on an open channel',
  };
  const shareOrder = [...Object.keys(shareNames).filter((k) => run.shares[k]), ...Object.keys(run.shares).filter((k) => !shareNames[k])];
  for (const name of shareOrder) {
    const s = run.shares[name];
    out.push(`| ${shareNames[name] ?? name} | ${ms(s.share_ms)} | ${ms(s.cpu_ms)} | ${s.reused ? 'yes' : 'no'} |`);
  }
  out.push('', `An fsync of one appended journal line in the same home directory takes ${ms(run.fsyncMs)} here (median). A voucher`, 'call also rewrites its channel\'s record in `<MPP_HOME>/channels` before the voucher leaves: replacing a', `file of that size atomically (a new file written and fsync'd, renamed, the directory fsync'd) takes ${ms(run.replaceProbe.wall_ms)}`, `here (${ms(run.replaceProbe.cpu_ms)} of CPU; median).`, '');

  out.push('## Startup', '', '| Command | Wall | CPU | Peak RSS |', '|---|---|---|---|');
  for (const [name, s] of Object.entries(run.startup)) out.push(`| \`${name}\` | ${ms(s.wall_ms)} | ${ms(s.cpu_ms)} | ${mib(s.rss_mib)} |`);
  out.push('', '`mpp quote` probes the local reference server once (one HTTP exchange, no payment).', '');

  out.push('## Batch', '');
  out.push(`\`mpp chat --batch FILE -j N\`: ${run.batch[0].calls} prompts, every one paid, against the reference server with an upstream`, 'that answers after 100 ms and one that answers at once, and against the fault server\'s `upstream-100ms`', 'mode, which answers 100 ms after accepting any credential unchecked (so only mpp and the upstream count).', 'Median of 3 runs. Server CPU is what the server and the chain stand-in (Node.js) spent per call, from /proc.', '');
  out.push('| Upstream | -j | Wall | Calls/s | Speed-up over -j 1 | mpp CPU per call | Server CPU per call |', '|---|---|---|---|---|---|---|');
  for (const b of run.batch) {
    const base = run.batch.find((x) => x.upstream === b.upstream && x.jobs === 1);
    out.push(`| ${b.upstream} | ${b.jobs} | ${b.wall_s.toFixed(2)} s | ${b.per_s.toFixed(1)} | ${times(b.per_s / base.per_s)} | ${ms(b.cpu_ms_per_call)} | ${ms(b.server_cpu_ms_per_call, 1)} |`);
  }
  out.push('');

  out.push(...renderSession(run));

  out.push('## Micro-benchmarks', '');
  out.push('`bench/mpp_micro` (Google Benchmark), CPU time per operation. `BM_PaymentClientSide` is all the CPU work of', 'one self-paid payment between the 402 and the credential, without I/O.', '');
  out.push('| Benchmark | CPU per op | Throughput |', '|---|---|---|');
  for (const b of run.micro) {
    const ns = b.time_unit === 'ns' ? b.cpu_time : b.time_unit === 'us' ? b.cpu_time * 1e3 : b.cpu_time * 1e6;
    const rate = b.bytes_per_second ? `${(b.bytes_per_second / 2 ** 20).toFixed(0)} MiB/s` : '';
    out.push(`| ${b.name} | ${ns < 1e4 ? `${ns.toFixed(0)} ns` : `${(ns / 1e3).toFixed(1)} µs`} | ${rate} |`);
  }
  out.push('');
  return out.join('\n');
}

/** The session sections: what a voucher call costs on chain and at the RPC, and a batch on one channel. */
function renderSession(run) {
  const sc = run.sessionCalls;
  const perCall = (methods) => (Object.keys(methods).length ? Object.entries(methods).map(([m, n]) => `${m} ${(n / sc.runs).toFixed(1)}`).join(', ') : 'none');
  const out = [];
  out.push('## Session: what a voucher-paid call costs besides CPU', '');
  out.push(`The ${sc.runs} measured voucher calls of each client above, as the chain stand-in saw them. Before them,`,
    `each client's first call opened its channel (untimed): mpp's open was ${plural(sc.opens.mpp.txs, 'transaction')} (fee ${usd(sc.opens.mpp.fees / 1e6)}),`,
    `mppx's ${plural(sc.opens.mppx.txs, 'transaction')} (fee ${usd(sc.opens.mppx.fees / 1e6)}). JSON-RPC calls are counted per measured call, from the`,
    'stand-in\'s log of the path each party posts to. The mppx CLI 0.11 pays sessions from the command line: its',
    'default `--session auto` reuses the open channel it keeps in `$XDG_STATE_HOME/mppx`.', '');
  out.push('| Client | Transactions from the payer | Fees paid by the payer | JSON-RPC calls per call (client) |', '|---|---|---|---|');
  out.push(`| mpp | ${sc.mpp.txs} | ${usd(sc.mpp.fees / 1e6)} | ${perCall(sc.rpc.mpp)} |`);
  out.push(`| mppx | ${sc.mppx.txs} | ${usd(sc.mppx.fees / 1e6)} | ${perCall(sc.rpc.mppx)} |`);
  out.push('', `mpp's journal for its measured calls: ${counts(sc.journal)}. The session server's own account sent ${plural(sc.payee.txs, 'transaction')} meanwhile; its JSON-RPC calls per paid call (both clients' vouchers): ${perCallServer(sc)}.`, '');

  const b = run.sessionBatch;
  out.push('## Session batch', '');
  out.push(`\`mpp chat --batch FILE -j N --no-stream\`: ${b[0].calls} prompts (\`"prompt 1"\` …), each a one-unit JSON answer,`,
    'paid by voucher through one channel against the session server (instant upstream): a new channel (fresh',
    'home and payer: the first call opens it) and the channel the single calls above use; and by charge against',
    'the reference server for comparison. Median wall of 3 runs; transactions and fees are the stand-in\'s, from',
    'the payer, over the 3 runs; server CPU is the server\'s and the stand-in\'s, from /proc.', '');
  out.push('| Paid by | -j | Wall | Calls/s | mpp CPU per call | Server CPU per call | On-chain transactions per call | Fees per batch | Payments journaled (3 runs) |', '|---|---|---|---|---|---|---|---|---|');
  for (const x of b) out.push(`| ${x.paidBy} | ${x.jobs} | ${x.wall_s.toFixed(2)} s | ${x.per_s.toFixed(1)} | ${ms(x.cpu_ms_per_call)} | ${ms(x.server_cpu_ms_per_call, 1)} | ${x.txs_per_call.toFixed(2)} | ${usd(x.fees_per_batch)} | ${counts(x.journal)} |`);
  out.push('', 'Vouchers on one channel are signed one at a time (each call holds the channel until its answer is in,', 'so the cumulative amounts arrive in order); `-j 4` overlaps only the rest of each call.', '');
  return out;
}

function perCallServer(sc) {
  const entries = Object.entries(sc.rpc.server);
  return entries.length ? entries.map(([m, n]) => `${m} ${(n / (2 * sc.runs)).toFixed(1)}`).join(', ') : 'none';
}

function voucherCpuNote(run, voucher, charge) {
  const rp = run.replaceProbe;
  const sh = run.shares;
  const rpc = Object.values(run.sessionCalls.rpc.mpp).reduce((sum, n) => sum + n, 0);
  const asks = rpc === 0 ? 'asks the RPC nothing' : `makes ${(rpc / run.sessionCalls.runs).toFixed(1)} JSON-RPC calls`;
  const notes = [`Not the signing or the chain: a voucher call ${asks} and signs a voucher instead of a transaction (a charge's whole payment CPU without I/O, \`BM_PaymentClientSide\`, is ${microUs(run, 'BM_PaymentClientSide')}). It writes more to disk before the voucher leaves: the journal's appended line and an atomic rewrite of the channel's record in \`<MPP_HOME>/channels\` (new file, fsync, rename, directory fsync: ${ms(rp.wall_ms)} and ${ms(rp.cpu_ms)} of CPU in a probe here).`];
  if (sh.voucher && sh['voucher, tmpfs'] && sh.disk && sh.tmpfs) {
    const disk = sh.voucher.cpu_ms - sh['voucher, tmpfs'].cpu_ms;
    notes.push(`In the share rounds a voucher call costs ${ms(sh.voucher.cpu_ms)} with the home on disk and ${ms(sh['voucher, tmpfs'].cpu_ms)} on tmpfs (the disk: ${ms(disk)}); a charge ${ms(sh.disk.cpu_ms)} and ${ms(sh.tmpfs.cpu_ms)}.`);
    notes.push(sh['voucher, tmpfs'].cpu_ms < sh.tmpfs.cpu_ms
      ? 'Without the disk the voucher is the cheaper call, so the channel record\'s rewrite is what loses it.'
      : `Even without the disk the voucher call is not cheaper (${ms(sh['voucher, tmpfs'].cpu_ms - sh.tmpfs.cpu_ms)} more): what both add over an unpaid call is mostly what every paid call does (the second HTTP exchange, the challenge, the journal), and the charge's RPC exchange costs its client about what the voucher's channel record does.`);
  }
  notes.push('Fix: make the journal\'s voucher record (fsync\'d, with the channel and its cumulative amount) the durable copy and rewrite the channel record after the credential has left, under the same lock, or append to it instead of replacing it; that removes the disk part, not the rest.');
  return notes.join(' ');
}

function microUs(run, name) {
  const b = run.micro.find((x) => x.name === name);
  if (!b) return 'n/a';
  const us = b.time_unit === 'ns' ? b.cpu_time / 1e3 : b.time_unit === 'us' ? b.cpu_time : b.cpu_time * 1e3;
  return `${us.toFixed(1)} µs`;
}

function voucherTxNote(run) {
  const sc = run.sessionCalls;
  return `mpp's journal for the measured single calls: ${counts(sc.journal)}. A session open or top-up is a transaction: the channel's deposit ran out, or mpp did not find the channel in its home.`;
}

function cpuVsMppxNote(run) {
  return `mppx's CPU is mostly starting Node.js and loading its modules (\`mppx --version\` alone: ${ms(run.startup['mppx --version'].cpu_ms)}).`;
}

function cpuVsCurlNote(run) {
  const c = run.calls;
  return `An unpaid mpp call already costs ${ms(c['mpp unpaid'].cpu_ms)}; the payment adds a second HTTP exchange, an RPC exchange, signing and an fsync'd journal write. Startup (dynamic linking of libcurl and OpenSSL, as curl pays too) is most of both.`;
}

function shareNote(run) {
  const s = run.shares;
  const notes = [];
  const noRpc = s['tmpfs, fee payer'];
  if (s.tmpfs && noRpc && noRpc.share_ms < s.tmpfs.share_ms) {
    notes.push(`The fee quote: mpp asks the RPC for chain id, gas estimate and gas price (one batched round trip, answered here by the Node.js stand-in) after the 402, because the estimate depends on the challenge. Against a server that pays fees there is no quote and the share is ${ms(noRpc.share_ms)}. Fix: ask for chain id and gas price while the probe is in flight and use a fixed gas limit, as the reference fixed-gas clients do, at the price of a larger fee reservation.`);
  }
  if (s.tmpfs && s.tmpfs.share_ms < s.disk.share_ms) {
    notes.push(`The journal's fsync adds ${ms(s.disk.share_ms - s.tmpfs.share_ms)} on this disk (journal on tmpfs: ${ms(s.tmpfs.share_ms)}); it stays, since a payment must be on disk before its credential leaves.`);
  }
  return notes.join(' ') || 'See the breakdown below.';
}

function versionNote(run) {
  const curl = run.startup['curl --version'];
  return `Loading shared libraries: mpp links Debian's libcurl, which brings 30-odd libraries (GnuTLS, Kerberos, LDAP, SSH, RTMP) resolved at load time; \`curl --version\` itself takes ${ms(curl.wall_ms)} here. Fix: open libcurl with dlopen only when a command makes a request, or link a libcurl built with only HTTP(S).`;
}

function batchNote(run, speedup, clientSpeedup) {
  const b16 = run.batch.find((b) => b.upstream === '100 ms' && b.jobs === 16);
  const ceiling = 1000 / b16.server_cpu_ms_per_call;
  return `The reference server: it verifies and settles each payment (with the chain stand-in) in ${ms(b16.server_cpu_ms_per_call, 1)} of Node.js CPU on one thread, so it answers at most about ${ceiling.toFixed(0)} paid calls/s, and -j 16 reaches ${b16.per_s.toFixed(1)}. mpp uses ${ms(b16.cpu_ms_per_call)} per call. Against the same 100 ms upstream behind a server that checks nothing, -j 16 is ${times(clientSpeedup)} -j 1. Fix: a faster or multi-process server (a real service), not the client.`;
}
