// What a careful new user meets around the payments, through the real binary: the config file read by a
// real TOML parser (every valid spelling honored, every malformed one exit 2 naming the line, unsafe
// ownership refused), keystores others wrote, -c continuing on the conversation's own service, output
// that could not be written (exit 1, the journal says the paid answer was lost), and commands that teach.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './lib.mjs';

after(h.stopAll);

const skip = h.mppBinary() ? false : 'MPP_BIN is not set (ctest sets it to the built mpp binary)';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** stderr is exactly one line, `mpp: error: ...`, matching every pattern. */
function assertOneErrorLine(r, ...patterns) {
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, 1, `expected one stderr line, got:\n${r.stderr}`);
  assert.match(lines[0], /^mpp: error: /);
  for (const p of patterns) assert.match(lines[0], p);
}

/** Runs the binary like h.runMpp, but with stdout going to the file `stdoutPath` (e.g. /dev/full). */
function runToFile(args, stdoutPath, { env = {}, home, stdin } = {}) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MPP_')));
  const fd = fs.openSync(stdoutPath, 'w');
  return new Promise((resolve, reject) => {
    const proc = spawn(h.mppBinary(), args, { env: { ...base, HOME: home, MPP_HOME: home, NO_COLOR: '1', ...env }, stdio: ['pipe', fd, 'pipe'] });
    fs.closeSync(fd);
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    proc.on('error', reject);
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
    proc.stdin.on('error', () => {});
    proc.stdin.end(stdin ?? '');
  });
}

