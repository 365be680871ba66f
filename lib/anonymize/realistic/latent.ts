// Latent sampling with the truncation trick (Hukkelås & Lindseth 2023, Sec. 4.4, Table 4):
//   none:        w = map(z), z ~ N(0, I)
//   unimodal:    w' = (1 - s) w + s w_mean        (Brock et al. 2019 / StyleGAN's truncation)
//   multimodal:  w' = (1 - s) w + s c            (Mokady et al. 2022, "multi-modal truncation")
// with s the truncation strength in [0, 1] (s = 0: no truncation; s = 1: exactly the centre),
// w_mean the mean of map(z) over many samples, and c one of K k-means centres of sampled w
// (K = 512 as in DP2's tools/compute_cluster_means.py): by default the centre NEAREST to w
// (Mokady et al.), or, as DP2's code does (`multi_modal_truncate` with w_indices=None), a centre
// drawn uniformly at random ('random'). DP2's truncation_value t is our 1 - s: the paper's runs
// use MMT with t = 0 (s = 1) for bodies and no truncation for faces.
// The statistics are computed once per generator and cached in its folder (Generator.cache).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../data/atomic.ts';
import { Rng } from '../../data/rng.ts';
import type { Generator, LatentSpace } from './generator.ts';
import { kmeans, nearestCentre } from './kmeans.ts';

export type TruncationMode = 'none' | 'unimodal' | 'multimodal';
export const TRUNCATION_MODES: readonly TruncationMode[] = ['none', 'unimodal', 'multimodal'];

/** Uniform [0, 1) source (lib/data/synth/rng.ts Rng fits). */
export interface UniformSource {
  next(): number;
}

export interface TruncationOptions {
  mode: TruncationMode;
  /** s in [0, 1]. */
  strength: number;
  /** k-means centres for multimodal (default 512). */
  centres?: number;
  /** Which centre a w is pulled to (default 'nearest'). */
  centre?: 'nearest' | 'random';
  /** Samples of map(z) for w_mean and k-means (default 16384, at least `centres`). */
  samples?: number;
  /** Seed of those samples and of k-means (default 0). */
  seed?: number;
}

export const TRUNCATION_DEFAULTS = { centres: 512, samples: 16384, seed: 0, centre: 'nearest' as const };

export interface LatentStats {
  wDim: number;
  samples: number;
  seed: number;
  mean: Float32Array;
  /** k * wDim k-means centres (k = 0 when not computed). */
  k: number;
  centres: Float32Array;
}

/** n standard-normal latents (Box-Muller on the source; n * zDim values). */
export function sampleZ(rng: UniformSource, n: number, zDim: number): Float32Array {
  const out = new Float32Array(n * zDim);
  for (let i = 0; i < out.length; i++) {
    const u = 1 - rng.next();
    const v = rng.next();
    out[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  return out;
}

/** `samples` latents w from the seeded source, mapped in batches. */
export async function sampleW(space: LatentSpace, samples: number, seed: number): Promise<Float32Array> {
  const rng = new Rng(`anon-impact-latent-stats/${seed}`);
  const out = new Float32Array(samples * space.wDim);
  const B = 1024;
  for (let i = 0; i < samples; i += B) {
    const n = Math.min(B, samples - i);
    out.set(await space.map(sampleZ(rng, n, space.zDim), n), i * space.wDim);
  }
  return out;
}

/** w_mean over `samples` seeded draws and, with k > 0, k-means centres of the same draws. */
export async function computeLatentStats(space: LatentSpace, k: number, samples: number, seed: number, onIter?: (i: number, inertia: number) => void): Promise<LatentStats> {
  if (space.kind === 'seed') throw new Error('this generator has no latent space to truncate (its latent only seeds a random draw)');
  const d = space.wDim;
  const n = Math.max(samples, k);
  const w = await sampleW(space, n, seed);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t]! += w[i * d + t]!;
  for (let t = 0; t < d; t++) mean[t]! /= n;
  const centres = k > 0 ? kmeans(w, n, d, k, { seed, onIter }).centres : new Float32Array(0);
  return { wDim: d, samples: n, seed, mean: Float32Array.from(mean), k, centres };
}

/** computeLatentStats, cached as JSON in the generator's folder when it has one. */
export async function latentStats(g: Pick<Generator, 'latent' | 'cache'>, k: number, samples: number, seed: number, log?: (s: string) => void): Promise<LatentStats> {
  const file = g.cache ? join(g.cache.dir, `latent-stats-${g.cache.key}-k${k}-n${Math.max(samples, k)}-s${seed}.json`) : null;
  if (file && existsSync(file)) {
    const j = JSON.parse(await readFile(file, 'utf8')) as { wDim: number; samples: number; seed: number; k: number; mean: number[]; centres: number[] };
    if (j.wDim === g.latent.wDim && j.k === k && j.mean.length === j.wDim && j.centres.length === k * j.wDim) {
      return { wDim: j.wDim, samples: j.samples, seed: j.seed, k: j.k, mean: Float32Array.from(j.mean), centres: Float32Array.from(j.centres) };
    }
  }
  const t0 = Date.now();
  const s = await computeLatentStats(g.latent, k, samples, seed, log ? (i, inertia) => log(`latent k-means (k=${k}): iteration ${i}, inertia ${inertia.toFixed(3)}, ${((Date.now() - t0) / 1000).toFixed(1)} s`) : undefined);
  if (file) {
    try {
      await writeJsonAtomic(file, { wDim: s.wDim, samples: s.samples, seed: s.seed, k: s.k, mean: Array.from(s.mean), centres: Array.from(s.centres) });
    } catch (e) {
      log?.(`latent statistics not cached (${(e as Error).message})`);
    }
  }
  return s;
}

export function checkTruncation(o: TruncationOptions): void {
  if (!TRUNCATION_MODES.includes(o.mode)) throw new RangeError(`truncation mode must be one of ${TRUNCATION_MODES.join(', ')}, got '${String(o.mode)}'`);
  if (!(o.strength >= 0 && o.strength <= 1)) throw new RangeError(`truncation strength must be in [0, 1], got ${o.strength}`);
  const k = o.centres ?? TRUNCATION_DEFAULTS.centres;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`truncation centres must be an integer >= 1, got ${k}`);
}

