// The realistic-anonymization model behind one interface (DESIGN.md, "Generator"): a generator
// inpaints one crop around a person (DeepPrivacy2's crop-based anonymization, Hukkelås &
// Lindseth 2023, Fig. 3). It is given
//   - the crop at its own resolution, with every region pixel set to 0 BEFORE it sees the crop
//     (crop.ts zeroes them at image resolution, before any resampling, so no region pixel can
//     reach the generator through interpolation either),
//   - the region mask at that resolution (1 = to generate, 0 = context to keep),
//   - optionally the 17 COCO keypoints in crop pixel coordinates (bodies),
//   - a latent vector w (one per crop),
// and returns an RGB crop of the same size. Only the region part of it is pasted back into the
// image (crop.ts, `pasteCrop`), inside the region's (dilated) mask at image resolution.
//
// Latent spaces: a generator with a mapping network (StyleGAN-like, DP2's "W" space) maps a
// standard-normal z to w; one without (an ONNX export taking z) has the identity mapping; the
// synthetic re-render generator's latent only seeds a random draw of appearance ('seed': it has
// no geometry, so truncation does not apply to it).
import type * as tf from '@tensorflow/tfjs';
import type { RegionKind } from '../../regions/region.ts';

/** One crop as the generator receives it. */
export interface GeneratorInput {
  /** RGB bytes, width * height * 3, row-major; 0 wherever `mask` is 1 (never the original). */
  image: Uint8Array;
  /** width * height bytes: 1 = region (to generate), 0 = context. */
  mask: Uint8Array;
  /** 17 COCO keypoints [x, y, v] * 17 in crop pixels at the generator's size; v = 0: absent. */
  keypoints?: Float32Array;
}

export type LatentKind = 'w' | 'z' | 'seed';

export interface LatentSpace {
  /** 'w': a mapping network z -> w; 'z': w = z; 'seed': the latent only seeds a random draw. */
  kind: LatentKind;
  zDim: number;
  wDim: number;
  /** n latents z (n * zDim, standard normal) -> n latents w (n * wDim), at once or (a tfjs
   * mapping network, read with data(): webgpu in Node reads asynchronously only) as a promise. */
  map(z: Float32Array, n: number): Float32Array | Promise<Float32Array>;
}

/** A tfjs forward pass with gradients with respect to w (for HM-LO). */
export interface DifferentiableGenerator {
  /** The constant part of a batch (crops, masks, keypoint maps) as tensors; dispose when done. */
  prepare(inputs: readonly GeneratorInput[]): PreparedBatch;
  /** RGB in [0, 1], [n, height, width, 3], differentiable with respect to `w` [n, wDim]. */
  forward(batch: PreparedBatch, w: tf.Tensor2D): tf.Tensor4D;
}

export interface PreparedBatch {
  readonly n: number;
  dispose(): void;
}

export interface Generator {
  /** What it is, for provenance (e.g. `builtin:/path/gen`, `onnx:/path/model.onnx`, `rerender`). */
  readonly name: string;
  /** The region kind it was made for. */
  readonly kind: RegionKind;
  readonly width: number;
  readonly height: number;
  /** Whether `GeneratorInput.keypoints` is used. */
  readonly usesKeypoints: boolean;
  readonly latent: LatentSpace;
  /**
   * One output per input: RGB in [0, 1], width * height * 3, row-major. `w` holds
   * inputs.length latents of latent.wDim values each.
   */
  generate(inputs: readonly GeneratorInput[], w: Float32Array): Promise<Float32Array[]>;
  /** Present when the generator has gradients with respect to w (the built-in tfjs generator). */
  readonly differentiable?: DifferentiableGenerator;
  /**
   * A folder where derived latent statistics (w_mean, k-means centres) may be cached, and a key
   * that changes whenever the weights change; absent: nothing is cached.
   */
  readonly cache?: { dir: string; key: string };
  dispose(): void;
}

/** Throws a clear error when `inputs`/`w` do not fit the generator. */
export function checkGeneratorCall(g: Pick<Generator, 'name' | 'width' | 'height' | 'latent'>, inputs: readonly GeneratorInput[], w: Float32Array): void {
  const n = inputs.length;
  if (w.length !== n * g.latent.wDim) throw new Error(`${g.name}: ${w.length} latent values for ${n} crops of wDim ${g.latent.wDim}`);
  const px = g.width * g.height;
  inputs.forEach((x, i) => {
    if (x.image.length !== px * 3) throw new Error(`${g.name}: crop ${i} has ${x.image.length} bytes, expected ${g.width}x${g.height}x3 = ${px * 3}`);
    if (x.mask.length !== px) throw new Error(`${g.name}: crop ${i} mask has ${x.mask.length} bytes, expected ${px}`);
    if (x.keypoints && x.keypoints.length !== 51) throw new Error(`${g.name}: crop ${i} has ${x.keypoints.length} keypoint values, expected 51`);
  });
}
