// The realistic anonymization methods for the dataset runner (lib/anonymize/anonymizer.ts
// AnonymizerModule): every region of an image is cropped (crop.ts), inpainted by a generator
// (generator.ts) from a sampled latent (latent.ts) and pasted back inside its mask; regions are
// done smallest first (DP2 pastes the largest last), each crop seeing the earlier results as
// context and every region not yet done as hidden (zeroed, to be generated).
//   realistic            the generated crop as it is
//   realistic+hm         HM (hm.ts) against the crop's context pixels: never reads a region
//   realistic+hmlo       HM-LO (hmlo.ts) against the crop's context pixels: never reads a region
//   realistic+hm-dp2     HM as DP2's code does it: the reference is the original crop, the
//                        person included (reads the region's colour distribution)
//   realistic+hmlo-dp2   HM-LO likewise (reads the region's S/V histograms)
// Parameters: generator = 'builtin:GEN_DIR' | 'onnx:FILE' | 'rerender'; truncation = 'auto'
// (DP2's paper settings: none for faces, multimodal for bodies) | 'none' | 'unimodal' |
// 'multimodal'; strength (default 1: DP2's truncation_value 0); centres (512); centre
// ('nearest' | 'random'); samples and seed of the latent statistics; size of the re-render crop;
// HM-LO's maxSteps, threshold and lr. Licence plates (region kind 'plate') are made by the plate
// generator (plate-generator.ts: `plateGenerator: 'rerender'`, or `generator: 'rerender'`); without
// one a plate region is refused. Latents come from the image's random stream, forked per
// instance, so an image's output does not depend on region order or workers.
import { z } from 'zod';
import type { Image } from '../../data/image.ts';
import { decode } from '../../data/masks/index.ts';
import type { Region, RegionKind } from '../../regions/region.ts';
import { FAST_BACKENDS, runningBackend } from '../../nn/runtime/start.ts';
import type { Anonymizer, AnonymizerModule } from '../anonymizer.ts';
import type { ImageRng } from '../rng.ts';
import { loadBuiltinGenerator } from './builtin-generator.ts';
import { originalCrop, pasteCrop, prepareCrop, toBytes } from './crop.ts';
import type { Generator } from './generator.ts';
import { histogramMatchCrop, type HistogramReference } from './hm.ts';
import { hmlo, HMLO_DEFAULTS } from './hmlo.ts';
import { svHistograms } from './hsv-histogram.ts';
import { LatentSampler, TRUNCATION_DEFAULTS, type TruncationMode } from './latent.ts';
import { loadOnnxGenerator } from './onnx-generator.ts';
import { noPlateGenerator, PLATE_GENERATORS, plateGeneratorOf } from './plate-generator.ts';
import { rerenderGenerator } from './rerender-generator.ts';
import { PLATE_RERENDER_SIZE } from './rerender-plate.ts';

export type RealisticMethod = 'realistic' | 'realistic+hm' | 'realistic+hmlo' | 'realistic+hm-dp2' | 'realistic+hmlo-dp2';
export const REALISTIC_METHODS: readonly RealisticMethod[] = ['realistic', 'realistic+hm', 'realistic+hmlo', 'realistic+hm-dp2', 'realistic+hmlo-dp2'];

const size = z.tuple([z.number().int().min(8).max(2048), z.number().int().min(8).max(2048)]);

export const realisticSchema = z
  .object({
    generator: z.string().regex(/^(builtin:.+|onnx:.+|rerender)$/, "'builtin:GEN_DIR', 'onnx:FILE' or 'rerender'"),
    truncation: z.enum(['auto', 'none', 'unimodal', 'multimodal']).default('auto'),
    strength: z.number().min(0).max(1).default(1),
    centres: z.number().int().min(1).default(TRUNCATION_DEFAULTS.centres),
    centre: z.enum(['nearest', 'random']).default(TRUNCATION_DEFAULTS.centre),
    samples: z.number().int().min(1).default(TRUNCATION_DEFAULTS.samples),
    statsSeed: z.number().int().min(0).default(TRUNCATION_DEFAULTS.seed),
    /** Re-render crop sizes [height, width] per kind (default DP2's: face 128x128, body 288x160). */
    faceSize: size.default([128, 128]),
    bodySize: size.default([288, 160]),
    /** The generator of licence-plate regions (default: 'rerender' when `generator` is, else none). */
    plateGenerator: z.enum(PLATE_GENERATORS).optional(),
    /** Re-render crop size [height, width] of plates (default 32x128). */
    plateSize: size.optional(),
    maxSteps: z.number().int().min(0).default(HMLO_DEFAULTS.maxSteps),
    threshold: z.number().min(0).default(HMLO_DEFAULTS.threshold),
    lr: z.number().positive().default(HMLO_DEFAULTS.lr),
  })
  .strict();

