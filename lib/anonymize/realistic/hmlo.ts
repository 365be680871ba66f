// Histogram matching via latent optimization, "HM-LO" (Hukkelås & Lindseth 2023, Sec. 3.4, Eq. 1):
// starting from a sampled (truncated) w, adjust w so that the generated crop's S and V histograms
// match the reference's, minimising L = W1(S) + W1(V) (hsv-histogram.ts):
// - generators with gradients (the built-in one): Adam on w, lr 1e-3 (torch defaults, as DP2's
//   LatentHistogramMatchAnonymizer), up to 100 steps, stopping as soon as L < 0.02 (and, as DP2,
//   when the gradient is all zero). Each iteration evaluates L at the current w, stops if it is
//   below the threshold, else takes one Adam step; the result is the crop at the final w.
// - generators without (ONNX, re-render): a seeded random search with the same loss and budget:
//   (1 + lambda) evolution, lambda = 4 candidates per round drawn around the best w so far with
//   step sigma (initially half the RMS of w), sigma x 1.5 after a round that improves and x 0.85
//   after one that does not (a one-fifth-rule style adaptation); at most `maxSteps` evaluations.
// The reference histograms come from the original crop ('crop', DP2's: reads the region) or from
// the crop's context pixels only ('context'), hm.ts.
import * as tf from '@tensorflow/tfjs';
import { Adam, TORCH_ADAM } from './adam.ts';
import type { Generator, GeneratorInput } from './generator.ts';
import { hmloLoss, tfHmloLoss, type SVHistograms } from './hsv-histogram.ts';
import { sampleZ, type UniformSource } from './latent.ts';

export interface HmloOptions {
  /** Most optimisation steps (gradient) or loss evaluations (search); default 100. */
  maxSteps?: number;
  /** Stop when the loss is below this (default 0.02). */
  threshold?: number;
  /** Adam learning rate (default 1e-3). */
  lr?: number;
  /** Candidates per search round (default 4). */
  lambda?: number;
}

export const HMLO_DEFAULTS = { maxSteps: 100, threshold: 0.02, lr: 1e-3, lambda: 4 };

export interface HmloResult {
  /** The crop at the final w: RGB in [0, 1], W * H * 3. */
  output: Float32Array;
  w: Float32Array;
  lossBefore: number;
  lossAfter: number;
  /** Adam steps taken, or loss evaluations made by the search. */
  steps: number;
  method: 'adam' | 'search';
}

export async function hmlo(gen: Generator, input: GeneratorInput, w0: Float32Array, ref: SVHistograms, rng: UniformSource, opts: HmloOptions = {}): Promise<HmloResult> {
  const maxSteps = opts.maxSteps ?? HMLO_DEFAULTS.maxSteps;
  const thr = opts.threshold ?? HMLO_DEFAULTS.threshold;
  if (w0.length !== gen.latent.wDim) throw new Error(`hmlo: w has ${w0.length} values, the generator's wDim is ${gen.latent.wDim}`);
  return gen.differentiable ? adamSearch(gen, input, w0, ref, maxSteps, thr, opts.lr ?? HMLO_DEFAULTS.lr) : randomSearch(gen, input, w0, ref, rng, maxSteps, thr, opts.lambda ?? HMLO_DEFAULTS.lambda);
}

async function adamSearch(gen: Generator, input: GeneratorInput, w0: Float32Array, ref: SVHistograms, maxSteps: number, thr: number, lr: number): Promise<HmloResult> {
  const dg = gen.differentiable!;
  const batch = dg.prepare([input]);
  const d = gen.latent.wDim;
  const w = tf.variable(tf.tensor2d(w0, [1, d]), true);
  const refS = tf.tensor1d(Float32Array.from(ref.s));
  const refV = tf.tensor1d(Float32Array.from(ref.v));
  const opt = new Adam([w], { ...TORCH_ADAM, lr });
  let lossBefore = NaN;
  let loss = NaN;
  let steps = 0;
  try {
    for (let t = 0; ; t++) {
      // the loss and whether the gradient vanished are read with data() (webgpu in Node reads
      // asynchronously only), then the step is taken
      const { value, grads } = tf.variableGrads(() => tf.sum(tfHmloLoss(dg.forward(batch, w), refS, refV)) as tf.Scalar, [w]);
      const g = grads[w.name]!;
      const nonZero = tf.any(tf.notEqual(g, 0));
      const [l, nz] = await Promise.all([value.data(), nonZero.data()]);
      loss = l[0]!;
      const zeroGrad = nz[0] === 0;
      if (!(loss < thr) && t < maxSteps && !zeroGrad) tf.tidy(() => opt.step([g]));
      tf.dispose([value, g, nonZero]);
      if (t === 0) lossBefore = loss;
      if (loss < thr || t >= maxSteps || zeroGrad) break;
      steps++;
    }
    const y = tf.tidy(() => tf.clipByValue(dg.forward(batch, w), 0, 1));
    const output = (await y.data()) as Float32Array;
    y.dispose();
    return { output: output.slice(), w: ((await w.data()) as Float32Array).slice(), lossBefore, lossAfter: loss, steps, method: 'adam' };
  } finally {
    batch.dispose();
    w.dispose();
    refS.dispose();
    refV.dispose();
    opt.dispose();
  }
}

async function randomSearch(gen: Generator, input: GeneratorInput, w0: Float32Array, ref: SVHistograms, rng: UniformSource, maxEvals: number, thr: number, lambda: number): Promise<HmloResult> {
  const d = gen.latent.wDim;
  let best = w0.slice();
  let [bestOut] = await gen.generate([input], best);
  let bestLoss = hmloLoss(ref, bestOut!);
  const lossBefore = bestLoss;
  let rms = 0;
  for (let i = 0; i < d; i++) rms += w0[i]! * w0[i]!;
  let sigma = Math.max(1e-3, 0.5 * Math.sqrt(rms / Math.max(1, d)));
  let evals = 1;
  while (bestLoss >= thr && evals < maxEvals) {
    const m = Math.min(lambda, maxEvals - evals);
    const noise = sampleZ(rng, m, d);
    const cand = new Float32Array(m * d);
    for (let k = 0; k < m; k++) for (let i = 0; i < d; i++) cand[k * d + i] = best[i]! + sigma * noise[k * d + i]!;
    const outs = await gen.generate(Array.from({ length: m }, () => input), cand);
    evals += m;
    let improved = false;
    outs.forEach((o, k) => {
      const l = hmloLoss(ref, o);
      if (l < bestLoss) {
        bestLoss = l;
        bestOut = o;
        best = cand.slice(k * d, (k + 1) * d);
        improved = true;
      }
    });
    sigma *= improved ? 1.5 : 0.85;
  }
  return { output: bestOut!, w: best, lossBefore, lossAfter: bestLoss, steps: evals, method: 'search' };
}
