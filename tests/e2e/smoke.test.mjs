// The binary starts at all: `mpp --version` exits 0 and prints one version line on stdout.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import * as h from './lib.mjs';

after(h.stopAll);

const skip = h.mppBinary() ? false : 'MPP_BIN is not set (ctest sets it to the built mpp binary)';

test('mpp --version prints a version line and exits 0', { skip, timeout: h.SUITE_TIMEOUT_MS }, async () => {
  const r = await h.runMpp(['--version'], { timeoutMs: 10_000 });
  assert.equal(r.timedOut, false);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\S*\s*v?\d+\.\d+\.\d+\S*\s*$/m);
  assert.equal(r.stdout.trim().split('\n').length, 1, r.stdout);
});