describe('config, keystores, conversations, output and usage', { skip, timeout: 120_000 }, () => {
  let chain;
  let rpc;
  let svc;

  before(async () => {
    chain = await h.startChain();
    rpc = `${chain.url}/client`;
    svc = await h.startPaidService({ rpc: `${chain.url}/server`, amount: '1000', recipient: h.RECIPIENT.address });
  });

  const url = () => `${svc.url}/v1/chat/completions`;
  /** A paid --raw call with config text in $home/config.toml (null: none). */
  async function callWithConfig(configText, { payer, home = h.makeHome(), env = {} } = {}) {
    if (configText !== null) fs.writeFileSync(path.join(home, 'config.toml'), configText, { mode: 0o600 });
    const n = (await svc.requests()).length;
    const r = await h.runChat(url(), { key: (payer ?? (await h.newPayer(chain))).key, rpcUrl: rpc, home, env });
    return { ...r, requests: (await svc.requests()).slice(n) };
  }

  const validSpellings = {
    'a [budget] table': '[budget]\ndaily = "0.003"\n',
    'a table header with spaces': '[ budget ]\ndaily = "0.003"\n',
    'an inline table': 'budget = { daily = "0.003" }\n',
    'a dotted key': 'budget.daily = "0.003"\n',
    'a UTF-8 byte order mark and a bare number': '\ufeff[budget]\ndaily = 0.003\n',
    'a literal string and a comment': "[budget] # spending\n  daily = '0.003'\n",
    'an integer (no spending at all)': '[budget]\ndaily = 0\n',
  };
  for (const [name, text] of Object.entries(validSpellings)) {
    test(`budget.daily written as ${name} is honored: a call over it is refused (exit 5)`, async () => {
      const r = await callWithConfig(text);
      assert.equal(r.code, 5, r.stderr);
      assertOneErrorLine(r, /over the daily budget/);
      assert.deepEqual(r.requests.map((x) => x.credential), [null]);
      assert.deepEqual(r.journal, []);
    });
  }

  test('a daily limit in the config that fits the call lets it pay', async () => {
    const r = await callWithConfig('budget = { daily = "0.0031" }\n');
    assert.equal(r.code, 0, r.stderr);
  });

  const malformed = {
    'a table header without its bracket': ['[budget\ndaily = "1"\n', 1, /not valid TOML/],
    'a key written twice': ['[budget]\ndaily = "1"\ndaily = "2"\n', 3, /daily/],
    'a table written twice': ['[budget]\ndaily = "1"\n[budget]\ndaily = "2"\n', 3, /budget/],
    'a wrong type in an inline table': ['budget = { daily = true }\n', 1, /'budget\.daily' must be an amount/],
    'an unknown key in [budget]': ['[budget]\ndialy = "1"\n', 2, /unknown key 'budget\.dialy' \(known here: daily\)/],
    'an unknown top-level key': ['max_amont = "1"\n', 1, /unknown key 'max_amont'/],
    'a number where a string belongs': ['network = 5\n', 1, /'network' must be a string/],
    'budget that is not a table': ['budget = "1"\n', 1, /'budget' must be a table/],
    'an unknown service key': ['[services.mine]\nurl = "http://127.0.0.1:1"\nmodle = "x"\n', 3, /unknown key 'services\.mine\.modle'/],
  };
  for (const [name, [text, line, why]] of Object.entries(malformed)) {
    test(`a config with ${name}: exit 2 naming the file and line ${line}, nothing sent`, async () => {
      const home = h.makeHome();
      const r = await callWithConfig(text, { home });
      assert.equal(r.code, 2, r.stderr);
      assertOneErrorLine(r, new RegExp(`config file ${escape(path.join(home, 'config.toml'))} line ${line}\\b`), why);
      assert.deepEqual(r.requests, []);
    });
  }

  test('MPP_CONFIG naming a missing file: exit 2 naming it, nothing sent', async () => {
    const r = await callWithConfig(null, { env: { MPP_CONFIG: '/nonexistent/mpp.toml' } });
    assert.equal(r.code, 2, r.stderr);
    assertOneErrorLine(r, /\/nonexistent\/mpp\.toml does not exist/);
    assert.deepEqual(r.requests, []);
  });

  for (const mode of [0o666, 0o620]) {
    test(`a config file with mode ${mode.toString(8)} (others may write it) is refused: exit 6, nothing sent`, async () => {
      const home = h.makeHome();
      const file = path.join(home, 'config.toml');
      fs.writeFileSync(file, 'max_amount = "50"\n');
      fs.chmodSync(file, mode);
      const r = await callWithConfig(null, { home });
      assert.equal(r.code, 6, r.stderr);
      assertOneErrorLine(r, new RegExp(`the config file ${escape(file)} is writable by other users`), /chmod go-w/);
      assert.deepEqual(r.requests, []);
    });
  }

  test('a config file in a directory others may write is refused: exit 6', async () => {
    const dir = h.makeHome('mpp-shared-');
    fs.chmodSync(dir, 0o777);
    const file = path.join(dir, 'mpp.toml');
    fs.writeFileSync(file, 'max_amount = "50"\n', { mode: 0o600 });
    const r = await callWithConfig(null, { env: { MPP_CONFIG: file } });
    assert.equal(r.code, 6, r.stderr);
    assertOneErrorLine(r, /the config file's directory .* is writable by other users/);
  });

  test('a config file or data directory owned by another user is refused: exit 6', { skip: isRoot ? false : 'needs root to chown' }, async () => {
    const home = h.makeHome();
    const file = path.join(home, 'config.toml');
    fs.writeFileSync(file, 'max_amount = "0.05"\n', { mode: 0o600 });
    fs.chownSync(file, 12345, 12345);
    const r = await callWithConfig(null, { home });
    assert.equal(r.code, 6, r.stderr);
    assertOneErrorLine(r, /the config file .* belongs to uid 12345, not to you/);
    fs.rmSync(file);
    fs.chownSync(home, 12345, 12345);
    const data = await callWithConfig(null, { home });
    assert.equal(data.code, 6, data.stderr);
    assertOneErrorLine(data, /the data directory .* belongs to uid 12345/);
    assert.deepEqual(data.journal, []);
  });

  test('a V3 keystore with "address": "" (or none) imports and exports the right key; a wrong address is refused', async () => {
    const home = h.makeHome();
    const env = { MPP_PASSWORD: 'usage-e2e keystore password' };
    const made = await h.runMpp(['wallet', 'import', 'orig', '--light'], { home, env, stdin: `${h.PAYER.key}\n` });
    assert.equal(made.code, 0, made.stderr);
    const keystore = JSON.parse((await h.runMpp(['wallet', 'export', 'orig'], { home, env })).stdout);
    const variants = { empty: { ...keystore, address: '' }, missing: { ...keystore } };
    delete variants.missing.address;
    for (const [name, json] of Object.entries(variants)) {
      const file = path.join(home, `${name}.json`);
      fs.writeFileSync(file, JSON.stringify(json));
      const imported = await h.runMpp(['wallet', 'import', name, '--keystore', file], { home, env });
      assert.equal(imported.code, 0, `${name}: ${imported.stderr}`);
      assert.equal(imported.stdout.trim(), h.PAYER.address, name);
      const exported = await h.runMpp(['wallet', 'export', name, '--yes-print-private-key'], { home, env });
      assert.equal(exported.code, 0, exported.stderr);
      assert.equal(exported.stdout.trim(), h.PAYER.key, name);
      assert.equal((await h.runMpp(['wallet', 'address', name], { home })).stdout.trim(), h.PAYER.address);
    }
    const wrong = path.join(home, 'wrong.json');
    fs.writeFileSync(wrong, JSON.stringify({ ...keystore, address: h.RECIPIENT.address.slice(2).toLowerCase() }));
    const refused = await h.runMpp(['wallet', 'import', 'wrong', '--keystore', wrong], { home, env });
    assert.equal(refused.code, 6, refused.stderr);
    assertOneErrorLine(refused, /belongs to another address/);
  });

  test('-c continues on the conversation\'s own service, URL and model; flags override, -v says so', async () => {
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    // A trap: were -c to fall back on the default service, it would reach this dead port, not the internet.
    fs.writeFileSync(path.join(home, 'config.toml'), '[services.groq]\nurl = "http://127.0.0.1:9"\n', { mode: 0o600 });
    const run = (args) => h.runMpp([...args, '--network', 'testnet', '--rpc-url', rpc], { home, env: { MPP_PRIVATE_KEY: payer.key } });
    const first = await run(['chat', '--service', 'openai', '--base-url', `${svc.url}/openai`, '-m', 'gpt-4o-mini', 'first']);
    assert.equal(first.code, 0, first.stderr);
    const second = await run(['chat', '-c', '-v', 'second']);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, 'echo: second\n');
    assert.match(second.stderr, new RegExp(`continuing conversation \\S+ on openai at ${escape(svc.url)}/openai/v1/chat/completions`));
    assert.match(second.stderr, /with its model gpt-4o-mini/);
    const requests = await svc.requests();
    const paid = requests.filter((x) => x.credential);
    assert.equal(paid.at(-1).path, '/openai/v1/chat/completions', 'openai was paid again');
    assert.equal(h.transfersFrom(await chain.state(), payer.address).length, 2);
    // --service chooses another; the history still goes along.
    const third = await run(['chat', '-c', '-v', '--service', 'grok', '--base-url', svc.url, 'third']);
    assert.equal(third.code, 0, third.stderr);
    assert.match(third.stderr, /was held with openai; the flags choose the service now/);
    assert.equal((await svc.requests()).filter((x) => x.credential).at(-1).path, '/grok/chat');
  });

  test('> /dev/full: exit 1, the payment stands and the journal says the answer was lost', { skip: fs.existsSync('/dev/full') ? false : 'no /dev/full' }, async () => {
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    const args = ['chat', '--url', url(), '--network', 'testnet', '--rpc-url', rpc, '-m', 'm', 'lost words'];
    const r = await runToFile(args, '/dev/full', { home, env: { MPP_PRIVATE_KEY: payer.key } });
    assert.equal(r.code, 1, r.stderr);
    assertOneErrorLine(r, /the paid answer could not be written \(cannot write standard output: No space left on device\): paid 0\.001 pathUSD/, /journal marks its answer lost/);
    const journal = h.readJournal(home);
    assert.deepEqual(journal.map((x) => x.type), ['signed', 'settled', 'lost']);
    assert.equal(journal[2].id, journal[0].id);
    assert.equal(h.transfersFrom(await chain.state(), payer.address).length, 1, 'paid once');
    const hist = await h.runMpp(['wallet', 'history'], { home });
    assert.match(hist.stdout, /settled .*\(answer lost: cannot write standard output: No space left on device\)/);
    // The answer is not gone for good: the conversation log has it.
    const list = await h.runMpp(['chat', '--list'], { home });
    assert.match(list.stdout, /1 turn +lost words/);
  });

  test('wallet export > /dev/full fails loudly: exit 1', { skip: fs.existsSync('/dev/full') ? false : 'no /dev/full' }, async () => {
    const home = h.makeHome();
    const env = { MPP_PASSWORD: 'usage-e2e export password' };
    assert.equal((await h.runMpp(['wallet', 'new', '--light'], { home, env })).code, 0);
    const r = await runToFile(['wallet', 'export'], '/dev/full', { home, env });
    assert.equal(r.code, 1, r.stderr);
    assertOneErrorLine(r, /cannot write standard output: No space left on device/);
    const key = await runToFile(['wallet', 'export', '--yes-print-private-key'], '/dev/full', { home, env });
    assert.equal(key.code, 1, key.stderr);
  });

  test('commands that teach: did you mean, mpp help [CMD], usage errors point at the command\'s --help', async () => {
    const typo = await h.runMpp(['chaat', 'hello']);
    assert.equal(typo.code, 2);
    assertOneErrorLine(typo, /unknown command 'chaat'; did you mean 'chat'\? The commands are: chat, logs, models, quote, templates, wallet, help \(run 'mpp --help' for usage\)/);
    const wallet = await h.runMpp(['wallet', 'frobnicate']);
    assert.equal(wallet.code, 2);
    assertOneErrorLine(wallet, /unknown wallet command 'frobnicate'; the wallet commands are: new, import, .*reconcile, channels \(run 'mpp wallet --help' for usage\)/);
    const histroy = await h.runMpp(['wallet', 'histroy']);
    assertOneErrorLine(histroy, /did you mean 'history'\?/);
    const bare = await h.runMpp([]);
    assertOneErrorLine(bare, /'mpp' needs a command: chat, logs, models, quote, templates, wallet, help/);
    const flag = await h.runMpp(['chat', '--bogus']);
    assert.equal(flag.code, 2);
    assertOneErrorLine(flag, /--bogus.*\(run 'mpp chat --help' for usage\)/);
    const walletFlag = await h.runMpp(['wallet', 'balance', '--bogus']);
    assertOneErrorLine(walletFlag, /\(run 'mpp wallet balance --help' for usage\)/);

    const help = await h.runMpp(['help']);
    assert.equal(help.code, 0, help.stderr);
    assert.equal(help.stdout, (await h.runMpp(['--help'])).stdout);
    const chatHelp = await h.runMpp(['help', 'chat']);
    assert.equal(chatHelp.code, 0);
    assert.equal(chatHelp.stdout, (await h.runMpp(['chat', '--help'])).stdout);
    assert.match(chatHelp.stdout, /--max-fee/);
    const nested = await h.runMpp(['help', 'wallet', 'reconcile']);
    assert.equal(nested.stdout, (await h.runMpp(['wallet', 'reconcile', '--help'])).stdout);
    const unknownHelp = await h.runMpp(['help', 'chaat']);
    assert.equal(unknownHelp.code, 2);
    assertOneErrorLine(unknownHelp, /did you mean 'chat'/);
  });
});
