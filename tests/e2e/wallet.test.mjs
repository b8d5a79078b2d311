// Issue acceptance for `mpp wallet`, through the real binary: key round trips (new, import, export,
// use, list, address, remove), keystore interoperability in both directions (published and geth-parameter
// keystores decrypt in mpp; keystores mpp writes decrypt with @noble, an independent implementation),
// refusals (wrong password, readable key file, no wallet, mainnet faucet), the chain-facing commands
// against the stand-in (fund, balance, a paid call from a wallet, history), a SIGKILL right after the
// credential left (history says "unknown"), and the daily budget under two parallel invocations.
// Every command goes through run(), which fails the test if a password or a hex private key shows up on
// stdout or stderr (only `export --yes-print-private-key` may print the key, on stdout).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './lib.mjs';

after(h.stopAll);

const skip = h.mppBinary() ? false : 'MPP_BIN is not set (ctest sets it to the built mpp binary)';
const KEYSTORES = path.join(h.REPO, 'tests/data/keystores');
const lower = (a) => a.toLowerCase();
const BODY = JSON.stringify(h.CHAT_REQUEST);
const TX_HASH = /^0x[0-9a-f]{64}$/;

// Passwords are long and distinctive, so finding one in an output is never a coincidence; one has
// non-ASCII characters (keystores use the UTF-8 bytes, unnormalized).
const PASSWORD = 'wallet-e2e pässwörd 7f3a9c';
const OTHER_PASSWORD = 'wallet-e2e other password 51d0';
const WRONG_PASSWORD = 'wallet-e2e WRONG password c2e4';

// tests/data/keystores/README.md and mpp-generated.expected.
const PBKDF2_VECTOR = {
  file: path.join(KEYSTORES, 'web3-pbkdf2-test-vector.json'),
  password: 'testpassword',
  key: '0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d',
  address: '0x008aeeda4d805471df9b2a5b0f38a0c3bcba786b',
};
const GENERATED = Object.fromEntries(fs.readFileSync(path.join(KEYSTORES, 'mpp-generated.expected'), 'utf8')
  .split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
const GETH_KEYSTORE = path.join(KEYSTORES, 'geth-scrypt-n262144-r8-p1.json');
const LIGHT_KEYSTORE = path.join(KEYSTORES, 'light-scrypt-n4096-r8-p6.json');

// ---- secrets never printed -------------------------------------------------------------------------

const secrets = new Set([PASSWORD, OTHER_PASSWORD, WRONG_PASSWORD, PBKDF2_VECTOR.password, PBKDF2_VECTOR.key,
  GENERATED.password, GENERATED.private_key, h.PAYER.key, h.RECIPIENT.key, h.FEE_PAYER.key, h.UNFUNDED.key]);
const hexKey = (s) => /^(0x)?[0-9a-fA-F]{64}$/.test(s);
/** Where `secret` occurs in `text` (hex keys compared without 0x, case-insensitively), or null. */
function findSecret(text, secret) {
  if (hexKey(secret)) return lower(text).includes(lower(secret).replace(/^0x/, '')) ? secret : null;
  return text.includes(secret) ? secret : null;
}
let commandsChecked = 0;
/** Fails when a known secret appears in `r`'s stdout or stderr; `allowOnStdout` may appear on stdout only. */
function assertNoSecrets(args, r, allowOnStdout = null) {
  commandsChecked += 1;
  for (const s of secrets) {
    const what = hexKey(s) ? `hex key ${s.slice(0, 8)}…` : `password ${JSON.stringify(s)}`;
    assert.equal(findSecret(r.stderr, s), null, `${what} appeared on stderr of \`mpp ${args.join(' ')}\``);
    if (allowOnStdout && lower(allowOnStdout) === lower(s)) continue;
    assert.equal(findSecret(r.stdout, s), null, `${what} appeared on stdout of \`mpp ${args.join(' ')}\``);
  }
}

/** runMpp + the secret check. opts: {home, env, stdin, allowKeyOnStdout}. */
async function run(args, { home, env = {}, stdin, allowKeyOnStdout = null, timeoutMs = 60_000 } = {}) {
  const r = await h.runMpp(args, { home, env, stdin, timeoutMs });
  assertNoSecrets(args, r, allowKeyOnStdout);
  return r;
}

// ---- file checks -----------------------------------------------------------------------------------

const modeOf = (p) => fs.statSync(p).mode & 0o777;
/** Every file under `home` is 0600 and every directory (home included) 0700. Returns the paths seen. */
function assertPrivateTree(home) {
  const seen = [];
  const walk = (dir) => {
    assert.equal(modeOf(dir), 0o700, `directory ${dir} has mode ${modeOf(dir).toString(8)}`);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      seen.push(path.relative(home, p));
      if (entry.isDirectory()) walk(p);
      else assert.equal(modeOf(p), 0o600, `file ${p} has mode ${modeOf(p).toString(8)}`);
    }
  };
  walk(home);
  return seen;
}
const keyFile = (home, name) => path.join(home, 'keys', `${name}.json`);

