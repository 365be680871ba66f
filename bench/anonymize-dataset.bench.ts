// Throughput of the dataset runner: the synthetic street scenes at Cityscapes size (2048x1024,
// PNG, Cityscapes layout, body regions of persons and riders) anonymized with blur and mask-out
// by 1 and 2 worker threads (and, for reference, in the calling thread). Printed per run:
// images/s while images were processed (from the first task handed out to the last result, as
// the runner's progress reports it), and wall time including the workers' start-up and the
// copies of the label files. N workers should give close to N times the images/s of one as
// long as the machine has N idle cores; on a shared machine the figures are noisy.
// Environment: ANON_BENCH_IMAGES (default 16), ANON_BENCH_WORKERS (default "1,2"),
// ANON_BENCH_METHODS (default "blur,maskout").
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { anonymizeDataset } from '../lib/anonymize/runner.ts';
import { writeSynthDataset } from '../lib/data/synth/write.ts';

const IMAGES = Number(process.env.ANON_BENCH_IMAGES ?? 16);
const WORKERS = (process.env.ANON_BENCH_WORKERS ?? '1,2').split(',').map(Number);
const METHODS = (process.env.ANON_BENCH_METHODS ?? 'blur,maskout').split(',');
const W = 2048;
const H = 1024;

delete process.env.ANON_IMPACT_SYNTH_ROOT;
const dir = await mkdtemp(join(tmpdir(), 'anon-bench-dataset-'));
try {
  const t0 = performance.now();
  await writeSynthDataset({ out: join(dir, 'src'), train: IMAGES, val: 0, width: W, height: H, seed: 1 });
  console.log(`synthetic dataset: ${IMAGES} images ${W}x${H} PNG in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${availableParallelism()} cores available (shared machine: figures are noisy)`);
  const manifest = join(dir, 'src', 'synth-cityscapes.yaml');
  console.log('method   workers  images/s (processing)  wall s  regions  speed-up vs 1 worker');
  for (const method of METHODS) {
    let one: number | undefined;
    for (const workers of WORKERS) {
      const out = join(dir, `${method}-${workers}`);
      let rate = NaN;
      const t = performance.now();
      const r = await anonymizeDataset({ manifest, split: 'train', region: 'body', method, workers, out, onProgress: (p) => (rate = p.imagesPerSecond) });
      const wall = (performance.now() - t) / 1000;
      if (workers === 1) one = rate;
      const speedup = one ? (rate / one).toFixed(2) : '';
      console.log(`${method.padEnd(8)} ${String(workers).padStart(7)}  ${rate.toFixed(2).padStart(21)}  ${wall.toFixed(1).padStart(6)}  ${String(r.counts.regions).padStart(7)}  ${speedup.padStart(20)}`);
      await rm(out, { recursive: true, force: true });
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
