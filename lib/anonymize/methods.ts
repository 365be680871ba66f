// The image-level anonymization methods by name, with their parameters (schema + defaults), so
// the CLI, the dataset runner and notebooks look them up the same way. Every method is a pure
// function (image, mask, params) -> new image; none of these draws random numbers, so `rng` is
// accepted for the common Anonymizer signature and ignored.
import { z } from 'zod';
import type { Image } from '../data/image.ts';
import { blur, BLUR_DEFAULTS, kernelSizeForSigma } from './blur.ts';
import { cropOut, CROPOUT_DEFAULTS } from './cropout.ts';
import { inpaint, INPAINT_DEFAULTS } from './inpaint.ts';
import { maskOut, MASKOUT_DEFAULTS } from './maskout.ts';
import { pixelate, PIXELATE_DEFAULTS } from './pixelate.ts';

export type MethodName = 'maskout' | 'blur' | 'pixelate' | 'cropout' | 'inpaint';

export const METHOD_NAMES: readonly MethodName[] = ['maskout', 'blur', 'pixelate', 'cropout', 'inpaint'];

const channelValue = z.number().int().min(0).max(255);
const fill = z.union([channelValue, z.array(channelValue).min(1).max(4)]);

const schemas = {
  maskout: z.object({ fill: fill.default(MASKOUT_DEFAULTS.fill) }).strict(),
  cropout: z.object({ fill: fill.default(CROPOUT_DEFAULTS.fill) }).strict(),
  blur: z
    .object({
      sigma: z.number().positive().finite().default(BLUR_DEFAULTS.sigma),
      ksize: z
        .number()
        .int()
        .positive()
        .refine((k) => k % 2 === 1, 'ksize must be odd')
        .optional(),
      variant: z.enum(['native', 'deepprivacy2']).default(BLUR_DEFAULTS.variant),
    })
    .strict(),
  pixelate: z
    .object({
      block: z.number().int().min(1).default(PIXELATE_DEFAULTS.block),
      average: z.enum(['block', 'region']).default(PIXELATE_DEFAULTS.average),
    })
    .strict(),
  inpaint: z.object({ radius: z.number().min(1).max(100).default(INPAINT_DEFAULTS.radius) }).strict(),
} as const;

export type MethodParams = { [K in MethodName]: z.output<(typeof schemas)[K]> };

export interface AnonymizationMethod<K extends MethodName = MethodName> {
  name: K;
  summary: string;
  /** True when the output inside the region depends on the region's own pixels. */
  readsRegion: boolean;
  /** Validates parameters and fills defaults; unknown keys are an error. */
  schema: (typeof schemas)[K];
  /** The defaults, as recorded in provenance. */
  defaults: MethodParams[K];
  apply(img: Image, mask: Uint8Array, params?: Partial<MethodParams[K]>, rng?: unknown): Image;
}

function define<K extends MethodName>(
  name: K,
  summary: string,
  readsRegion: boolean,
  run: (img: Image, mask: Uint8Array, p: MethodParams[K]) => Image,
): AnonymizationMethod<K> {
  const schema = schemas[name];
  return {
    name,
    summary,
    readsRegion,
    schema,
    defaults: schema.parse({}) as MethodParams[K],
    apply(img, mask, params = {}) {
      return run(img, mask, resolveParams(name, params));
    },
  };
}

export const methods: { [K in MethodName]: AnonymizationMethod<K> } = {
  maskout: define('maskout', 'region set to a constant (default 127), Hukkelås & Lindseth 2023', false, (img, m, p) => maskOut(img, m, p)),
  cropout: define('cropout', 'region cut out to black (Zhou & Beyerer crop-out)', false, (img, m, p) => cropOut(img, m, p)),
  blur: define('blur', 'Gaussian blur, sigma 7, kernel 21, composited inside the region', true, (img, m, p) =>
    blur(img, m, { sigma: p.sigma, ksize: p.ksize ?? kernelSizeForSigma(p.sigma), variant: p.variant }),
  ),
  pixelate: define('pixelate', 'block means over a grid aligned to the region box (block 16)', true, (img, m, p) => pixelate(img, m, p)),
  inpaint: define('inpaint', "Telea fast-marching inpainting (OpenCV INPAINT_TELEA), radius 5", false, (img, m, p) => inpaint(img, m, p)),
};

export function isMethodName(name: string): name is MethodName {
  return (METHOD_NAMES as readonly string[]).includes(name);
}

export function getMethod(name: string): AnonymizationMethod {
  if (!isMethodName(name)) throw new Error(`unknown anonymization method '${name}' (known: ${METHOD_NAMES.join(', ')})`);
  return methods[name] as unknown as AnonymizationMethod;
}

/** Parameters with defaults filled in, or an error naming the method and the bad field. */
export function resolveParams<K extends MethodName>(name: K, params: unknown): MethodParams[K] {
  const r = schemas[name].safeParse(params ?? {});
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(params)'}: ${i.message}`).join('; ');
    throw new Error(`${name}: bad parameters: ${msg}`);
  }
  return r.data as MethodParams[K];
}