/**
 * Truncates n latents w (n * d values) toward w_mean or a centre: (1 - s) w + s c, so s = 1
 * gives exactly c. `rng` is used only for the 'random' centre choice.
 */
export function truncate(w: Float32Array, n: number, stats: LatentStats, o: TruncationOptions, rng?: UniformSource): Float32Array {
  const d = stats.wDim;
  if (w.length !== n * d) throw new Error(`truncate: ${w.length} values for ${n} latents of dimension ${d}`);
  if (o.mode === 'none' || o.strength === 0) return w.slice();
  const s = o.strength;
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    let c: Float32Array;
    let co = 0;
    if (o.mode === 'unimodal') c = stats.mean;
    else {
      if (stats.k === 0) throw new Error('multimodal truncation needs k-means centres');
      c = stats.centres;
      const j = (o.centre ?? 'nearest') === 'random' ? Math.min(stats.k - 1, Math.floor((rng ?? failRng()).next() * stats.k)) : nearestCentre(w, i * d, stats.centres, stats.k, d);
      co = j * d;
    }
    for (let t = 0; t < d; t++) out[i * d + t] = (1 - s) * w[i * d + t]! + s * c[co + t]!;
  }
  return out;
}

function failRng(): UniformSource {
  throw new Error("truncate: the 'random' centre choice needs a random source");
}

/** Draws truncated latents for a generator. */
export class LatentSampler {
  private constructor(
    readonly space: LatentSpace,
    readonly opts: TruncationOptions,
    readonly stats: LatentStats | null,
  ) {}

  static async create(g: Pick<Generator, 'latent' | 'cache'>, opts: TruncationOptions, log?: (s: string) => void): Promise<LatentSampler> {
    checkTruncation(opts);
    if (opts.mode === 'none' || opts.strength === 0) return new LatentSampler(g.latent, opts, null);
    const k = opts.mode === 'multimodal' ? (opts.centres ?? TRUNCATION_DEFAULTS.centres) : 0;
    const stats = await latentStats(g, k, opts.samples ?? TRUNCATION_DEFAULTS.samples, opts.seed ?? TRUNCATION_DEFAULTS.seed, log);
    return new LatentSampler(g.latent, opts, stats);
  }

  /** n latents w (n * wDim). */
  async sample(rng: UniformSource, n: number): Promise<Float32Array> {
    const w = await this.space.map(sampleZ(rng, n, this.space.zDim), n);
    return this.stats ? truncate(w, n, this.stats, this.opts, rng) : w;
  }
}
