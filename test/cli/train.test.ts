// `anon-impact train` killed with SIGKILL mid-run and started again finishes, with the same
// weights as an uninterrupted run; `anon-impact predict` then writes results and prints the eval
// command.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadManifest } from '../../lib/data/manifest.ts';
import { writeSynthDataset } from '../../lib/data/synth/write.ts';
import { initBackend } from '../../lib/nn/runtime/backend.ts';
import { readCheckpoint } from '../../lib/train/checkpoint.ts';
import { getPreset } from '../../lib/train/presets.ts';
import { train } from '../../lib/train/trainer.ts';

const BIN = fileURLToPath(new URL('../../bin/anon-impact.js', import.meta.url));
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anon-cli-train-'));
  await writeSynthDataset({ out: join(dir, 'data'), train: 3, val: 2, width: 128, height: 64, seed: 6 });
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ARGS = ['--task', 'semseg', '--preset', 'quick', '--seed', '4', '--backend', 'wasm', '--steps', '16', '--batch-size', '2',
  '--image-size', '128x64', '--crop-size', '64x32', '--model-width', '4', '--checkpoint-every', '4'];

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

async function stepOf(runDir: string): Promise<number> {
  try {
    return JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8')).step as number;
  } catch {
    return -1;
  }
}

test('train survives SIGKILL: run again, it resumes and ends as an uninterrupted run', async () => {
  const manifest = join(dir, 'data', 'synth-cityscapes.yaml');
  const out = join(dir, 'run');
  const child = spawn(process.execPath, [BIN, 'train', '--manifest', manifest, '--out', out, ...ARGS], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const t0 = Date.now();
  while ((await stepOf(out)) < 4 && Date.now() - t0 < 60000) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGKILL');
  await exited;
  const killedAt = await stepOf(out);
  assert.ok(killedAt >= 4 && killedAt < 16, `killed at step ${killedAt}`);
  const again = await cli(['train', '--manifest', manifest, '--out', out, ...ARGS]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, new RegExp(`resuming .* from step ${killedAt} of 16`));
  assert.match(again.stdout, /complete: .* \(step 16 of 16\)/);
  const run = JSON.parse(await readFile(join(out, 'run.json'), 'utf8'));
  assert.equal(run.status, 'complete');
  assert.equal(run.sessions.length, 2);
  const steps = (await readFile(join(out, 'log.csv'), 'utf8')).trim().split('\n').slice(1).map((l) => Number(l.split(',')[0]));
  assert.deepEqual(steps, Array.from({ length: 16 }, (_, i) => i + 1));
  // the same run without interruption, in this process, on the same backend
  const backend = await initBackend({ backend: 'wasm', log: false });
  const preset = getPreset('quick', 'semseg', { steps: 16, batchSize: 2, imageSize: [128, 64], cropSize: [64, 32], model: { width: 4 }, checkpointEvery: 4 });
  const ref = join(dir, 'ref');
  await train({ manifest: await loadManifest(manifest), task: 'semseg', preset, seed: 4, outDir: ref, backend });
  const a = await readCheckpoint(join(out, 'checkpoint.bin'));
  const b = await readCheckpoint(join(ref, 'checkpoint.bin'));
  assert.equal(a.header.sha256, b.header.sha256);

  const pred = await cli(['predict', '--run', out, '--manifest', manifest, '--out', join(dir, 'pred'), '--backend', 'wasm']);
  assert.equal(pred.code, 0, pred.stderr);
  assert.match(pred.stdout, /wrote 2 label images for 2 images/);
  assert.match(pred.stdout, /eval cityscapes-pixel --gt .*gtFine[/\\]val --pred .*labelIds/);
});

test('train: bad options are clear errors', async () => {
  const manifest = join(dir, 'data', 'synth-cityscapes.yaml');
  const r = await cli(['train', '--manifest', manifest, '--out', join(dir, 'x'), '--task', 'detect']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /--task must be one of semseg, instances, keypoints/);
  const k = await cli(['train', '--manifest', manifest, '--out', join(dir, 'y'), '--task', 'keypoints', '--backend', 'wasm', '--steps', '1']);
  assert.equal(k.code, 1);
  assert.match(k.stderr, /keypoints task needs exactly one category with 17 keypoints.*synth-coco/);
  const p = await cli(['train', '--manifest', manifest, '--out', join(dir, 'z'), '--task', 'semseg', '--pose-crops', '4']);
  assert.equal(p.code, 1);
  assert.match(p.stderr, /--pose-crops is for --task keypoints, not semseg/);
  const q = await cli(['train', '--manifest', join(dir, 'data', 'synth-coco.yaml'), '--out', join(dir, 'z'), '--task', 'keypoints', '--pose-crops', 'many']);
  assert.equal(q.code, 1);
  assert.match(q.stderr, /--pose-crops must be an integer in \[0, 4096\], got 'many'/);
  const f = await cli(['train', '--manifest', manifest, '--out', join(dir, 'z'), '--task', 'instances', '--fine-tune', 'all']);
  assert.equal(f.code, 1);
  assert.match(f.stderr, /--fine-tune must be one of none, decoder, got 'all'/);
  const s = await cli(['train', '--manifest', manifest, '--out', join(dir, 'z'), '--task', 'instances', '--backbone', 'scratch', '--fine-tune', 'decoder']);
  assert.equal(s.code, 1);
  assert.match(s.stderr, /--fine-tune decoder needs a pretrained encoder, not --backbone scratch/);
});

test('train --workers 2: two worker threads, recorded in run.json', async () => {
  const manifest = join(dir, 'data', 'synth-cityscapes.yaml');
  const out = join(dir, 'run-workers');
  const args = ARGS.map((a, i) => (ARGS[i - 1] === '--steps' ? '3' : a));
  const r = await cli(['train', '--manifest', manifest, '--out', out, ...args, '--workers', '2']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /complete: .* \(step 3 of 3\)/);
  const run = JSON.parse(await readFile(join(out, 'run.json'), 'utf8'));
  assert.equal(run.workers, 2);
  assert.equal(run.sessions[0].workers, 2);
  const rows = (await readFile(join(out, 'log.csv'), 'utf8')).trim().split('\n').slice(1);
  assert.equal(rows.length, 3);
  assert.ok(rows.every((l) => Number.isFinite(Number(l.split(',')[1]))));
  const bad = await cli(['train', '--manifest', manifest, '--out', join(dir, 'w0'), ...args, '--workers', '0']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--workers must be an integer in \[1, 64\], got '0'/);
});
