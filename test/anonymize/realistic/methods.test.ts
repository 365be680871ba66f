// The built-in generator on a wasm backend that another stage started (the face detector starts
// wasm without the project's kernels): HM-LO still gets its convolution gradients, and the bytes
// are those of a process where the realistic method chose the backend itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { runningBackend, startWasm } from '../../../lib/nn/runtime/start.ts';
import { hmloSceneHash } from './hmlo-scene.ts';
import { saveTinyBuiltin } from './tiny-builtin-dir.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

test('realistic+hmlo with the built-in generator on a wasm backend started without the project kernels', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'anon-realistic-backend-'));
  try {
    const gen = join(dir, 'gen-body');
    await saveTinyBuiltin(gen, 'body');
    // a fresh process, where the realistic method chooses the backend itself
    const helper = new URL('hmlo-scene.ts', import.meta.url).href;
    const code = `const m = await import(${JSON.stringify(helper)}); console.log(JSON.stringify(await m.hmloSceneHash(${JSON.stringify(gen)})));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    const fresh = JSON.parse(child.stdout.trim().split('\n').pop()!) as { hash: string; steps: number[]; backend: string };
    assert.equal(fresh.backend, 'wasm');
    // here: wasm started as the face detector starts it, with the stock kernels only
    assert.equal(await startWasm(), null);
    assert.equal(runningBackend(), 'wasm');
    assert.equal(tf.getKernel('Conv2DBackpropFilter', 'wasm'), undefined);
    const here = await hmloSceneHash(gen);
    assert.ok(here.steps.length === 2 && here.steps.every((n) => n > 0), JSON.stringify(here.steps));
    assert.deepEqual(here, fresh);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
