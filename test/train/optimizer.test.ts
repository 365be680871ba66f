// AdamW (lib/train/optimizer.ts): on wasm, the fused update kernel (lib/nn/runtime/kernels/adamw-update.ts)
// gives the same bits as the op-by-op formula, with and without clipping and weight decay; and the
// op-by-op formula against the update written out in float64 from its definition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/nn/runtime/backend.ts';
import { ADAMW_UPDATE } from '../../lib/nn/ops/adamw-update.ts';
import { AdamW, type AdamConfig } from '../../lib/train/optimizer.ts';
import { randomArray } from './helpers.ts';

const SHAPES = [[3, 3, 4, 5], [5], [1, 1, 7, 3], [2]]; // sizes a multiple of 4 and not (the SIMD kernel and the JavaScript tail)

/** Five updates of three parameters (a kernel, a bias, a kernel) from fixed gradients; the final weights and moments. */
async function run(cfg: AdamConfig, gradScale: number): Promise<Float32Array[]> {
  const params = SHAPES.map((s, i) => ({ name: i === 1 ? 'p.bias' : `p${i}.kernel`, variable: tf.variable(tf.tensor(randomArray(s.reduce((a, b) => a * b), `w${i}`), s)) }));
  const opt = new AdamW(params, cfg);
  for (let t = 0; t < 5; t++) {
    const grads = SHAPES.map((s, i) => tf.tensor(randomArray(s.reduce((a, b) => a * b), `g${t}/${i}`, gradScale), s));
    await opt.apply(grads, 1e-3 * (t + 1));
    tf.dispose(grads);
  }
  const st = await opt.state();
  const out = [...(await Promise.all(params.map(async (p) => new Float32Array(await p.variable.data())))), ...st.m, ...st.v];
  opt.dispose();
  for (const p of params) p.variable.dispose();
  return out;
}

const CFG: AdamConfig = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1e-2, clipNorm: 3 };

test('AdamW on wasm: the fused update kernel gives the op-by-op bits (clipped or not, decayed or not)', async () => {
  await initBackend({ backend: 'wasm', log: false });
  const kernel = tf.getKernel(ADAMW_UPDATE, 'wasm');
  assert.ok(kernel, 'the wasm backend registers the fused AdamW update');
  for (const [cfg, scale] of [[CFG, 1], [CFG, 0.01], [{ ...CFG, weightDecay: 0 }, 1]] as const) {
    const fused = await run(cfg, scale);
    tf.unregisterKernel(ADAMW_UPDATE, 'wasm');
    try {
      const ops = await run(cfg, scale);
      fused.forEach((a, i) => assert.deepEqual(Buffer.from(a.buffer), Buffer.from(ops[i].buffer), `array ${i}, gradients x${scale}, weight decay ${cfg.weightDecay}`));
    } finally {
      tf.registerKernel(kernel!);
    }
  }
});

test('AdamW follows its definition: clipping, bias correction, decoupled decay of kernels only', async () => {
  await initBackend({ backend: 'wasm', log: false });
  const w = [0.5, -1, 2];
  const g = [3, -4, 0]; // norm 5, clipped to 1
  const params = [{ name: 'a.kernel', variable: tf.variable(tf.tensor1d(w)) }, { name: 'a.bias', variable: tf.variable(tf.tensor1d(w)) }];
  const opt = new AdamW(params, { lr: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.5, clipNorm: Math.SQRT2 * 5 / 5 });
  const norm = await opt.apply([tf.tensor1d(g), tf.tensor1d(g)], 0.1);
  assert.ok(Math.abs(norm - Math.sqrt(50)) < 1e-5);
  const scale = Math.SQRT2 / Math.sqrt(50);
  const got = await Promise.all(params.map(async (p) => Array.from(await p.variable.data())));
  for (const [k, decay] of [[0, 0.5], [1, 0]] as const) {
    for (let i = 0; i < 3; i++) {
      const gi = g[i] * scale;
      const m = 0.1 * gi / 0.1; // m / (1 - b1^1)
      const v = 0.01 * gi * gi / 0.01;
      const want = w[i] - 0.1 * (m / (Math.sqrt(v) + 1e-8) + decay * w[i]);
      assert.ok(Math.abs(got[k][i] - want) < 1e-5, `param ${k}[${i}]: ${got[k][i]} vs ${want}`);
    }
  }
  opt.dispose();
});
