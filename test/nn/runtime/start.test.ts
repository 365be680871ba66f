import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { FAST_BACKENDS, runningBackend, startWasm, wasmBinaryDir } from '../../../lib/nn/runtime/start.ts';

test('runningBackend does not start one; startWasm starts wasm from the package binaries', async () => {
  assert.equal(runningBackend(), null);
  assert.ok(existsSync(join(wasmBinaryDir(), 'tfjs-backend-wasm.wasm')), wasmBinaryDir());
  assert.equal(await startWasm(), null);
  assert.equal(runningBackend(), 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.ok(FAST_BACKENDS.includes('wasm') && !FAST_BACKENDS.includes('cpu'));
  assert.equal(await startWasm(), null); // again: no second setWasmPaths, still wasm
  assert.equal(runningBackend(), 'wasm');
});