export type RealisticParams = z.output<typeof realisticSchema>;

export function resolveRealisticParams(method: RealisticMethod, params: unknown): RealisticParams {
  const r = realisticSchema.safeParse(params ?? {});
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(params)'}: ${i.message}`).join('; ');
    throw new Error(`${method}: bad parameters: ${msg}`);
  }
  return r.data;
}

/** Per-crop HM-LO figures of one anonymizer's lifetime. */
export interface HmloRecord {
  instanceId: number;
  lossBefore: number;
  lossAfter: number;
  steps: number;
}

export interface RealisticAnonymizer extends Anonymizer {
  /** HM-LO records of the crops done so far (realistic+hmlo*). */
  readonly hmloRecords: HmloRecord[];
}

let backendReady: Promise<void> | null = null;

/**
 * The built-in generator runs on tfjs, with gradients for HM-LO: the backend is chosen once per
 * process if nobody has (lib/nn/runtime/backend.ts, as for training), and a wasm backend started
 * by someone else (the face detector: lib/nn/runtime/start.ts) gets the project's wasm kernels
 * (lib/nn/runtime/wasm-kernels.ts): the stock wasm backend has no Conv2DBackpropFilter, which the
 * generator's convolution gradient calls, and the generator then computes with the kernels it
 * was trained with, whichever stage started wasm.
 */
async function ensureBackend(): Promise<void> {
  const running = runningBackend();
  if (running === 'wasm') {
    const kernels = await import('../../nn/runtime/wasm-kernels.ts');
    kernels.registerWasmTrainingKernels();
    return;
  }
  if (running !== null && FAST_BACKENDS.includes(running)) return;
  backendReady ??= import('../../nn/runtime/backend.ts').then(async (m) => {
    await m.initBackend({ log: false });
  });
  await backendReady;
}

async function openGenerator(spec: string, kind: RegionKind, p: RealisticParams): Promise<Generator> {
  if (spec === 'rerender') return rerenderGenerator({ kind, size: kind === 'face' ? p.faceSize : kind === 'plate' ? (p.plateSize ?? PLATE_RERENDER_SIZE) : p.bodySize });
  if (spec.startsWith('builtin:')) {
    await ensureBackend();
    return loadBuiltinGenerator(spec.slice('builtin:'.length));
  }
  return loadOnnxGenerator(spec.slice('onnx:'.length), { kind });
}

