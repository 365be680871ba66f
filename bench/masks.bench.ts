// Timings of the COCO mask utilities on COCO-sized masks (480 x 640): the operations a COCO
// segmentation evaluation repeats per image (iou of 100 detections against a few ground truths,
// area, encode, the compressed-string round trip) and polygon rasterization. Prints figures only.
import { area, decode, encode, frPoly, fromString, iou, toString } from '../lib/data/masks/index.ts';
import type { Rle } from '../lib/data/types.ts';

const h = 480;
const w = 640;
let seed = 1;
const rand = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
/** A star-shaped person-sized polygon at a random place. */
function polygon(): number[] {
  const cx = rand() * w, cy = rand() * h, r = 20 + rand() * 120;
  const k = 12 + Math.floor(rand() * 30);
  const xy: number[] = [];
  for (let i = 0; i < k; i++) {
    const a = (i / k) * 2 * Math.PI, rr = r * (0.6 + 0.4 * rand());
    xy.push(cx + rr * Math.cos(a), cy + 1.8 * rr * Math.sin(a));
  }
  return xy;
}

function time(label: string, reps: number, unit: string, per: number, fn: () => void): void {
  fn(); // warm up
  const t = performance.now();
  for (let i = 0; i < reps; i++) fn();
  const ms = (performance.now() - t) / reps / per;
  console.log(`${label.padEnd(44)} ${unit === 'us' ? (ms * 1000).toFixed(2) : ms.toFixed(3)} ${unit}`);
}

const dts: Rle[] = Array.from({ length: 100 }, () => frPoly(polygon(), h, w));
const gts: Rle[] = Array.from({ length: 7 }, () => frPoly(polygon(), h, w));
const crowd = [0, 0, 0, 0, 0, 0, 1];
const masks = dts.slice(0, 20).map((r) => decode(r));
const strings = dts.map((r) => toString(r));
const runs = dts.reduce((s, r) => s + r.counts.length, 0) / dts.length;
console.log(`masks ${h}x${w}, ${runs.toFixed(0)} runs per mask on average`);
time('iou 100 dt x 7 gt (1 crowd), per call', 200, 'ms', 1, () => iou(dts, gts, crowd));
time('area, per mask', 1000, 'us', dts.length, () => dts.forEach((r) => area(r)));
time('encode 480x640 mask, per mask', 20, 'ms', masks.length, () => masks.forEach((m) => encode(m, h, w)));
time('decode, per mask', 20, 'ms', dts.length, () => dts.forEach((r) => decode(r)));
time('toString, per mask', 100, 'us', dts.length, () => dts.forEach((r) => toString(r)));
time('fromString, per mask', 100, 'us', strings.length, () => strings.forEach((s) => fromString(s, h, w)));
const polys = Array.from({ length: 100 }, polygon);
time('frPoly (12-41 vertices), per polygon', 20, 'us', polys.length, () => polys.forEach((p) => frPoly(p, h, w)));
