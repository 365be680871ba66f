// COCO evaluation on a COCO val2017-sized problem: 5,000 images, ~36,000 ground-truth objects
// with polygon masks (1% crowd regions as RLE) over 80 categories, 100 detections per image
// (boxes and compressed-RLE masks near the objects plus background false positives), seeded.
// Prints seconds for bbox and for segm evaluation, each in a fresh process: read + parse both
// JSON files, load and validate, evaluate + accumulate, summarize; wall-clock seconds, and the
// process's CPU seconds (user + system, garbage collection threads included), which a busy
// machine disturbs less. Prints figures only.
//
//   npm run bench:eval [-- --seed N --images N]
// The generated files are cached under the OS temp folder by seed and size.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../lib/data/atomic.ts';
import { toJson } from '../lib/data/masks/index.ts';
import type { Rle } from '../lib/data/types.ts';
import { readJsonFile } from '../lib/eval/coco-json.ts';
import { loadCocoGt, loadCocoResults } from '../lib/eval/coco-load.ts';
import type { IouType } from '../lib/eval/coco-params.ts';
import { defaultParams } from '../lib/eval/coco-params.ts';
import { evaluateCoco } from '../lib/eval/cocoeval.ts';
import { summarize } from '../lib/eval/coco-summary.ts';

const SIZES: [number, number][] = [
  [480, 640],
  [427, 640],
  [640, 480],
  [426, 640],
  [375, 500],
];
const GAPS = new Set([12, 26, 29, 30, 45, 66, 68, 69, 71, 83]); // COCO's unused category ids
const CAT_IDS = Array.from({ length: 90 }, (_, i) => i + 1).filter((id) => !GAPS.has(id));

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const r2 = (v: number) => Math.round(v * 100) / 100;

/** Column-major runs of the ellipse inscribed in box [x, y, w, h], clipped to the image. */
function ellipseRle(bx: number, by: number, bw: number, bh: number, H: number, W: number): Rle {
  const cx = bx + bw / 2, cy = by + bh / 2, rx = bw / 2, ry = bh / 2;
  const counts: number[] = [];
  let pos = 0; // pixels written so far (column-major)
  const x0 = Math.max(0, Math.floor(cx - rx)), x1 = Math.min(W - 1, Math.ceil(cx + rx));
  for (let x = x0; x <= x1; x++) {
    const u = (x + 0.5 - cx) / rx;
    if (u <= -1 || u >= 1) continue;
    const hh = ry * Math.sqrt(1 - u * u);
    const y0 = Math.max(0, Math.round(cy - hh)), y1 = Math.min(H, Math.round(cy + hh));
    if (y1 <= y0) continue;
    const start = x * H + y0;
    if (counts.length > 0 && start === pos) counts[counts.length - 1] += y1 - y0;
    else {
      if (counts.length === 0) counts.push(start);
      else counts.push(start - pos);
      counts.push(y1 - y0);
    }
    pos = x * H + y1;
  }
  if (counts.length === 0) counts.push(0);
  counts.push(H * W - pos);
  return { h: H, w: W, counts: Uint32Array.from(counts) };
}

/** A jittered polygon around the ellipse in box [x, y, w, h] (COCO-like vertex count). */
function polygon(rand: () => number, bx: number, by: number, bw: number, bh: number, H: number, W: number): number[] {
  const k = 8 + Math.floor(rand() * 24);
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const a = (i / k) * 2 * Math.PI;
    const s = 0.85 + 0.15 * rand();
    out.push(r2(Math.min(W, Math.max(0, bx + bw / 2 + (bw / 2) * s * Math.cos(a)))), r2(Math.min(H, Math.max(0, by + bh / 2 + (bh / 2) * s * Math.sin(a)))));
  }
  return out;
}

