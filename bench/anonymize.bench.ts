// Cost of anonymizing Cityscapes-sized images (2048x1024 RGB) relative to reading and writing
// them: per image, decode + encode alone, decode + blur + encode, decode + mask-out + encode,
// for PNG (zlib level 6) and JPEG (quality 95), plus the anonymization step alone (blur,
// mask-out, pixelate, inpaint). Images are synthesized with a seeded generator (smooth street-like
// colour fields with texture and noise, so that the codecs do real work) and carry 4 person masks
// of 100x250 pixels (head, torso and legs as ellipses). Encoded inputs are held in memory, so no
// disk time is counted. Variants run round-robin after a warm-up round, one image after another
// (sharp is set to one thread in lib/data/image.ts); the figures are medians of wall-clock time
// and of process CPU time, the latter steadier on a shared machine.
// Goal: anonymizing adds at most 10% to decode + encode.
import { decodeImage, encodeImage, type Image, type ImageFormat } from '../lib/data/image.ts';
import { Rng } from '../lib/data/rng.ts';
import { blur } from '../lib/anonymize/blur.ts';
import { maskOut } from '../lib/anonymize/maskout.ts';
import { pixelate } from '../lib/anonymize/pixelate.ts';
import { inpaint } from '../lib/anonymize/inpaint.ts';

const W = 2048;
const H = 1024;
const IMAGES = Number(process.env.ANON_BENCH_IMAGES ?? 3);
const REPS = Number(process.env.ANON_BENCH_REPS ?? 5);

