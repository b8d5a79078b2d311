// Signals while money is in flight: Ctrl-C during a streamed, paid completion, and a reader that
// goes away early (`mpp chat ... | head -c 10`). Either way the payment's outcome is journaled.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as h from './lib.mjs';

after(h.stopAll);

const skip = h.mppBinary() ? false : 'MPP_BIN is not set (ctest sets it to the built mpp binary)';

describe('signals during a paid call', { skip, timeout: h.SUITE_TIMEOUT_MS }, () => {
  let chain;
  let svc;
  let fault;

  before(async () => {
    chain = await h.startChain();
    [svc, fault] = await Promise.all([
      h.startPaidService({ rpc: `${chain.url}/server`, amount: '1000', recipient: h.RECIPIENT.address }),
      h.startFaultServer({ amount: '1000', recipient: h.RECIPIENT.address }),
    ]);
  });

  test('Ctrl-C during a streamed completion: what arrived is on stdout, the payment is journaled, exit 130', async () => {
    const payer = await h.newPayer(chain);
    const url = `${fault.url}/fault/stall-sse/sig1/v1/chat/completions`;
    const run = h.spawnMpp(['chat', '--url', url, '--network', 'testnet', '--rpc-url', `${chain.url}/client`, '-m', 'm', 'hello'],
      { env: { MPP_PRIVATE_KEY: payer.key } });
    await h.waitFor(() => run.stdout().includes('partial'), { timeoutMs: 15_000 });
    run.proc.kill('SIGINT');
    const r = await run.done;
    assert.equal(r.code, 130, r.stderr);
    assert.equal(r.stdout, 'echo: partial');
    const journal = h.readJournal(run.home);
    assert.deepEqual(journal.map((x) => x.type), ['signed', 'settled'], JSON.stringify(journal));
    const lines = r.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /^mpp: error: .*interrupted.*settled/);
  });

  test('a reader that closes early (| head -c 10) ends quietly with the payment journaled settled', async () => {
    const payer = await h.newPayer(chain);
    const before = await chain.state();
    const run = h.spawnMpp(['chat', '--url', `${svc.url}/v1/chat/completions`, '--network', 'testnet', '--rpc-url',
      `${chain.url}/client`, '-m', 'm', 'a prompt long enough to be cut by the reader'], { env: { MPP_PRIVATE_KEY: payer.key } });
    // Like `head -c 10`: read ten bytes, then close the pipe.
    let got = '';
    await new Promise((resolve) => {
      run.proc.stdout.on('data', (d) => {
        got += d;
        if (got.length >= 10) {
          run.proc.stdout.destroy();
          resolve();
        }
      });
      run.proc.on('close', resolve);
    });
    const r = await run.done;
    assert.equal(r.signal, null, 'mpp must not die of SIGPIPE');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.ok(got.startsWith('echo: a pr'), got);
    const journal = h.readJournal(run.home);
    assert.deepEqual(journal.map((x) => x.type), ['signed', 'settled']);
    const paid = h.transfersFrom(await chain.state(), payer.address, before);
    assert.equal(paid.length, 1);
    assert.equal(paid[0].txHash, journal[0].tx_hash);
  });
});