function shoelace(p: number[]): number {
  let s = 0;
  for (let i = 0; i < p.length; i += 2) {
    const j = (i + 2) % p.length;
    s += p[i] * p[j + 1] - p[j] * p[i + 1];
  }
  return Math.abs(s) / 2;
}

function polyBox(p: number[]): [number, number, number, number] {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < p.length; i += 2) {
    x0 = Math.min(x0, p[i]);
    x1 = Math.max(x1, p[i]);
    y0 = Math.min(y0, p[i + 1]);
    y1 = Math.max(y1, p[i + 1]);
  }
  return [r2(x0), r2(y0), r2(x1 - x0), r2(y1 - y0)];
}

async function generate(dir: string, seed: number, nImages: number): Promise<void> {
  const rand = mulberry32(seed);
  const weights = CAT_IDS.map((_, k) => 1 / (k + 1) ** 0.8);
  const wsum = weights.reduce((a, b) => a + b, 0);
  const pickCat = () => {
    let u = rand() * wsum;
    for (let k = 0; k < weights.length; k++) if ((u -= weights[k]) <= 0) return CAT_IDS[k];
    return CAT_IDS[CAT_IDS.length - 1];
  };
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const images: unknown[] = [];
  const annotations: unknown[] = [];
  const bboxRes: unknown[] = [];
  const segmRes: unknown[] = [];
  let annId = 1;
  for (let i = 0; i < nImages; i++) {
    const imgId = 139 + i * 97; // sparse ids, as COCO's
    const [H, W] = SIZES[Math.floor(rand() * SIZES.length)];
    images.push({ id: imgId, file_name: `${String(imgId).padStart(12, '0')}.jpg`, height: H, width: W });
    const nObj = 1 + Math.floor(rand() * 13.4); // mean 7.2 objects per image
    const objs: { cat: number; box: [number, number, number, number] }[] = [];
    for (let o = 0; o < nObj; o++) {
      const area = Math.exp(Math.log(40) + rand() * (Math.log(0.6 * H * W) - Math.log(40)));
      const ar = Math.exp((rand() - 0.5) * 1.6);
      const bw = Math.min(W - 1, Math.sqrt(area * ar)), bh = Math.min(H - 1, area / Math.sqrt(area * ar));
      const bx = rand() * (W - bw), by = rand() * (H - bh);
      const cat = pickCat();
      if (rand() < 0.01) {
        const rle = ellipseRle(bx, by, bw, bh, H, W);
        let px = 0;
        for (let j = 1; j < rle.counts.length; j += 2) px += rle.counts[j];
        annotations.push({ id: annId++, image_id: imgId, category_id: cat, iscrowd: 1, area: px, bbox: [r2(bx), r2(by), r2(bw), r2(bh)], segmentation: { size: [H, W], counts: Array.from(rle.counts) } });
      } else {
        const poly = polygon(rand, bx, by, bw, bh, H, W);
        annotations.push({ id: annId++, image_id: imgId, category_id: cat, iscrowd: 0, area: r2(shoelace(poly)), bbox: polyBox(poly), segmentation: [poly] });
      }
      objs.push({ cat, box: [bx, by, bw, bh] });
    }
    // 100 detections: per object one good and 1-3 poorer ones, then background false positives
    const dets: { cat: number; box: [number, number, number, number]; score: number }[] = [];
    const jitter = (box: [number, number, number, number], s: number): [number, number, number, number] => {
      const [bx, by, bw, bh] = box;
      const nw = Math.max(2, bw * Math.exp(gauss() * s)), nh = Math.max(2, bh * Math.exp(gauss() * s));
      const nx = Math.min(W - nw, Math.max(0, bx + gauss() * s * bw)), ny = Math.min(H - nh, Math.max(0, by + gauss() * s * bh));
      return [nx, ny, Math.min(nw, W), Math.min(nh, H)];
    };
    for (const o of objs) {
      dets.push({ cat: rand() < 0.9 ? o.cat : pickCat(), box: jitter(o.box, 0.08), score: 0.5 + 0.5 * rand() });
      const extra = 1 + Math.floor(rand() * 3);
      for (let e = 0; e < extra; e++) dets.push({ cat: rand() < 0.7 ? o.cat : pickCat(), box: jitter(o.box, 0.25), score: 0.05 + 0.5 * rand() });
    }
    while (dets.length < 100) {
      const area = Math.exp(Math.log(40) + rand() * (Math.log(0.3 * H * W) - Math.log(40)));
      const bw = Math.min(W - 1, Math.sqrt(area)), bh = Math.min(H - 1, Math.sqrt(area));
      dets.push({ cat: pickCat(), box: [rand() * (W - bw), rand() * (H - bh), bw, bh], score: 0.001 + 0.3 * rand() ** 2 });
    }
    for (const d of dets.slice(0, 100)) {
      const score = Math.round(d.score * 1e5) / 1e5;
      const [bx, by, bw, bh] = d.box;
      bboxRes.push({ image_id: imgId, category_id: d.cat, bbox: [r2(bx), r2(by), r2(bw), r2(bh)], score });
      segmRes.push({ image_id: imgId, category_id: d.cat, segmentation: toJson(ellipseRle(bx, by, bw, bh, H, W)), score });
    }
  }
  const categories = CAT_IDS.map((id) => ({ id, name: `class_${id}`, supercategory: 'thing' }));
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, 'gt.json'), JSON.stringify({ info: { description: 'synthetic val2017-sized problem' }, images, categories, annotations }));
  await writeFileAtomic(join(dir, 'bbox.json'), JSON.stringify(bboxRes));
  await writeFileAtomic(join(dir, 'segm.json'), JSON.stringify(segmRes));
}

