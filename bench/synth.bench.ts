// Throughput of the synthetic generator at 512x256: generation alone, then with the PNG encodes
// (RGB image, labelIds, instanceIds, labelTrainIds) and the COCO RLE records, one sample after
// another and one encode after another, so the figures are for one core. Prints wall-clock
// images/s and images per CPU-second (user + system time of this process).
import { encodeImage, encodeImage16 } from '../lib/data/image.ts';
import { cocoRecords } from '../lib/data/synth/coco-json.ts';
import { generateSample, type SynthSample } from '../lib/data/synth/generate.ts';
import { PNG_LEVEL, trainIdTable } from '../lib/data/synth/write.ts';

const W = 512;
const H = 256;
const N = Number(process.env.SYNTH_BENCH_N ?? 80);

async function encodeAll(s: SynthSample): Promise<number> {
  const lut = trainIdTable();
  const train = new Uint8Array(W * H);
  for (let i = 0; i < train.length; i++) train[i] = lut[s.labelIds[i]];
  let bytes = 0;
  bytes += (await encodeImage({ width: W, height: H, channels: 3, data: s.rgb }, 'png', { compressionLevel: PNG_LEVEL })).length;
  bytes += (await encodeImage({ width: W, height: H, channels: 1, data: s.labelIds }, 'png', { compressionLevel: PNG_LEVEL })).length;
  bytes += (await encodeImage16({ width: W, height: H, data: s.instanceIds })).length;
  bytes += (await encodeImage({ width: W, height: H, channels: 1, data: train }, 'png', { compressionLevel: PNG_LEVEL })).length;
  return bytes;
}

interface Row {
  name: string;
  wall: number;
  cpu: number;
}

async function measure(name: string, step: (i: number) => Promise<void> | void): Promise<Row> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await step(i);
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { name, wall, cpu: (c.user + c.system) / 1e6 };
}

// warm-up (JIT, sharp)
for (let i = 0; i < 5; i++) await encodeAll(generateSample({ seed: 1, split: 'train', index: i, width: W, height: H }));

let instances = 0;
let bytes = 0;
const rows: Row[] = [];
rows.push(await measure('generate', (i) => void generateSample({ seed: 0, split: 'train', index: i, width: W, height: H })));
rows.push(
  await measure('generate + 4 PNG encodes', async (i) => {
    const s = generateSample({ seed: 0, split: 'train', index: i, width: W, height: H });
    bytes += await encodeAll(s);
  }),
);
rows.push(
  await measure('generate + 4 PNG encodes + COCO RLE', async (i) => {
    const s = generateSample({ seed: 0, split: 'train', index: i, width: W, height: H });
    await encodeAll(s);
    instances += cocoRecords(s, 1).annotations.length;
  }),
);

console.log(`synth bench: ${N} samples of ${W}x${H}, seed 0, one sample and one encode at a time (PNG zlib level ${PNG_LEVEL})`);
for (const r of rows) {
  console.log(`  ${r.name.padEnd(38)} ${(N / r.wall).toFixed(1).padStart(6)} images/s wall   ${(N / r.cpu).toFixed(1).padStart(6)} images/CPU-s   ${((1000 * r.wall) / N).toFixed(1).padStart(6)} ms/image`);
}
console.log(`  ${(instances / N).toFixed(1)} instances/image, ${(bytes / N / 1024).toFixed(0)} KiB of PNG/image`);
