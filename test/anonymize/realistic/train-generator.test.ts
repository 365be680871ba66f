// train-generator: a run killed (SIGKILL) after a checkpoint and started again with the same
// command ends with exactly the weights, optimizer state and log of a run never interrupted
// (same backend); the folder is usable as `builtin:GEN_DIR`; other settings in the same folder
// are refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSynthDataset } from '../../../lib/data/synth/write.ts';
import { decodeImage } from '../../../lib/data/image.ts';
import { readWeights } from '../../../lib/anonymize/realistic/weights-file.ts';
import { loadBuiltinGenerator } from '../../../lib/anonymize/realistic/builtin-generator.ts';
import { useWasm } from './helpers.ts';

const bin = new URL('../../../bin/anon-impact.js', import.meta.url).pathname;
let dir = '';
let manifest = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anon-train-gen-'));
  await writeSynthDataset({ out: join(dir, 'data'), train: 3, val: 1, width: 192, height: 96, seed: 1 });
  manifest = join(dir, 'data', 'synth-coco.yaml');
});
after(() => rm(dir, { recursive: true, force: true }));

const args = (out: string) => ['train-generator', '--manifest', manifest, '--region', 'body', '--out', out, '--size', '16x8', '--channels', '4,8', '--batch', '2', '--steps', '40', '--checkpoint-every', '10', '--min-crop', '4', '--backend', 'wasm'];

function runCli(a: string[], killWhen?: () => boolean): Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [bin, ...a], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.stdout.on('data', (d) => (err += d));
    let timer: NodeJS.Timeout | undefined;
    if (killWhen) {
      timer = setInterval(() => {
        if (killWhen()) {
          clearInterval(timer);
          p.kill('SIGKILL');
        }
      }, 5);
    }
    p.on('error', reject);
    p.on('close', (code, signal) => {
      if (timer) clearInterval(timer);
      resolve({ code, signal, err });
    });
  });
}

test('killed after a checkpoint, resumed by the same command: identical to an uninterrupted run', async () => {
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  const [ra, rb] = await Promise.all([runCli(args(a)), runCli(args(b), () => existsSync(join(b, 'checkpoint.bin')))]);
  assert.equal(ra.code, 0, ra.err);
  assert.equal(rb.signal, 'SIGKILL', `the run was to be killed mid-way: ${rb.err}`);
  const mid = await readWeights(join(b, 'checkpoint.bin'));
  assert.ok(Number(mid.meta.step) < 40, `killed at step ${mid.meta.step}`);
  const rb2 = await runCli(args(b));
  assert.equal(rb2.code, 0, rb2.err);
  assert.match(rb2.err, new RegExp(`resuming from the checkpoint at step ${mid.meta.step}`));
  const wa = await readWeights(join(a, 'checkpoint.bin'));
  const wb = await readWeights(join(b, 'checkpoint.bin'));
  assert.equal(wa.meta.step, 40);
  assert.equal(wb.meta.step, 40);
  assert.deepEqual([...wa.arrays.keys()], [...wb.arrays.keys()]);
  for (const [k, v] of wa.arrays) assert.deepEqual(wb.arrays.get(k)!.data, v.data, `array ${k}`);
  // the per-step log: one row per step, same losses (the seconds column aside)
  const rows = async (d: string) => (await readFile(join(d, 'log.csv'), 'utf8')).trim().split('\n');
  const la = await rows(a);
  const lb = await rows(b);
  assert.equal(la[0], 'step,loss_d,loss_g_adv,l1_region,l1_context,d_real,d_fake,seconds');
  assert.equal(la.length, 41);
  assert.deepEqual(
    lb.map((l) => l.split(',').slice(0, 7).join(',')),
    la.map((l) => l.split(',').slice(0, 7).join(',')),
  );
  // sample grids: masked input | generated | original
  const grid = await decodeImage(join(a, 'samples', 'latest.png'), 3);
  assert.ok(existsSync(join(a, 'samples', 'step-000040.png')));
  assert.equal(grid.width, 3 * 8 * 4 + 4 * 2);
  // the folder loads as a generator
  await useWasm();
  const g = await loadBuiltinGenerator(a);
  assert.deepEqual([g.kind, g.width, g.height, g.usesKeypoints, g.latent.kind], ['body', 8, 16, true, 'w']);
  g.dispose();
  // the same folder with other settings is refused
  const bad = await runCli([...args(a).slice(0, -2), '--lr', '0.01']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /holds a generator trained with other settings/);
});
