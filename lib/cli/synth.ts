// `anon-impact synth`: writes the embedded synthetic street-scene dataset.
import { resolve } from 'node:path';
import { writeSynthDataset } from '../data/synth/write.ts';
import { int, parse, required } from './args.ts';

const HELP = `usage: anon-impact synth --out DIR [--train N] [--val M] [--width W] [--height H] [--seed S]

Generates synthetic street scenes with people, riders, crowds and cars, in the Cityscapes
layout (leftImg8bit/, gtFine/) and as COCO JSON (annotations/), plus the manifests
synth-cityscapes.yaml and synth-coco.yaml in DIR. Same seed, same bytes.

  --out DIR     output folder (created)
  --train N     training images (default 40)
  --val M       validation images (default 20)
  --width W     image width in pixels (default 512)
  --height H    image height in pixels (default 256)
  --seed S      random seed (default 0)`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    out: { type: 'string' },
    train: { type: 'string' },
    val: { type: 'string' },
    width: { type: 'string' },
    height: { type: 'string' },
    seed: { type: 'string' },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const out = required(values, 'out');
  const train = int(values, 'train', 40, 0, 999999);
  const val = int(values, 'val', 20, 0, 999999);
  const width = int(values, 'width', 512, 16, 8192);
  const height = int(values, 'height', 256, 16, 8192);
  const seed = int(values, 'seed', 0, 0, Number.MAX_SAFE_INTEGER);
  const t0 = Date.now();
  const tty = process.stderr.isTTY;
  let lastPct = -1;
  const summary = await writeSynthDataset({
    out: resolve(out),
    outLabel: out,
    train,
    val,
    width,
    height,
    seed,
    onProgress: (done, total) => {
      const el = (Date.now() - t0) / 1000;
      const eta = done > 0 ? (el / done) * (total - done) : 0;
      const pct = Math.floor((100 * done) / total);
      const line = `synth ${done}/${total} images (${pct}%), ${el.toFixed(1)} s elapsed, ETA ${eta.toFixed(1)} s`;
      if (tty) process.stderr.write(`\r${line}${done === total ? '\n' : ''}`);
      else if (pct >= lastPct + 10 || done === total) {
        lastPct = pct;
        process.stderr.write(line + '\n');
      }
    },
  });
  const s = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(
    `wrote ${summary.images} images to ${out} in ${s} s: ${summary.persons} persons, ${summary.riders} riders, ${summary.crowds} crowds, ${summary.cars} cars, ${summary.bicycles} bicycles, ${summary.faces} face boxes, ${summary.plates} licence plates`,
  );
  console.log(`manifests: ${resolve(out, 'synth-cityscapes.yaml')}, ${resolve(out, 'synth-coco.yaml')}`);
  return 0;
}
