// Realistic anonymization throughput: crops per second for generation and for HM-LO, per
// generator where available (the built-in generator from GEN_DIR or, without one, an untrained
// one of the default body size; the synthetic re-render generator; a tiny ONNX model when
// onnxruntime-node is installed). Crops are the bodies of a synthetic scene. Prints figures,
// asserts nothing; the machine may be shared, so timings are noisy.
//   npm run bench:realistic [-- --gen GEN_DIR] [-- --backend wasm|cpu|tfjs-node]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend, type BackendChoice } from '../lib/nn/runtime/backend.ts';
import { builtinGenerator, loadBuiltinGenerator } from '../lib/anonymize/realistic/builtin-generator.ts';
import { defaultConfig, GeneratorNet } from '../lib/anonymize/realistic/builtin-model.ts';
import { prepareCrop } from '../lib/anonymize/realistic/crop.ts';
import type { Generator, GeneratorInput } from '../lib/anonymize/realistic/generator.ts';
import { hmlo } from '../lib/anonymize/realistic/hmlo.ts';
import { svHistograms } from '../lib/anonymize/realistic/hsv-histogram.ts';
import { sampleZ } from '../lib/anonymize/realistic/latent.ts';
import { loadOnnxGenerator } from '../lib/anonymize/realistic/onnx-generator.ts';
import { rerenderGenerator } from '../lib/anonymize/realistic/rerender-generator.ts';
import { Rng } from '../lib/data/rng.ts';
import { scene } from '../test/anonymize/realistic/helpers.ts';
import { tinyOnnxGenerator } from '../test/anonymize/realistic/onnx-model.ts';

const { values } = parseArgs({ options: { gen: { type: 'string' }, backend: { type: 'string' }, crops: { type: 'string' } }, strict: true });
const info = await initBackend({ backend: values.backend as BackendChoice | undefined, log: false });
const N = Number(values.crops ?? 16);
console.log(`bench:realistic on tfjs backend ${info.name}; ${N} crops per figure (timings on a shared machine are noisy)`);

function inputsFor(g: Generator, n: number): { input: GeneratorInput; ref: ReturnType<typeof svHistograms> }[] {
  const s = scene('body');
  return Array.from({ length: n }, (_, i) => {
    const r = s.regions[i % 2]!;
    const m = s.masks[i % 2]!;
    const crop = prepareCrop(s.image, r, m, m, { width: g.width, height: g.height, keypoints: g.usesKeypoints });
    return { input: crop.input, ref: svHistograms(crop.context.data, 1 / 255) };
  });
}

async function bench(label: string, g: Generator, hmloCrops: number): Promise<void> {
  const set = inputsFor(g, N);
  const w = await g.latent.map(sampleZ(new Rng('bench'), N, g.latent.zDim), N);
  await g.generate([set[0]!.input], w.slice(0, g.latent.wDim)); // warm-up
  let t = performance.now();
  for (let i = 0; i < N; i++) await g.generate([set[i]!.input], w.slice(i * g.latent.wDim, (i + 1) * g.latent.wDim));
  const one = (N * 1000) / (performance.now() - t);
  t = performance.now();
  await g.generate(set.map((s) => s.input), w);
  const batched = (N * 1000) / (performance.now() - t);
  let steps = 0;
  let lowered = 0;
  let before = 0;
  let after = 0;
  t = performance.now();
  for (let i = 0; i < hmloCrops; i++) {
    const r = await hmlo(g, set[i]!.input, w.slice(i * g.latent.wDim, (i + 1) * g.latent.wDim), set[i]!.ref, new Rng(`s${i}`));
    steps += r.steps;
    before += r.lossBefore;
    after += r.lossAfter;
    if (r.lossAfter < r.lossBefore) lowered++;
  }
  const hm = (hmloCrops * 1000) / (performance.now() - t);
  console.log(
    `${label.padEnd(44)} ${g.height}x${g.width}  generate ${one.toFixed(1)} crops/s (one at a time), ${batched.toFixed(1)} crops/s (batch of ${N});  ` +
      `HM-LO ${hm.toFixed(2)} crops/s (${(steps / hmloCrops).toFixed(0)} ${g.differentiable ? 'Adam steps' : 'evaluations'} per crop; lowered on ${lowered} of ${hmloCrops}, mean loss ${(before / hmloCrops).toFixed(4)} -> ${(after / hmloCrops).toFixed(4)})`,
  );
}

let gen: Generator;
if (values.gen) gen = await loadBuiltinGenerator(values.gen);
else gen = builtinGenerator(new GeneratorNet(defaultConfig('body')), 'builtin (untrained, default body config)');
await bench(values.gen ? `builtin ${values.gen}` : 'builtin (untrained, default 72x40 body config)', gen, 4);
gen.dispose();
const face = builtinGenerator(new GeneratorNet(defaultConfig('face')), 'builtin face');
await bench('builtin (untrained, default 128x128 face config)', face, 1);
face.dispose();
await bench('rerender (synthetic persons, DP2 288x160)', rerenderGenerator({ kind: 'body' }), 2);
await bench('rerender at 72x40', rerenderGenerator({ kind: 'body', size: [72, 40] }), 4);
const dir = await mkdtemp(join(tmpdir(), 'bench-realistic-'));
try {
  await writeFile(join(dir, 'g.onnx'), tinyOnnxGenerator(288, 160, 8, Array.from({ length: 24 }, (_, i) => Math.sin(i))));
  const o = await loadOnnxGenerator(join(dir, 'g.onnx'));
  await bench('onnx (tiny graph, 288x160; runtime overhead)', o, 4);
  o.dispose();
} catch (e) {
  console.log(`onnx: skipped (${(e as Error).message.split('\n')[0]})`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