async function measure(dir: string, iouType: IouType): Promise<void> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const [gtJson, resJson] = await Promise.all([readJsonFile(join(dir, 'gt.json')), readJsonFile(join(dir, `${iouType}.json`))]);
  const t1 = performance.now();
  const gt = loadCocoGt(gtJson, 'gt.json', iouType);
  const dt = loadCocoResults(resJson, gt, iouType, `${iouType}.json`);
  const t2 = performance.now();
  const ev = evaluateCoco(gt, dt, defaultParams(iouType));
  const t3 = performance.now();
  const { stats } = summarize(ev);
  const t4 = performance.now();
  const cpu = process.cpuUsage(c0);
  const s = (ms: number) => (ms / 1000).toFixed(2);
  console.log(
    `${iouType.padEnd(5)} ${s(t4 - t0).padStart(6)} s total, ${s((cpu.user + cpu.system) / 1000)} s cpu  (read+parse ${s(t1 - t0)}, load ${s(t2 - t1)}, evaluate+accumulate ${s(t3 - t2)}, summarize ${s(t4 - t3)})  ` +
      `${gt.anns.n} gts, ${dt.n} detections, AP ${stats[0].toFixed(3)}, AP50 ${stats[1].toFixed(3)}`,
  );
}

const { values } = parseArgs({ options: { seed: { type: 'string' }, images: { type: 'string' }, measure: { type: 'string' }, dir: { type: 'string' } } });
if (values.measure) {
  await measure(values.dir!, values.measure as IouType);
} else {
  const seed = Number(values.seed ?? 1);
  const nImages = Number(values.images ?? 5000);
  const dir = join(tmpdir(), `anon-impact-bench-eval-v2-${nImages}-seed${seed}`);
  if (!existsSync(join(dir, 'segm.json'))) {
    const t = performance.now();
    await generate(dir, seed, nImages);
    console.log(`generated ${dir} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } else console.log(`using ${dir}`);
  console.log(`node ${process.version}, one process per evaluation`);
  for (const type of ['bbox', 'segm'] as const) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--measure', type, '--dir', dir], { stdio: 'inherit' });
    if (r.status !== 0) process.exitCode = 1;
  }
}
