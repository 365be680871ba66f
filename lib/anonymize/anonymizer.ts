// What the dataset runner calls per image: an Anonymizer, made once per worker by name and
// parameters, applied to an image and all of its regions, disposed at the end. The image-level
// methods of methods.ts (pure functions of image, mask and parameters) are wrapped here; a method
// that needs a loaded resource (a generator network) or works asynchronously implements the
// same interface in its own module and adds one line to `external` below (a lazy import), so
// every worker thread can load it by name.
import type { Image } from '../data/image.ts';
import type { Rle } from '../data/types.ts';
import type { Region } from '../regions/region.ts';
import { getMethod, isMethodName, METHOD_NAMES, resolveParams, type MethodName } from './methods.ts';
import type { ImageRng } from './rng.ts';

export interface Anonymizer {
  readonly method: string;
  /** Parameters with defaults filled in, as recorded in provenance. */
  readonly params: Record<string, unknown>;
  /**
   * A new image with every region anonymized (the input is not modified). Methods that must
   * not read the region (maskout, cropout, inpaint, realistic) get an image whose output
   * inside the regions cannot depend on the input pixels inside them.
   */
  apply(image: Image, regions: readonly Region[], rng: ImageRng): Promise<Image>;
  /** Frees what the anonymizer loaded (tensors, sessions). */
  dispose(): Promise<void> | void;
}

/** A module that provides an anonymization method not in methods.ts. */
export interface AnonymizerModule {
  /** Defaults filled in and checked; throws an Error naming the bad field. */
  resolveParams(params: unknown): Record<string, unknown>;
  createAnonymizer(params: Record<string, unknown>): Promise<Anonymizer>;
  /** Whether the output inside a region depends on the region's own input pixels. */
  readsRegion: boolean;
}

/** The realistic methods (realistic/methods.ts): each needs a generator (its `generator` parameter). */
const REALISTIC = ['realistic', 'realistic+hm', 'realistic+hmlo', 'realistic+hm-dp2', 'realistic+hmlo-dp2'] as const;

/** Methods implemented outside methods.ts: name -> lazy import of their module. */
const realistic = (name: (typeof REALISTIC)[number]) => () => import('./realistic/methods.ts').then((m) => m.anonymizerModule(name));
const external: Record<string, () => Promise<AnonymizerModule>> = Object.fromEntries(REALISTIC.map((name) => [name, realistic(name)]));

export function anonymizerNames(): string[] {
  return [...METHOD_NAMES, ...Object.keys(external)];
}

/** Whether the method is a realistic one, which needs a generator (known without loading it). */
export function isRealisticMethod(name: string): boolean {
  return (REALISTIC as readonly string[]).includes(name);
}

function unknown(name: string): Error {
  return new Error(`unknown anonymization method '${name}' (known: ${anonymizerNames().join(', ')})`);
}

/** Parameters with defaults filled in (what provenance records and what workers are given). */
export async function resolveAnonymizerParams(name: string, params: unknown): Promise<Record<string, unknown>> {
  if (isMethodName(name)) return { ...resolveParams(name, params) } as Record<string, unknown>;
  const load = external[name];
  if (!load) throw unknown(name);
  return (await load()).resolveParams(params);
}

/** Whether the method's output inside a region depends on the input pixels there. */
export async function methodReadsRegion(name: string): Promise<boolean> {
  if (isMethodName(name)) return getMethod(name).readsRegion;
  const load = external[name];
  if (!load) throw unknown(name);
  return (await load()).readsRegion;
}

/**
 * Paints the 1-pixels of a column-major RLE into a row-major h*w mask (value 1), OR-ing with
 * what is there (the union of several regions without decoding each to a full mask).
 */
export function paintRle(rle: Rle, mask: Uint8Array): void {
  const { h, w, counts } = rle;
  if (mask.length !== h * w) throw new Error(`region mask is ${w}x${h}, the image mask has ${mask.length} pixels`);
  let pos = 0;
  for (let j = 0; j < counts.length; j++) {
    const n = counts[j]!;
    if (j & 1 && n > 0) {
      let y = pos % h;
      let x = (pos - y) / h;
      for (let k = 0; k < n; k++) {
        mask[y * w + x] = 1;
        if (++y === h) {
          y = 0;
          x++;
        }
      }
    }
    pos += n;
  }
  if (pos !== h * w) throw new Error(`region RLE counts sum to ${pos}, expected ${h}x${w} = ${h * w}`);
}

/** Union of the regions' masks, row-major, one byte per pixel (1 inside). */
export function unionMask(regions: readonly Region[], width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (const r of regions) {
    if (r.mask.w !== width || r.mask.h !== height) {
      throw new Error(`region of instance ${r.instanceId} is ${r.mask.w}x${r.mask.h}, the image is ${width}x${height}`);
    }
    paintRle(r.mask, mask);
  }
  return mask;
}

/**
 * Whether a method of methods.ts is applied once per region (in region order) rather than
 * once to the union of all regions. Per region: pixelate (one block grid per person, aligned to
 * that person's box) and DeepPrivacy2's blur variant (the blur works in each person's crop).
 * Everything else sees the union, so that no region's output reads another region's input
 * pixels (inpaint fills all holes at once; blur at image resolution is not applied twice to
 * pixels where people overlap).
 */
export function perRegion(name: MethodName, params: Record<string, unknown>): boolean {
  return name === 'pixelate' || (name === 'blur' && params.variant === 'deepprivacy2');
}

function pureAnonymizer(name: MethodName, params: Record<string, unknown>): Anonymizer {
  const m = getMethod(name);
  const each = perRegion(name, params);
  return {
    method: name,
    params,
    async apply(image, regions) {
      if (regions.length === 0) return { ...image, data: new Uint8Array(image.data) };
      if (!each) return m.apply(image, unionMask(regions, image.width, image.height), params);
      let out = image;
      const mask = new Uint8Array(image.width * image.height);
      for (const r of regions) {
        mask.fill(0);
        if (r.mask.w !== image.width || r.mask.h !== image.height) {
          throw new Error(`region of instance ${r.instanceId} is ${r.mask.w}x${r.mask.h}, the image is ${image.width}x${image.height}`);
        }
        paintRle(r.mask, mask);
        out = m.apply(out, mask, params);
      }
      return out;
    },
    dispose() {},
  };
}

/** The anonymizer for a method by name; `params` are resolved (defaults filled) here. */
export async function createAnonymizer(name: string, params: unknown = {}): Promise<Anonymizer> {
  if (isMethodName(name)) return pureAnonymizer(name, { ...resolveParams(name, params) } as Record<string, unknown>);
  const load = external[name];
  if (!load) throw unknown(name);
  const mod = await load();
  return mod.createAnonymizer(mod.resolveParams(params));
}
