// Timings of region computation: disk dilation of a person-sized mask in a Cityscapes-sized
// image (1024 x 2048) at several radii, DP2 body regions of a crowded frame, and one BlazeFace
// pass (256x256) on the wasm and cpu backends. Prints figures only.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeImage } from '../lib/data/image.ts';
import { frPoly } from '../lib/data/masks/index.ts';
import type { Instance, Rle, Sample } from '../lib/data/types.ts';
import { toBbox } from '../lib/data/masks/index.ts';
import { bodyRegions } from '../lib/regions/body.ts';
import { dilate } from '../lib/regions/dilate.ts';
import { loadFaceDetector } from '../lib/regions/detector.ts';

const h = 1024;
const w = 2048;

function time(label: string, reps: number, fn: () => void): void {
  fn(); // warm up
  const t = performance.now();
  for (let i = 0; i < reps; i++) fn();
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
for (const r of [2, 4, 8, 16, 32]) time(`dilate ${w}x${h}, 300x800 person, r = ${r}`, 20, () => dilate(big, r));
const small = person(300, 400, 15, 40);
for (const r of [1, 4]) time(`dilate ${w}x${h}, 30x80 person, r = ${r}`, 200, () => dilate(small, r));

const instances: Instance[] = [];
for (let i = 0; i < 30; i++) {
  const mask = person(100 + 60 * i, 400 + (i % 5) * 60, 10 + (i % 7) * 6, 30 + (i % 7) * 16);
  instances.push({ id: 24000 + i, categoryId: 24, category: 'person', mask, bbox: toBbox(mask), iscrowd: false, ignore: false, area: 0 });
}
const frame: Sample = { id: 'bench', file: 'bench.png', width: w, height: h, instances };
time(`bodyRegions, ${w}x${h}, 30 persons, DP2 radius`, 10, () => bodyRegions(frame));

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
    time(`BlazeFace pass, 512x512 photo (${det.backend})`, backend === 'cpu' ? 3 : 20, () => det.detect(img));
    det.dispose();
  }
}