function synthImage(seed: number): Image {
  const rng = new Rng(`anon-bench/${seed}`);
  const data = new Uint8Array(W * H * 3);
  // a few low-frequency colour waves plus per-pixel noise
  const waves = Array.from({ length: 6 }, () => ({
    fx: rng.uniform(0.002, 0.03),
    fy: rng.uniform(0.002, 0.03),
    ph: rng.uniform(0, 6.283),
    amp: [rng.uniform(10, 40), rng.uniform(10, 40), rng.uniform(10, 40)],
  }));
  const base = [rng.uniform(80, 160), rng.uniform(80, 160), rng.uniform(80, 160)];
  const row = new Float64Array(W * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) for (let c = 0; c < 3; c++) row[x * 3 + c] = base[c]!;
    for (const w of waves) {
      for (let x = 0; x < W; x++) {
        const s = Math.sin(w.fx * x + w.fy * y + w.ph);
        for (let c = 0; c < 3; c++) row[x * 3 + c]! += w.amp[c]! * s;
      }
    }
    const o = y * W * 3;
    for (let i = 0; i < W * 3; i++) {
      const v = row[i]! + (rng.u32() & 15) - 8;
      data[o + i] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return { width: W, height: H, channels: 3, data };
}

/** 4 persons, each inside a 100x250 box: head, torso and two legs as ellipses. */
function personMask(seed: number): Uint8Array {
  const rng = new Rng(`anon-bench-mask/${seed}`);
  const m = new Uint8Array(W * H);
  const ellipse = (cx: number, cy: number, rx: number, ry: number) => {
    for (let y = Math.floor(cy - ry); y <= Math.ceil(cy + ry); y++) {
      for (let x = Math.floor(cx - rx); x <= Math.ceil(cx + rx); x++) {
        if (x >= 0 && x < W && y >= 0 && y < H && ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1) m[y * W + x] = 1;
      }
    }
  };
  for (let k = 0; k < 4; k++) {
    const x0 = 100 + k * 480 + rng.int(0, 300);
    const y0 = rng.int(300, H - 260);
    ellipse(x0 + 50, y0 + 22, 18, 22); // head
    ellipse(x0 + 50, y0 + 100, 48, 62); // torso and arms
    ellipse(x0 + 33, y0 + 190, 17, 60); // legs
    ellipse(x0 + 67, y0 + 190, 17, 60);
  }
  return m;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

interface Sample {
  wall: number[];
  cpu: number[];
}

/** Wall-clock and process CPU time (user + system, all threads) of one step, in ms. */
async function timed<T>(into: Sample, step: () => T | Promise<T>): Promise<T> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await step();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  into.wall.push(wall);
  into.cpu.push((c.user + c.system) / 1000);
  return r;
}

const fmt = (x: number) => x.toFixed(1).padStart(8);
const pct = (x: number, base: number) => `${(((x - base) / base) * 100).toFixed(1).padStart(5)}%`;

async function main(): Promise<void> {
  console.log(`anonymize bench: ${IMAGES} synthetic ${W}x${H} RGB images, ${REPS} timed rounds after one warm-up round, 4 persons of 100x250 px each`);
  console.log('figures: medians, wall-clock ms and process CPU ms (user + system, all threads) per image');
  const imgs = Array.from({ length: IMAGES }, (_, i) => synthImage(i));
  const masks = Array.from({ length: IMAGES }, (_, i) => personMask(i));
  const area = masks[0]!.reduce((a, b) => a + b, 0);
  console.log(`region: ${area} pixels per image (${((100 * area) / (W * H)).toFixed(2)}% of the image)`);

  const steps = {
    blur: (i: number) => blur(imgs[i]!, masks[i]!),
    maskout: (i: number) => maskOut(imgs[i]!, masks[i]!),
    pixelate: (i: number) => pixelate(imgs[i]!, masks[i]!),
    inpaint: (i: number) => inpaint(imgs[i]!, masks[i]!),
  };
  const alone: Record<string, Sample> = {};
  for (let r = 0; r <= REPS; r++) {
    for (let i = 0; i < IMAGES; i++) {
      for (const [name, fn] of Object.entries(steps)) {
        if (name === 'inpaint' && r > 1) continue; // slow and outside the goal: one timed round
        const into = r === 0 ? { wall: [], cpu: [] } : (alone[name] ??= { wall: [], cpu: [] });
        await timed(into, () => fn(i));
      }
    }
  }
  console.log('\nanonymization alone          wall      cpu');
  for (const [name, t] of Object.entries(alone)) console.log(`  ${name.padEnd(22)} ${fmt(median(t.wall))} ${fmt(median(t.cpu))}`);

  for (const [format, label] of [
    ['png', 'PNG (zlib 6)'],
    ['jpeg', 'JPEG q95'],
  ] as [ImageFormat, string][]) {
    const files = await Promise.all(imgs.map((im) => encodeImage(im, format, { quality: 95 })));
    const variants = ['codec', 'blur', 'maskout'] as const;
    const t: Record<(typeof variants)[number], Sample> = { codec: { wall: [], cpu: [] }, blur: { wall: [], cpu: [] }, maskout: { wall: [], cpu: [] } };
    for (let r = 0; r <= REPS; r++) {
      for (let i = 0; i < IMAGES; i++) {
        for (const v of variants) {
          const into = r === 0 ? { wall: [], cpu: [] } : t[v];
          await timed(into, async () => {
            const img = await decodeImage(files[i]!);
            const out = v === 'codec' ? img : v === 'blur' ? blur(img, masks[i]!) : maskOut(img, masks[i]!);
            return encodeImage(out, format, { quality: 95 });
          });
        }
      }
    }
    const bw = median(t.codec.wall);
    const bc = median(t.codec.cpu);
    console.log(`\n${label}, ${(files.reduce((a, f) => a + f.length, 0) / IMAGES / 1e6).toFixed(2)} MB per file      wall      cpu   added (wall, cpu)`);
    console.log(`  decode + encode          ${fmt(bw)} ${fmt(bc)}`);
    for (const v of ['blur', 'maskout'] as const) {
      const w = median(t[v].wall);
      const c = median(t[v].cpu);
      console.log(`  decode + ${v.padEnd(7)} + encode ${fmt(w)} ${fmt(c)}   ${pct(w, bw)} ${pct(c, bc)}`);
    }
  }
}

await main();
