// Timings of region computation: disk dilation of a person-sized mask in a Cityscapes-sized
// image (1024 x 2048) at several radii, DP2 body regions of a crowded frame, one BlazeFace
// pass (256x256) on the wasm and cpu backends, BlazeFace batches of 1 to 16 windows, and face
// regions of the synthetic Cityscapes-format dataset (`anon-impact synth --train 48 --seed 0`,
// 512x256; no face boxes or keypoints, so every person goes to the detector) with 1 to 8
// windows per model call. Prints figures (wall and CPU time of this thread)
// only: on a shared machine wall time follows the load, CPU time less so.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeImage, type Image } from '../lib/data/image.ts';
import { loadManifest } from '../lib/data/manifest.ts';
import { frPoly } from '../lib/data/masks/index.ts';
import { readSplit } from '../lib/data/open.ts';
import { writeSynthDataset } from '../lib/data/synth/write.ts';
import type { Instance, Rle, Sample } from '../lib/data/types.ts';
import { toBbox } from '../lib/data/masks/index.ts';
import { bodyRegions } from '../lib/regions/body.ts';
import { dilate } from '../lib/regions/dilate.ts';
import { DEFAULT_MAX_BATCH, loadFaceDetector } from '../lib/regions/detector.ts';
import { computeRegions, detectorNeeded } from '../lib/regions/regions.ts';

const h = 1024;
const w = 2048;

async function time(label: string, reps: number, fn: () => unknown): Promise<void> {
  await fn(); // warm up
  const t = performance.now();
  for (let i = 0; i < reps; i++) await fn();
  const ms = (performance.now() - t) / reps;
  console.log(`${label.padEnd(52)} ${ms.toFixed(3)} ms`);
}

/** A person-like polygon: an ellipse with a wavy outline, cx, cy, half-width, half-height. */
function person(cx: number, cy: number, rx: number, ry: number): Rle {
  const xy: number[] = [];
  for (let i = 0; i < 60; i++) {
    const a = (i / 60) * 2 * Math.PI;
    const k = 0.8 + 0.2 * Math.sin(7 * a);
    xy.push(cx + rx * k * Math.cos(a), cy + ry * k * Math.sin(a));
  }
  return frPoly(xy, h, w);
}

const big = person(1000, 500, 150, 400);
for (const r of [2, 4, 8, 16, 32]) await time(`dilate ${w}x${h}, 300x800 person, r = ${r}`, 20, () => dilate(big, r));
const small = person(300, 400, 15, 40);
for (const r of [1, 4]) await time(`dilate ${w}x${h}, 30x80 person, r = ${r}`, 200, () => dilate(small, r));

const instances: Instance[] = [];
for (let i = 0; i < 30; i++) {
  const mask = person(100 + 60 * i, 400 + (i % 5) * 60, 10 + (i % 7) * 6, 30 + (i % 7) * 16);
  instances.push({ id: 24000 + i, categoryId: 24, category: 'person', mask, bbox: toBbox(mask), iscrowd: false, ignore: false, area: 0 });
}
const frame: Sample = { id: 'bench', file: 'bench.png', width: w, height: h, instances };
await time(`bodyRegions, ${w}x${h}, 30 persons, DP2 radius`, 10, () => bodyRegions(frame));

const here = path.dirname(fileURLToPath(import.meta.url));
const photo = path.resolve(here, '..', '..', 'shared', 'data', 'photos', 'astronaut.png');
if (!existsSync(photo)) {
  console.log(`BlazeFace: ../shared/data not found (${photo}), skipped`);
} else {
  const img = await decodeImage(photo, 3);
  for (const backend of ['wasm', 'cpu'] as const) {
    const t = performance.now();
    const det = await loadFaceDetector({ backend });
    console.log(`BlazeFace load (${det.backend})`.padEnd(52) + ` ${(performance.now() - t).toFixed(1)} ms`);
    await time(`BlazeFace pass, 512x512 photo (${det.backend})`, backend === 'cpu' ? 3 : 20, () => det.detect(img));
    det.dispose();
  }
}

// BlazeFace batches: time per window for 1 to 16 windows per call (wasm)
{
  const det = await loadFaceDetector({ backend: 'wasm', maxBatch: 16 });
  const side = 512;
  const img: Image = { width: side, height: side, channels: 3, data: new Uint8Array(side * side * 3).map((_, i) => (i * 2654435761) >>> 24) };
  for (const b of [1, 2, 4, 8, 16]) {
    const windows = Array.from({ length: b }, (_, k) => ({ ox: 16 * k, oy: 8 * k, side: 64 + 8 * k }));
    await det.detectWindows!(img, windows);
    const reps = Math.max(2, Math.round(24 / b));
    const t = performance.now();
    const c = process.cpuUsage();
    for (let i = 0; i < reps; i++) await det.detectWindows!(img, windows);
    const u = process.cpuUsage(c);
    const wall = (performance.now() - t) / reps / b;
    const cpu = (u.user + u.system) / 1000 / reps / b;
    console.log(`BlazeFace, ${String(b).padStart(2)} windows per call, per window`.padEnd(52) + ` ${wall.toFixed(1)} ms wall, ${cpu.toFixed(1)} ms cpu`);
  }
  det.dispose();
}

// face regions of the synthetic Cityscapes-format dataset, 48 images at 512x256
{
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-regions-'));
  try {
    delete process.env.ANON_IMPACT_SYNTH_ROOT; // the manifests' rootEnv must not redirect this dataset
    await writeSynthDataset({ out: dir, train: 48, val: 0, width: 512, height: 256, seed: 0 });
    const m = await loadManifest(path.join(dir, 'synth-cityscapes.yaml'));
    const ds = await readSplit(m, 'train');
    const images = await Promise.all(ds.samples.map((s) => decodeImage(path.join(m.rootDir, s.file))));
    const opts = { kind: 'face' as const, categories: m.anonymize };
    const needing = ds.samples.filter((s) => detectorNeeded(s, opts)).length;
    console.log(`synthetic Cityscapes: ${ds.samples.length} images 512x256, ${needing} need the detector`);
    for (const maxBatch of [...new Set([1, 2, DEFAULT_MAX_BATCH, 8])]) {
      const det = await loadFaceDetector({ backend: 'wasm', maxBatch });
      await computeRegions(ds.samples[0], images[0], { ...opts, detector: det }); // warm up
      const t = performance.now();
      const c = process.cpuUsage();
      let faces = 0;
      for (const [i, s] of ds.samples.entries()) faces += (await computeRegions(s, images[i], { ...opts, detector: det })).regions.length;
      const u = process.cpuUsage(c);
      const n = ds.samples.length;
      const label = `face regions, ${maxBatch === 1 ? 'one call per window' : `<= ${maxBatch} windows per call`}${maxBatch === DEFAULT_MAX_BATCH ? ' (default)' : ''}, per image`;
      console.log(label.padEnd(52) + ` ${((performance.now() - t) / n).toFixed(1)} ms wall, ${((u.user + u.system) / 1000 / n).toFixed(1)} ms cpu (${faces} faces)`);
      det.dispose();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