// ---- an independent keystore implementation (@noble, as viem uses) -------------------------------

const requireServers = createRequire(path.join(h.SERVERS_DIR, 'package.json'));
/** @noble/hashes scrypt + keccak, @noble/ciphers AES-CTR, @noble/curves secp256k1, from tests/servers/node_modules. */
function noble() {
  for (const pkg of ['hashes', 'ciphers', 'curves']) {
    assert.ok(fs.existsSync(path.join(h.SERVERS_DIR, 'node_modules/@noble', pkg, 'package.json')),
      `@noble/${pkg} is missing from tests/servers/node_modules (run npm ci there)`);
  }
  return {
    scrypt: requireServers('@noble/hashes/scrypt').scrypt,
    keccak: requireServers('@noble/hashes/sha3').keccak_256,
    ctr: requireServers('@noble/ciphers/aes').ctr,
    secp256k1: requireServers('@noble/curves/secp256k1').secp256k1,
  };
}
const toHex = (b) => Buffer.from(b).toString('hex');
const fromHex = (s) => Uint8Array.from(Buffer.from(s.replace(/^0x/, ''), 'hex'));

/** Decrypts a V3 scrypt/aes-128-ctr keystore with @noble; checks the MAC. Returns {key, address} (0x, lowercase). */
function nobleDecrypt(json, password) {
  const { scrypt, keccak, ctr, secp256k1 } = noble();
  const c = json.crypto ?? json.Crypto;
  assert.equal(c.kdf, 'scrypt');
  assert.equal(c.cipher, 'aes-128-ctr');
  const { n, r, p, dklen, salt } = c.kdfparams;
  assert.equal(dklen, 32);
  const dk = scrypt(new TextEncoder().encode(password), fromHex(salt), { N: n, r, p, dkLen: dklen, maxmem: 2 ** 30 });
  const ciphertext = fromHex(c.ciphertext);
  const mac = keccak(Uint8Array.from([...dk.slice(16, 32), ...ciphertext]));
  assert.equal(toHex(mac), lower(c.mac), 'keccak256(derivedKey[16..32] || ciphertext) must equal the keystore mac');
  const key = ctr(dk.slice(0, 16), fromHex(c.cipherparams.iv)).decrypt(ciphertext);
  assert.equal(key.length, 32);
  const pub = secp256k1.getPublicKey(key, false).slice(1);
  return { key: `0x${toHex(key)}`, address: `0x${toHex(keccak(pub).slice(12))}` };
}

/** The address of a hex key, computed with @noble (independent of mpp). */
const addressOfKey = (key) => {
  const { keccak, secp256k1 } = noble();
  return `0x${toHex(keccak(secp256k1.getPublicKey(fromHex(key), false).slice(1)).slice(12))}`;
};

// ----------------------------------------------------------------------------------------------------

