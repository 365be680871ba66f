// Backend choice: order tfjs-node-gpu > tfjs-node > wasm > cpu (webgpu only when forced), the
// ANON_IMPACT_BACKEND override, the option override, and errors for forced backends that cannot
// load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../lib/nn/runtime/backend.ts';

const require = createRequire(import.meta.url);
function installed(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

test('automatic choice falls back past absent native packages', async () => {
  const lines: string[] = [];
  const info = await initBackend({ env: {}, log: (l) => lines.push(l) });
  if (installed('@tensorflow/tfjs-node-gpu') || installed('@tensorflow/tfjs-node')) {
    assert.match(info.name, /^tfjs-node/);
    assert.equal(tf.getBackend(), 'tensorflow');
  } else {
    assert.equal(info.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.deepEqual(info.skipped.map((s) => s.split(':')[0]), ['tfjs-node-gpu', 'tfjs-node']);
  }
  assert.equal(info.source, 'auto');
  assert.equal(lines.length, 1);
  assert.match(lines[0], new RegExp(`^tfjs backend: ${info.name}`));
});

test('preference order with a stand-in native package', async () => {
  // A loader where tfjs-node-gpu is missing and tfjs-node "loads" by registering a 'tensorflow'
  // backend (the cpu backend under that name).
  const cpuFactory = tf.findBackendFactory('cpu');
  assert.ok(cpuFactory);
  const tried: string[] = [];
  const importModule = async (spec: string) => {
    tried.push(spec);
    if (spec === '@tensorflow/tfjs-node') {
      if (!tf.findBackendFactory('tensorflow')) tf.registerBackend('tensorflow', cpuFactory, 0);
      return {};
    }
    throw new Error(`Cannot find package '${spec}'`);
  };
  const info = await initBackend({ env: {}, importModule, log: false });
  assert.deepEqual(tried, ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
  assert.equal(info.name, 'tfjs-node');
  assert.equal(tf.getBackend(), 'tensorflow');
  assert.equal(info.skipped.length, 1);
  tf.removeBackend('tensorflow');
});

test('ANON_IMPACT_BACKEND is honoured and the option wins over it', async () => {
  const a = await initBackend({ env: { ANON_IMPACT_BACKEND: 'cpu' }, log: false });
  assert.equal(a.name, 'cpu');
  assert.equal(a.source, 'env');
  assert.equal(tf.getBackend(), 'cpu');
  const b = await initBackend({ env: { ANON_IMPACT_BACKEND: 'wasm' }, log: false });
  assert.equal(b.name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  const lines: string[] = [];
  const c = await initBackend({ backend: 'cpu', env: { ANON_IMPACT_BACKEND: 'wasm' }, log: (l) => lines.push(l) });
  assert.equal(c.name, 'cpu');
  assert.equal(c.source, 'option');
  assert.deepEqual(lines, ['tfjs backend: cpu (from option)']);
  const d = await initBackend({ env: { ANON_IMPACT_BACKEND: 'wasm' }, wasmKernels: false, log: false });
  assert.equal(d.wasmKernels, false);
  assert.equal(tf.getKernel('Conv2DBackpropFilter', 'wasm'), undefined);
  const e = await initBackend({ env: {}, backend: 'wasm', log: false });
  assert.equal(e.wasmKernels, true);
  assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'));
});

test('a forced backend that cannot load is an error, as is an unknown name', async () => {
  const importModule = async (spec: string) => {
    throw new Error(`Cannot find package '${spec}'`);
  };
  await assert.rejects(initBackend({ env: { ANON_IMPACT_BACKEND: 'tfjs-node' }, importModule, log: false }), /ANON_IMPACT_BACKEND=tfjs-node: cannot use this backend: Cannot find package '@tensorflow\/tfjs-node'/);
  await assert.rejects(initBackend({ backend: 'tfjs-node-gpu', importModule, log: false }), /backend option 'tfjs-node-gpu'/);
  await assert.rejects(initBackend({ env: { ANON_IMPACT_BACKEND: 'webgl' }, log: false }), /ANON_IMPACT_BACKEND: unknown backend 'webgl'; expected one of tfjs-node-gpu, webgpu, tfjs-node, wasm, cpu/);
});