export async function createRealisticAnonymizer(method: RealisticMethod, params: RealisticParams, log?: (s: string) => void): Promise<RealisticAnonymizer> {
  const gens = new Map<RegionKind, { gen: Generator; sampler: LatentSampler }>();
  const hmloRecords: HmloRecord[] = [];
  const reference: HistogramReference = method.endsWith('-dp2') ? 'crop' : 'context';
  const mode = method === 'realistic' ? 'plain' : method.startsWith('realistic+hmlo') ? 'hmlo' : 'hm';
  // a built-in or ONNX generator serves one kind; load it now so that a bad path fails early
  let fixed: Generator | null = null;
  if (params.generator !== 'rerender') fixed = await openGenerator(params.generator, 'body', params);
  const forKind = async (kind: RegionKind) => {
    let e = gens.get(kind);
    if (e) return e;
    let gen: Generator;
    if (kind === 'plate') {
      const spec = plateGeneratorOf(params);
      if (!spec) throw new Error(noPlateGenerator(method, params));
      gen = await openGenerator(spec, 'plate', params);
    } else if (fixed) {
      if (fixed.kind !== kind && params.generator.startsWith('builtin:')) throw new Error(`${method}: ${fixed.name} is a ${fixed.kind} generator, the region is a ${kind}`);
      gen = fixed;
    } else gen = await openGenerator(params.generator, kind, params);
    const tm: TruncationMode = params.truncation === 'auto' ? (kind === 'face' ? 'none' : 'multimodal') : params.truncation;
    const truncation = gen.latent.kind === 'seed' ? 'none' : tm;
    const sampler = await LatentSampler.create(gen, { mode: truncation, strength: params.strength, centres: params.centres, centre: params.centre, samples: params.samples, seed: params.statsSeed }, log);
    e = { gen, sampler };
    gens.set(kind, e);
    return e;
  };
  return {
    method,
    params: { ...params },
    hmloRecords,
    async apply(image: Image, regions: readonly Region[], rng: ImageRng): Promise<Image> {
      const out: Image = { width: image.width, height: image.height, channels: image.channels, data: new Uint8Array(image.data) };
      if (regions.length === 0) return out;
      const W = image.width;
      const H = image.height;
      const masks = regions.map((r) => {
        if (r.mask.w !== W || r.mask.h !== H) throw new Error(`region of instance ${r.instanceId} is ${r.mask.w}x${r.mask.h}, the image is ${W}x${H}`);
        return decode(r.mask);
      });
      const areas = masks.map((m) => m.reduce((a, v) => a + v, 0));
      const order = regions.map((_, i) => i).sort((a, b) => areas[a]! - areas[b]! || a - b);
      // pending[p] = number of regions not yet done that cover pixel p
      const pending = new Uint8Array(W * H);
      const cover = new Uint16Array(W * H);
      for (const m of masks) for (let p = 0; p < m.length; p++) if (m[p]) cover[p]!++;
      for (let p = 0; p < cover.length; p++) pending[p] = cover[p]! > 0 ? 1 : 0;
      for (const i of order) {
        const r = regions[i]!;
        const m = masks[i]!;
        if (areas[i] === 0) continue;
        const { gen, sampler } = await forKind(r.kind);
        const crop = prepareCrop(out, r, m, pending, { width: gen.width, height: gen.height, keypoints: gen.usesKeypoints });
        const rr = rng.fork(`realistic/${r.instanceId}`);
        const w = await sampler.sample(rr, 1);
        let y8: Uint8Array;
        if (mode === 'plain') y8 = toBytes((await gen.generate([crop.input], w))[0]!);
        else {
          const ref = reference === 'crop' ? originalCrop(out, crop.box, gen.width, gen.height) : crop.context;
          if (mode === 'hm') y8 = histogramMatchCrop(toBytes((await gen.generate([crop.input], w))[0]!), gen.width, gen.height, ref, crop.coreMask);
          else if (ref.width * ref.height === 0) y8 = toBytes((await gen.generate([crop.input], w))[0]!);
          else {
            const res = await hmlo(gen, crop.input, w, svHistograms(ref.data, 1 / 255), rr, { maxSteps: params.maxSteps, threshold: params.threshold, lr: params.lr });
            hmloRecords.push({ instanceId: r.instanceId, lossBefore: res.lossBefore, lossAfter: res.lossAfter, steps: res.steps });
            y8 = toBytes(res.output);
          }
        }
        pasteCrop(out, crop, y8, gen.width, gen.height);
        for (let p = 0; p < m.length; p++) if (m[p] && --cover[p]! === 0) pending[p] = 0;
      }
      return out;
    },
    dispose() {
      const seen = new Set<Generator>();
      for (const { gen } of gens.values()) seen.add(gen);
      if (fixed) seen.add(fixed);
      for (const g of seen) g.dispose();
      gens.clear();
    },
  };
}

/** The runner's module for one of the realistic methods. */
export function anonymizerModule(method: RealisticMethod): AnonymizerModule {
  return {
    readsRegion: method.endsWith('-dp2'),
    resolveParams: (p) => ({ ...resolveRealisticParams(method, p) }),
    createAnonymizer: (p) => createRealisticAnonymizer(method, resolveRealisticParams(method, p)),
  };
}
