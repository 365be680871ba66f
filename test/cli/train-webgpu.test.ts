// `train --backend webgpu` and `predict --backend webgpu` on SwiftShader (the CPU Vulkan device):
// each task model trains a few steps on the webgpu backend (every read of a tensor asynchronous),
// writing its checkpoint on the way, and predicts; the built-in generator trains a few steps too. A
// functional check, not a speed figure.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSynthDataset } from '../../lib/data/synth/write.ts';
import { SWIFTSHADER_ICD } from '../../lib/nn/runtime/webgpu.ts';
import { swiftshaderMissing } from '../nn/runtime/swiftshader.ts';
import { BIN } from './fixtures.ts';

const missing = swiftshaderMissing();
let dir = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anon-impact-webgpu-'));
  await writeSynthDataset({ out: join(dir, 'data'), train: 2, val: 1, width: 128, height: 64, seed: 5 });
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, VK_ICD_FILENAMES: SWIFTSHADER_ICD }, maxBuffer: 1 << 24 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const TASKS = [
  // instances: the quick preset's head on the frozen CenterNet encoder
  { task: 'instances', manifest: 'synth-cityscapes.yaml', extra: [] as string[], written: 'results.json' },
  { task: 'semseg', manifest: 'synth-cityscapes.yaml', extra: [], written: 'labelIds' },
  // keypoints with its pose stage (4 person crops per step)
  { task: 'keypoints', manifest: 'synth-coco.yaml', extra: ['--pose-crops', '4'], written: 'results.json' },
];

for (const t of TASKS) {
  test(`train and predict --backend webgpu on SwiftShader: ${t.task}`, { skip: missing && `skipped: ${missing}` }, async () => {
    const manifest = join(dir, 'data', t.manifest);
    const out = join(dir, `run-${t.task}`);
    const args = ['train', '--manifest', manifest, '--task', t.task, '--out', out, '--backend', 'webgpu', '--steps', '3', '--checkpoint-every', '2', '--batch-size', '1', '--crop-size', '64x64', '--image-size', '128x64', ...t.extra];
    const r = await run(args);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const record = JSON.parse(await readFile(join(out, 'run.json'), 'utf8'));
    assert.equal(record.status, 'complete');
    assert.equal(record.step, 3);
    assert.match(JSON.stringify(record.backend), /webgpu/);
    const log = (await readFile(join(out, 'log.csv'), 'utf8')).trim().split('\n');
    assert.equal(log.length, 4, log.join('\n'));
    for (const row of log.slice(1)) assert.ok(Number.isFinite(Number(row.split(',')[1])), `loss in ${row}`);
    const p = await run(['predict', '--run', out, '--manifest', manifest, '--out', join(dir, `pred-${t.task}`), '--backend', 'webgpu']);
    assert.equal(p.code, 0, p.stdout + p.stderr);
    assert.match(p.stdout, /wrote \d+ /);
    assert.ok(existsSync(join(dir, `pred-${t.task}`, t.written)), `predict wrote no ${t.written}`);
  });
}

test('train --backend webgpu refuses worker threads (they split a batch over CPU cores)', { skip: missing && `skipped: ${missing}` }, async () => {
  const r = await run(['train', '--manifest', join(dir, 'data', 'synth-coco.yaml'), '--task', 'instances', '--out', join(dir, 'run-workers'), '--backend', 'webgpu', '--workers', '2', '--steps', '1']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /workers: 2 worker threads are for the CPU backends \(wasm, cpu\); on webgpu train in one thread/);
});

test('train-generator --backend webgpu on SwiftShader: the built-in body generator trains, checkpoints and writes samples', { skip: missing && `skipped: ${missing}` }, async () => {
  const out = join(dir, 'gen');
  const args = ['train-generator', '--manifest', join(dir, 'data', 'synth-coco.yaml'), '--region', 'body', '--out', out, '--backend', 'webgpu', '--steps', '2', '--batch', '2', '--size', '32x16', '--channels', '8,8', '--checkpoint-every', '1', '--min-crop', '4'];
  const r = await run(args);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const log = (await readFile(join(out, 'log.csv'), 'utf8')).trim().split('\n');
  assert.equal(log.length, 3, log.join('\n'));
  for (const row of log.slice(1)) assert.ok(row.split(',').slice(1, 7).every((v) => Number.isFinite(Number(v))), `finite losses in ${row}`);
  assert.ok(existsSync(join(out, 'checkpoint.bin')) && existsSync(join(out, 'samples', 'latest.png')));
  assert.match(await readFile(join(out, 'generator.json'), 'utf8'), /webgpu/);
});
