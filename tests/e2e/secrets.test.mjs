// Nothing secret in any output: every command, with -v, against the local stack. The private key,
// the payment credential and the signed transaction must not appear on stdout or stderr, nor in
// any file mpp writes under MPP_HOME except the key store (encrypted) and the --dump-credential file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './lib.mjs';

after(h.stopAll);

const skip = h.mppBinary() ? false : 'MPP_BIN is not set (ctest sets it to the built mpp binary)';

// Every file under `dir`, except those `keep` says are allowed to hold secrets.
function filesUnder(dir, keep) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full, keep));
    else if (!keep(full)) out.push(full);
  }
  return out;
}

describe('secrets never reach output or logs', { skip, timeout: h.SUITE_TIMEOUT_MS }, () => {
  let chain;
  let svc;

  before(async () => {
    chain = await h.startChain();
    svc = await h.startPaidService({ rpc: `${chain.url}/server`, amount: '1000', recipient: h.RECIPIENT.address });
  });

  test('every command with -v: no key, credential or signed transaction in stdout, stderr or MPP_HOME files', async () => {
    const payer = await h.newPayer(chain);
    const home = h.makeHome();
    const dump = path.join(home, 'credential.txt');
    const rpc = ['--network', 'testnet', '--rpc-url', `${chain.url}/client`];
    const base = ['--service', 'groq', '--base-url', svc.url];
    const env = { MPP_PASSWORD: 'correct horse battery staple' };
    const keyHex = payer.key.slice(2);
    const outputs = [];
    const run = async (args, opts = {}) => {
      const r = await h.runMpp(args, { home, env: { ...env, ...(opts.env ?? {}) }, stdin: opts.stdin });
      outputs.push({ args, r });
      return r;
    };

    // A wallet holding the payer's key, then every paying and reading command, all with -v.
    assert.equal((await run(['wallet', 'import', 'main', '--light', '-v'], { stdin: payer.key })).code, 0);
    await run(['wallet', 'list', '-v']);
    await run(['wallet', 'address', '-v']);
    await run(['wallet', 'balance', '-v', ...rpc]);
    await run(['wallet', 'export', '-v']);
    assert.equal((await run(['quote', '-v', ...base, ...rpc, 'hello'])).code, 0);
    const paid = await run(['chat', '-v', ...base, ...rpc, '--dump-credential', dump, 'hello']);
    assert.equal(paid.code, 0, paid.stderr);
    await run(['chat', '-vv', ...base, ...rpc, '--raw', '--no-stream', 'hello again']);
    await run(['chat', '-v', '-c', ...base, ...rpc, 'and once more']);
    await run(['models', '-v', ...base, ...rpc]);
    await run(['chat', '-v', '--batch', '-', ...base, ...rpc], { stdin: '"one"\n"two"\n' });
    await run(['wallet', 'history', '-v']);
    // The same with the key in the environment instead of a wallet.
    await run(['chat', '-v', ...base, ...rpc, 'from the env'], { env: { MPP_PRIVATE_KEY: payer.key } });

    // What the secrets look like: the key, the credential (as sent, and its base64url payload), and
    // the signed transaction inside it.
    const credential = fs.readFileSync(dump, 'utf8').trim();
    assert.match(credential, /^Payment [A-Za-z0-9_-]+$/);
    const payload = credential.slice('Payment '.length);
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const signedTx = decoded.payload.signature;
    assert.match(signedTx, /^0x76[0-9a-f]+$/);
    const secrets = {
      'private key': [keyHex, keyHex.toUpperCase()],
      credential: [payload, payload.slice(0, 64)],
      'signed transaction': [signedTx.slice(2), signedTx.slice(2, 130)],
      password: [env.MPP_PASSWORD],
    };

    const check = (where, text) => {
      for (const [what, forms] of Object.entries(secrets)) {
        for (const form of forms) assert.ok(!text.includes(form), `${what} found in ${where}`);
      }
    };
    for (const { args, r } of outputs) {
      assert.equal(r.code, 0, `mpp ${args.join(' ')} failed: ${r.stderr}`);
      check(`stdout of mpp ${args.join(' ')}`, r.stdout);
      check(`stderr of mpp ${args.join(' ')}`, r.stderr);
    }
    // Files mpp wrote: the journal, conversations, config. Key files are encrypted keystores; the
    // dump file is the one place the user asked for the credential.
    const files = filesUnder(home, (f) => f === dump || f.includes(`${path.sep}keys${path.sep}`));
    assert.ok(files.some((f) => f.endsWith('payments.jsonl')), files.join(', '));
    for (const f of files) check(f, fs.readFileSync(f, 'latin1'));
    // The keystore holds no plain key either.
    for (const f of filesUnder(path.join(home, 'keys'), () => false)) {
      const text = fs.readFileSync(f, 'utf8');
      assert.ok(!text.includes(keyHex), `plain key in ${f}`);
    }
    // The dump file is private.
    assert.equal(fs.statSync(dump).mode & 0o777, 0o600);
  });
});