describe('mpp wallet', { skip, timeout: h.SUITE_TIMEOUT_MS }, () => {
  let chain;
  let rpcUrl;
  let svc; // the reference server, 1000 base units per chat call
  let fault; // the fault server (hang-after-payment)
  const env = { MPP_PASSWORD: PASSWORD };

  before(async () => {
    chain = await h.startChain();
    rpcUrl = `${chain.url}/client`;
    [svc, fault] = await Promise.all([
      h.startPaidService({ rpc: `${chain.url}/server`, amount: '1000', recipient: h.RECIPIENT.address }),
      h.startFaultServer({ amount: '1000', recipient: h.RECIPIENT.address }),
    ]);
  });

  /** A fresh funded random key, registered as a secret. */
  async function payer(amount) {
    const p = await h.newPayer(chain, amount);
    secrets.add(p.key);
    return p;
  }
  /** `mpp wallet import NAME --light` of `key` from stdin, encrypted with MPP_PASSWORD=password. */
  async function importKey(home, name, key, password = PASSWORD) {
    const r = await run(['wallet', 'import', name, '--light'], { home, env: { MPP_PASSWORD: password }, stdin: `${key}\n` });
    assert.equal(r.code, 0, r.stderr);
    return r;
  }
  /** `mpp chat --url <svc> --raw --network testnet --rpc-url <chain>/client` with the wallet (no MPP_PRIVATE_KEY). */
  const chat = (home, { url = `${svc.url}/v1/chat/completions`, args = [], env: extra = env } = {}) =>
    run(['chat', '--url', url, '--raw', '--network', 'testnet', '--rpc-url', rpcUrl, ...args], { home, env: extra, stdin: BODY });
  /** The service's request log entries that arrived during fn(). */
  async function newRequests(service, fn) {
    const n = (await service.requests()).length;
    const result = await fn();
    return [result, (await service.requests()).slice(n)];
  }
  const listJson = async (home) => {
    const r = await run(['wallet', 'list', '--json'], { home });
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  const historyJson = async (home) => {
    const r = await run(['wallet', 'history', '--json'], { home });
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  const balanceJson = async (home, extraEnv = {}) => {
    const r = await run(['wallet', 'balance', '--json', '--network', 'testnet', '--rpc-url', rpcUrl], { home, env: extraEnv });
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  const pathUsd = (balances) => balances.balances.find((b) => b.symbol === 'pathUSD');

  // ---- key round trips --------------------------------------------------------------------------

  test('new, list (text, --names, --json), address, use: the * marker follows the default; files 0600, dirs 0700', async () => {
    const home = h.makeHome();
    const a = await run(['wallet', 'new', 'alpha', '--light'], { home, env });
    assert.equal(a.code, 0, a.stderr);
    const alpha = a.stdout.trim();
    assert.match(alpha, /^0x[0-9a-fA-F]{40}$/);
    assert.equal(a.stdout, `${alpha}\n`, 'stdout is the address alone');
    const b = await run(['wallet', 'new', 'beta', '--light'], { home, env: { MPP_PASSWORD: OTHER_PASSWORD } });
    assert.equal(b.code, 0, b.stderr);
    const beta = b.stdout.trim();
    assert.notEqual(lower(alpha), lower(beta));

    for (const [name, address] of [['alpha', alpha], ['beta', beta]]) {
      const r = await run(['wallet', 'address', name], { home });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${address}\n`);
    }
    // The first wallet is the default.
    const addr = await run(['wallet', 'address'], { home });
    assert.equal(addr.stdout, `${alpha}\n`);

    const names = await run(['wallet', 'list', '--names'], { home });
    assert.equal(names.code, 0, names.stderr);
    assert.equal(names.stdout, 'alpha\nbeta\n', 'one name per line, nothing else');
    assert.deepEqual(await listJson(home), [
      { name: 'alpha', address: alpha, default: true, encrypted: true },
      { name: 'beta', address: beta, default: false, encrypted: true },
    ]);
    const marked = (stdout) => stdout.split('\n').filter((l) => l.startsWith('*'));
    const list1 = await run(['wallet', 'list'], { home });
    assert.equal(list1.code, 0, list1.stderr);
    assert.deepEqual(marked(list1.stdout).length, 1, list1.stdout);
    assert.match(marked(list1.stdout)[0], new RegExp(`^\\*\\s+alpha\\s+${alpha}`));
    assert.match(list1.stdout, new RegExp(`^\\s+beta\\s+${beta}$`, 'm'));

    const use = await run(['wallet', 'use', 'beta'], { home });
    assert.equal(use.code, 0, use.stderr);
    const list2 = await run(['wallet', 'list'], { home });
    assert.deepEqual(marked(list2.stdout).length, 1, list2.stdout);
    assert.match(marked(list2.stdout)[0], new RegExp(`^\\*\\s+beta\\s+${beta}`));
    assert.match(list2.stdout, new RegExp(`^\\s+alpha\\s+${alpha}$`, 'm'));
    assert.deepEqual((await listJson(home)).map((w) => [w.name, w.default]), [['alpha', false], ['beta', true]]);
    assert.equal((await run(['wallet', 'address'], { home })).stdout, `${beta}\n`);

    // Using a wallet that does not exist fails and leaves the default alone.
    const bad = await run(['wallet', 'use', 'nosuch'], { home });
    assert.notEqual(bad.code, 0);
    assert.equal((await run(['wallet', 'address'], { home })).stdout, `${beta}\n`);

    const seen = assertPrivateTree(home);
    assert.ok(seen.includes('keys/alpha.json') && seen.includes('keys/beta.json'), seen.join(' '));
  });

  test('import a hex key from stdin; export prints the keystore JSON (never the key); --yes-print-private-key prints exactly the key', async () => {
    const home = h.makeHome();
    const p = await payer(0);
    const imp = await importKey(home, 'imported', p.key);
    assert.equal(imp.stdout, `${p.address}\n`);
    assert.equal((await run(['wallet', 'address', 'imported'], { home })).stdout, `${p.address}\n`);

    const exp = await run(['wallet', 'export', 'imported'], { home, env });
    assert.equal(exp.code, 0, exp.stderr);
    const keystore = JSON.parse(exp.stdout);
    assert.equal(keystore.version, 3);
    assert.equal(lower(`0x${keystore.address.replace(/^0x/, '')}`), lower(p.address));
    assert.deepEqual(keystore, JSON.parse(fs.readFileSync(keyFile(home, 'imported'), 'utf8')), 'export prints the stored keystore');
    assert.deepEqual([keystore.crypto.kdf, keystore.crypto.kdfparams.n, keystore.crypto.kdfparams.r, keystore.crypto.kdfparams.p], ['scrypt', 4096, 8, 6]);

    const key = await run(['wallet', 'export', 'imported', '--yes-print-private-key'], { home, env, allowKeyOnStdout: p.key });
    assert.equal(key.code, 0, key.stderr);
    assert.equal(key.stdout, `${lower(p.key)}\n`);

    // Importing under a taken name is refused and the original is untouched.
    const before = fs.readFileSync(keyFile(home, 'imported'), 'utf8');
    const again = await run(['wallet', 'import', 'imported', '--light'], { home, env, stdin: `${h.UNFUNDED.key}\n` });
    assert.equal(again.code, 6, again.stderr);
    assert.equal(fs.readFileSync(keyFile(home, 'imported'), 'utf8'), before);
    assertPrivateTree(home);
  });

  test('remove: refused without --yes and without a terminal (exit 2); with --yes the key file is moved to removed/, not deleted', async () => {
    const home = h.makeHome();
    const p = await payer(0);
    await importKey(home, 'gone', p.key);
    await importKey(home, 'kept', h.UNFUNDED.key);
    const content = fs.readFileSync(keyFile(home, 'gone'));

    const refused = await run(['wallet', 'remove', 'gone'], { home, stdin: 'y\n' });
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /--yes/);
    assert.ok(fs.existsSync(keyFile(home, 'gone')), 'the key file is still in place');

    const removed = await run(['wallet', 'remove', 'gone', '--yes'], { home });
    assert.equal(removed.code, 0, removed.stderr);
    assert.ok(!fs.existsSync(keyFile(home, 'gone')));
    const aside = fs.readdirSync(path.join(home, 'removed'));
    assert.equal(aside.length, 1, aside.join(' '));
    assert.match(aside[0], /^gone-.*\.json$/);
    assert.deepEqual(fs.readFileSync(path.join(home, 'removed', aside[0])), content, 'the moved file is the key file, byte for byte');
    assert.ok(removed.stderr.includes(path.join(home, 'removed', aside[0])), `stderr names where it went: ${removed.stderr}`);
    // The moved keystore still decrypts to the key (it was never damaged).
    assert.equal(nobleDecrypt(JSON.parse(content), PASSWORD).key, lower(p.key));

    assert.equal((await run(['wallet', 'list', '--names'], { home })).stdout, 'kept\n');
    const gone = await run(['wallet', 'address', 'gone'], { home });
    assert.equal(gone.code, 6, gone.stderr);
    assert.ok(fs.existsSync(keyFile(home, 'kept')));
    const seen = assertPrivateTree(home);
    assert.ok(seen.includes('removed'), seen.join(' '));
  });

  test('the published Web3 PBKDF2 test vector imports with its password and gives its address and key', async () => {
    const home = h.makeHome();
    const imp = await run(['wallet', 'import', 'vector', '--keystore', PBKDF2_VECTOR.file], { home, env: { MPP_PASSWORD: PBKDF2_VECTOR.password } });
    assert.equal(imp.code, 0, imp.stderr);
    assert.equal(lower(imp.stdout), `${PBKDF2_VECTOR.address}\n`);
    const addr = await run(['wallet', 'address', 'vector'], { home });
    assert.equal(addr.code, 0, addr.stderr);
    assert.equal(lower(addr.stdout), `${PBKDF2_VECTOR.address}\n`);
    const key = await run(['wallet', 'export', 'vector', '--yes-print-private-key'], { home, env: { MPP_PASSWORD: PBKDF2_VECTOR.password }, allowKeyOnStdout: PBKDF2_VECTOR.key });
    assert.equal(key.code, 0, key.stderr);
    assert.equal(key.stdout, `${PBKDF2_VECTOR.key}\n`);
    assertPrivateTree(home);
  });

  test('a keystore with geth\'s standard scrypt parameters (n=262144, r=8, p=1) made by @noble imports and gives the expected address and key', async () => {
    const home = h.makeHome();
    const pw = { MPP_PASSWORD: GENERATED.password };
    const imp = await run(['wallet', 'import', 'geth', '--keystore', GETH_KEYSTORE], { home, env: pw });
    assert.equal(imp.code, 0, imp.stderr);
    assert.equal(lower(imp.stdout), `0x${GENERATED.address}\n`);
    const addr = await run(['wallet', 'address', 'geth'], { home });
    assert.equal(lower(addr.stdout), `0x${GENERATED.address}\n`);
    const key = await run(['wallet', 'export', 'geth', '--yes-print-private-key'], { home, env: pw, allowKeyOnStdout: GENERATED.private_key });
    assert.equal(key.code, 0, key.stderr);
    assert.equal(key.stdout, `0x${GENERATED.private_key}\n`);
    // The light-parameter fixture too (same key).
    const light = await run(['wallet', 'import', 'light', '--keystore', LIGHT_KEYSTORE], { home, env: pw });
    assert.equal(light.code, 0, light.stderr);
    assert.equal(lower(light.stdout), `0x${GENERATED.address}\n`);
  });

  test('a wrong password exits 6: keystore import stores nothing; export and a paying command unlock nothing and send nothing', async () => {
    const home = h.makeHome();
    const imp = await run(['wallet', 'import', 'light', '--keystore', LIGHT_KEYSTORE], { home, env: { MPP_PASSWORD: WRONG_PASSWORD } });
    assert.equal(imp.code, 6, imp.stderr);
    assert.match(imp.stderr, /wrong password/i);
    assert.equal(imp.stdout, '');
    assert.ok(!fs.existsSync(keyFile(home, 'light')), 'nothing was stored');
    assert.equal((await run(['wallet', 'list', '--names'], { home })).stdout, '');

    const p = await payer('5000000');
    await importKey(home, 'main', p.key);
    const exp = await run(['wallet', 'export', 'main', '--yes-print-private-key'], { home, env: { MPP_PASSWORD: WRONG_PASSWORD } });
    assert.equal(exp.code, 6, exp.stderr);
    assert.match(exp.stderr, /wrong password for wallet 'main'/);
    assert.equal(exp.stdout, '');

    const beforeState = await chain.state();
    const [r, requests] = await newRequests(svc, () => chat(home, { env: { MPP_PASSWORD: WRONG_PASSWORD } }));
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /wrong password/i);
    assert.equal(r.stdout, '');
    assert.deepEqual(requests.map((x) => x.credential), [null], 'no credential was sent');
    assert.deepEqual(h.transfersFrom(await chain.state(), p.address, beforeState), []);
    assert.deepEqual(h.readJournal(home), []);
  });

  test('keystores mpp writes decrypt with @noble (scrypt, keccak MAC, AES-128-CTR) to the key of `mpp wallet address`', async () => {
    const home = h.makeHome();
    // A generated key: the only way to learn it is to decrypt.
    const made = await run(['wallet', 'new', 'made', '--light'], { home, env });
    assert.equal(made.code, 0, made.stderr);
    const madeJson = JSON.parse(fs.readFileSync(keyFile(home, 'made'), 'utf8'));
    assert.equal(madeJson.version, 3);
    assert.deepEqual(madeJson.crypto.kdfparams && [madeJson.crypto.kdfparams.n, madeJson.crypto.kdfparams.r, madeJson.crypto.kdfparams.p], [4096, 8, 6]);
    const decrypted = nobleDecrypt(madeJson, PASSWORD);
    secrets.add(decrypted.key);
    const addr = await run(['wallet', 'address', 'made'], { home });
    assert.equal(addr.code, 0, addr.stderr);
    assert.equal(lower(addr.stdout), `${decrypted.address}\n`);
    assert.equal(lower(made.stdout), `${decrypted.address}\n`);
    assert.equal(madeJson.address.replace(/^0x/, ''), decrypted.address.slice(2), 'the keystore address field is the key\'s (lowercase, as geth writes it)');
    // The wrong password fails the MAC in @noble too (so the MAC really covers the password).
    assert.throws(() => nobleDecrypt(madeJson, WRONG_PASSWORD), /mac/);

    // An imported key round-trips to exactly that key.
    const p = await payer(0);
    await importKey(home, 'imp', p.key, OTHER_PASSWORD);
    const impJson = JSON.parse(fs.readFileSync(keyFile(home, 'imp'), 'utf8'));
    const back = nobleDecrypt(impJson, OTHER_PASSWORD);
    assert.equal(back.key, lower(p.key));
    assert.equal(back.address, lower(p.address));
    assert.equal(back.address, addressOfKey(p.key));
    assert.equal(lower((await run(['wallet', 'address', 'imp'], { home })).stdout), `${back.address}\n`);
    // Fresh salt and IV per keystore.
    assert.notEqual(madeJson.crypto.kdfparams.salt, impJson.crypto.kdfparams.salt);
    assert.notEqual(madeJson.crypto.cipherparams.iv, impJson.crypto.cipherparams.iv);
  });

  test('a 0644 key file is refused (exit 6, with the chmod fix) by export --yes-print-private-key and by a paying command', async () => {
    const home = h.makeHome();
    const p = await payer('5000000');
    await importKey(home, 'open', p.key);
    const file = keyFile(home, 'open');
    fs.chmodSync(file, 0o644);

    const exp = await run(['wallet', 'export', 'open', '--yes-print-private-key'], { home, env });
    assert.equal(exp.code, 6, exp.stderr);
    assert.equal(exp.stdout, '');
    assert.ok(exp.stderr.includes(`chmod 600 '${file}'`), exp.stderr);

    const beforeState = await chain.state();
    const [r, requests] = await newRequests(svc, () => chat(home));
    assert.equal(r.code, 6, r.stderr);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.includes(`chmod 600 '${file}'`), r.stderr);
    assert.deepEqual(requests.map((x) => x.credential), [null], 'no credential was sent');
    assert.deepEqual(h.transfersFrom(await chain.state(), p.address, beforeState), []);
    assert.deepEqual(h.readJournal(home), []);

    // The fix the message gives works.
    fs.chmodSync(file, 0o600);
    const ok = await run(['wallet', 'export', 'open', '--yes-print-private-key'], { home, env, allowKeyOnStdout: p.key });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, `${lower(p.key)}\n`);
  });

  test('--insecure-no-password stores the key in plaintext (0600) and warns on stderr', async () => {
    const home = h.makeHome();
    const r = await run(['wallet', 'new', 'plain', '--insecure-no-password'], { home });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning.*UNENCRYPTED/);
    const address = r.stdout.trim();
    const file = keyFile(home, 'plain');
    assert.equal(modeOf(file), 0o600);
    const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(stored.mpp_insecure_plaintext_key, 1);
    assert.match(stored.private_key, /^[0-9a-f]{64}$/);
    secrets.add(stored.private_key);
    // Re-check the run above now that the key is known: it must not have printed it.
    assertNoSecrets(['wallet', 'new', 'plain', '--insecure-no-password'], r);
    assert.equal(addressOfKey(stored.private_key), lower(address));
    assert.deepEqual(await listJson(home), [{ name: 'plain', address, default: true, encrypted: false }]);
    const list = await run(['wallet', 'list'], { home });
    assert.match(list.stdout, /UNENCRYPTED/);
    // No password is needed to use it, and there is no keystore to export.
    const key = await run(['wallet', 'export', 'plain', '--yes-print-private-key'], { home, allowKeyOnStdout: stored.private_key });
    assert.equal(key.code, 0, key.stderr);
    assert.equal(key.stdout, `0x${stored.private_key}\n`);
    const ks = await run(['wallet', 'export', 'plain'], { home });
    assert.equal(ks.code, 6, ks.stderr);
    assert.equal(ks.stdout, '');
    assertPrivateTree(home);
  });

  test('MPP_PRIVATE_KEY takes precedence over the default wallet for `wallet address`', async () => {
    const home = h.makeHome();
    await importKey(home, 'mine', h.UNFUNDED.key);
    assert.equal((await run(['wallet', 'address'], { home })).stdout, `${h.UNFUNDED.address}\n`);
    const r = await run(['wallet', 'address'], { home, env: { MPP_PRIVATE_KEY: h.RECIPIENT.key } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${h.RECIPIENT.address}\n`);
    // A name given explicitly still means that wallet.
    const named = await run(['wallet', 'address', 'mine'], { home, env: { MPP_PRIVATE_KEY: h.RECIPIENT.key } });
    assert.equal(named.stdout, `${h.UNFUNDED.address}\n`);
  });

  test('malformed keys (stdin, MPP_PRIVATE_KEY) exit 6 without echoing them; --password-file supplies the password', async () => {
    const home = h.makeHome();
    const p = await payer(0);
    for (const bad of [`${p.key}zz`, `${p.key}ff`, p.key.slice(0, 65)]) {
      const imp = await run(['wallet', 'import', 'bad', '--light'], { home, env, stdin: `${bad}\n` });
      assert.equal(imp.code, 6, imp.stderr);
      assert.match(imp.stderr, /not a private key/);
      const addr = await run(['wallet', 'address'], { home, env: { MPP_PRIVATE_KEY: bad } });
      assert.equal(addr.code, 6, addr.stderr);
      assert.match(addr.stderr, /MPP_PRIVATE_KEY/);
      assert.equal(addr.stdout, '');
    }
    assert.ok(!fs.existsSync(keyFile(home, 'bad')));

    // The password's first line only, never echoed; the file may be readable by others (0644).
    const pwFile = path.join(home, 'password.txt');
    fs.writeFileSync(pwFile, `${OTHER_PASSWORD}\nsecond line is not the password\n`, { mode: 0o644 });
    const imp = await run(['wallet', 'import', 'fromfile', '--light', '--password-file', pwFile], { home, stdin: `${p.key}\n` });
    assert.equal(imp.code, 0, imp.stderr);
    assert.equal(nobleDecrypt(JSON.parse(fs.readFileSync(keyFile(home, 'fromfile'), 'utf8')), OTHER_PASSWORD).key, lower(p.key));
    const key = await run(['wallet', 'export', 'fromfile', '--yes-print-private-key', '--password-file', pwFile], { home, allowKeyOnStdout: p.key });
    assert.equal(key.code, 0, key.stderr);
    assert.equal(key.stdout, `${lower(p.key)}\n`);
    // No password source and no terminal: refused (exit 6), saying how to give one.
    const none = await run(['wallet', 'export', 'fromfile', '--yes-print-private-key'], { home });
    assert.equal(none.code, 6, none.stderr);
    assert.match(none.stderr, /MPP_PASSWORD/);
    assert.equal(none.stdout, '');
    const noPw = await run(['wallet', 'new', 'nopw', '--light'], { home });
    assert.equal(noPw.code, 6, noPw.stderr);
    assert.match(noPw.stderr, /--insecure-no-password/);
    assert.ok(!fs.existsSync(keyFile(home, 'nopw')));
  });

  test('a paying command with no wallet at all exits 6 and says `mpp wallet new`', async () => {
    const home = h.makeHome();
    const [r, requests] = await newRequests(svc, () => chat(home, { env: {} }));
    assert.equal(r.code, 6, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /mpp wallet new/);
    assert.deepEqual(requests.map((x) => x.credential), [null], 'no credential was sent');
    assert.deepEqual(h.readJournal(home), []);
  });

  test('fund on mainnet is refused with exit 2 and asks nothing of the chain', async () => {
    const home = h.makeHome();
    await importKey(home, 'w', h.UNFUNDED.key);
    const before = await chain.state();
    const r = await run(['wallet', 'fund', '--network', 'mainnet', '--rpc-url', `${chain.url}/mainnet`], { home });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /testnet/);
    assert.equal(r.stdout, '');
    const after = await chain.state();
    assert.deepEqual(after.rpcCalls.slice(before.rpcCalls.length).filter((c) => c.path === '/mainnet'), []);
    assert.deepEqual(after.transfers.slice(before.transfers.length), []);
  });

  // ---- against the chain stand-in -----------------------------------------------------------------

  test('fund raises the balance on the stand-in; balance reports it (text and --json)', async () => {
    const home = h.makeHome();
    const made = await run(['wallet', 'new', '--light'], { home, env });
    assert.equal(made.code, 0, made.stderr);
    const address = made.stdout.trim();
    assert.equal(await chain.balance(address), 0n);

    const before = await chain.state();
    const fund = await run(['wallet', 'fund', '--network', 'testnet', '--rpc-url', rpcUrl], { home });
    assert.equal(fund.code, 0, fund.stderr);
    const after = await chain.state();
    assert.equal(await chain.balance(address), 100_000_000n);
    const calls = after.rpcCalls.slice(before.rpcCalls.length);
    assert.deepEqual(calls.filter((c) => c.method === 'tempo_fundAddress').map((c) => c.path), ['/client']);
    assert.ok(after.transfers.slice(before.transfers.length).every((t) => t.to === lower(address) && t.kind === 'faucet'));
    assert.match(fund.stdout, /^pathUSD\s+100$/m);

    const text = await run(['wallet', 'balance', '--network', 'testnet', '--rpc-url', rpcUrl], { home });
    assert.equal(text.code, 0, text.stderr);
    for (const symbol of ['pathUSD', 'AlphaUSD', 'BetaUSD', 'ThetaUSD']) assert.match(text.stdout, new RegExp(`^${symbol}\\s+100$`, 'm'));
    const json = await balanceJson(home);
    assert.equal(json.address, address);
    assert.equal(json.network, 'testnet');
    assert.deepEqual(pathUsd(json), {
      token: '0x20C0000000000000000000000000000000000000', symbol: 'pathUSD', balance: '100', base_units: '100000000',
      channels: 0, locked_in_channels_base_units: '0', signed_to_payees_base_units: '0', // no payment channel yet
    });
  });

  test('a paid call from the wallet moves its balance by the amount plus the recorded fee; history shows it settled with the tx hash', async () => {
    const home = h.makeHome();
    const made = await run(['wallet', 'new', 'payer', '--light'], { home, env });
    assert.equal(made.code, 0, made.stderr);
    const address = made.stdout.trim();
    const fund = await run(['wallet', 'fund', '--network', 'testnet', '--rpc-url', rpcUrl], { home });
    assert.equal(fund.code, 0, fund.stderr);

    const balanceBefore = BigInt(pathUsd(await balanceJson(home)).base_units);
    const stateBefore = await chain.state();
    const [r, requests] = await newRequests(svc, () => chat(home));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).choices[0].message.content, 'echo: hello paid world');
    const stateAfter = await chain.state();
    const paid = requests.filter((x) => x.credential);
    assert.equal(paid.length, 1);
    assert.equal(paid[0].credential.source, `did:pkh:eip155:42431:${address}`);

    const transfers = h.transfersFrom(stateAfter, address, stateBefore);
    assert.equal(transfers.length, 1, JSON.stringify(transfers));
    const [t] = transfers;
    assert.deepEqual([t.to, t.amount], [lower(h.RECIPIENT.address), '1000']);
    const fees = stateAfter.fees.slice(stateBefore.fees.length).filter((f) => f.txHash === t.txHash);
    assert.equal(fees.length, 1, JSON.stringify(fees));
    assert.equal(fees[0].payer, lower(address));
    const fee = BigInt(fees[0].amount);
    assert.ok(fee > 0n);
    const balanceAfter = BigInt(pathUsd(await balanceJson(home)).base_units);
    assert.equal(balanceBefore - balanceAfter, 1000n + fee, `balance moved by ${balanceBefore - balanceAfter}, expected 1000 + fee ${fee}`);

    const journal = h.readJournal(home);
    h.assertJournalMatchesChain(journal, transfers);
    assert.deepEqual(journal.map((x) => x.type), ['signed', 'settled']);

    const text = await run(['wallet', 'history'], { home });
    assert.equal(text.code, 0, text.stderr);
    const line = text.stdout.split('\n').find((l) => l.includes(t.txHash));
    assert.ok(line, `history names the tx ${t.txHash}:\n${text.stdout}`);
    assert.match(line, /\bsettled\b/);
    assert.match(line, /0\.001 pathUSD/);
    const hist = await historyJson(home);
    assert.equal(hist.payments.length, 1);
    const [pay] = hist.payments;
    assert.deepEqual([pay.outcome, pay.tx_hash, pay.amount, pay.chain_id, lower(pay.currency), pay.recipient],
      ['settled', t.txHash, '1000', 42431, h.TOKENS.pathUSD, h.RECIPIENT.address]);
    assert.equal(pay.detail, t.txHash, 'the settled detail is the receipt reference');
    assert.deepEqual(hist.totals.per_token.map((x) => [x.settled, x.unsettled, x.count]), [['1000', '0', 1]]);
    assertPrivateTree(home);
  });

  test('SIGKILL right after the credential is sent: history shows the payment as unknown, with its tx hash', async () => {
    const home = h.makeHome();
    const p = await payer('5000000');
    await importKey(home, 'main', p.key);
    const tag = `kill${Date.now()}`;
    const url = `${fault.url}/fault/hang-after-payment/${tag}/v1/chat/completions`;
    const args = ['chat', '--url', url, '--raw', '--network', 'testnet', '--rpc-url', rpcUrl];
    const child = h.spawnMpp(args, { home, env, stdin: BODY });
    let result;
    try {
      const signed = await h.waitFor(() => h.readJournal(home).find((x) => x.type === 'signed'), { what: 'a signed journal record' });
      assert.equal(signed.pid, child.proc.pid);
      await h.waitFor(async () => (await fault.requests()).some((x) => x.path.includes(`/${tag}/`) && x.credential), { what: 'the credential at the fault server' });
      assert.equal(child.proc.exitCode, null, 'mpp is still waiting for the answer');
      child.proc.kill('SIGKILL');
    } finally {
      if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
      result = await child.done;
    }
    assert.equal(result.signal, 'SIGKILL');
    assertNoSecrets(args, result);

    const journal = h.readJournal(home);
    assert.deepEqual(journal.map((x) => x.type), ['signed'], 'the killed process wrote no outcome');
    const [signed] = journal;
    assert.match(signed.tx_hash, TX_HASH);
    const credentials = (await fault.requests()).filter((x) => x.path.includes(`/${tag}/`) && x.credential);
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0].credential.challengeId, signed.challenge_id);

    const hist = await historyJson(home);
    assert.equal(hist.payments.length, 1, JSON.stringify(hist));
    const [pay] = hist.payments;
    assert.equal(pay.outcome, 'unknown', `a payment whose process died after sending is unknown (got ${pay.outcome}): ${JSON.stringify(pay)}`);
    assert.equal(pay.tx_hash, signed.tx_hash);
    assert.equal(pay.amount, '1000');
    assert.deepEqual(hist.totals.per_token.map((x) => [x.settled, x.unsettled]), [['0', '1000']]);
    const text = await run(['wallet', 'history'], { home });
    assert.equal(text.code, 0, text.stderr);
    const line = text.stdout.split('\n').find((l) => l.includes(signed.tx_hash));
    assert.ok(line, `history text names the tx ${signed.tx_hash}:\n${text.stdout}`);
    assert.match(line, /\bunknown\b/);
  });

  // One call counts 0.001 plus up to 0.0021 in fees, so 0.0031 fits exactly one (0.001 before fees counted).
  test('two parallel paid calls against a daily limit that fits one: exactly one pays (3 rounds)', async () => {
    for (let round = 1; round <= 3; round += 1) {
      const home = h.makeHome();
      const p = await payer('5000000');
      await importKey(home, 'main', p.key);
      const stateBefore = await chain.state();
      const [results, requests] = await newRequests(svc, () => Promise.all([1, 2].map(() => chat(home, { args: ['--daily-limit', '0.0031'] }))));
      const label = `round ${round}: ${JSON.stringify(results.map((r) => [r.code, r.stderr]))}`;
      assert.deepEqual(results.map((r) => r.code).sort(), [0, 5], label);
      const refused = results.find((r) => r.code === 5);
      assert.match(refused.stderr, /left today/, label);
      assert.equal(refused.stdout, '');
      const paid = results.find((r) => r.code === 0);
      assert.equal(JSON.parse(paid.stdout).choices[0].message.content, 'echo: hello paid world');

      const transfers = h.transfersFrom(await chain.state(), p.address, stateBefore);
      assert.equal(transfers.length, 1, `${label}\n${JSON.stringify(transfers)}`);
      assert.equal(transfers[0].amount, '1000');
      const journal = h.readJournal(home);
      assert.equal(journal.filter((x) => x.type === 'signed').length, 1, `${label}\n${JSON.stringify(journal)}`);
      assert.deepEqual(journal.map((x) => x.type), ['signed', 'settled']);
      h.assertJournalMatchesChain(journal, transfers);
      assert.equal(requests.filter((x) => x.credential).length, 1, `${label}: exactly one credential reached the server`);
    }
  });

  test('no password or hex private key appeared on any stdout/stderr (except export --yes-print-private-key\'s stdout)', () => {
    // run() checked every command as it finished; this only makes sure that check ran broadly.
    assert.ok(commandsChecked >= 60, `only ${commandsChecked} commands were checked`);
  });
});
