// The shared dense-prediction network of the task models: a small residual encoder (a ResNet
// stand-in, He et al. 2016, basic blocks, no normalisation layers) with an FPN-style top-down
// decoder (Lin et al. 2017) and one 1x1 output convolution whose channels the task model splits
// into named heads.
//
//   stem:    conv3x3 stride 2, 3 -> c, ReLU                                         (1/2)
//   stage0:  b0 basic blocks at c channels                                           (1/2)
//   stage1:  b1 blocks at 2c, the first with stride 2 and a 1x1 projection shortcut  (1/4)
//   stage2:  b2 blocks at 4c                                                         (1/8)
//   stage3:  b3 blocks at 8c                                                         (1/16)
//   decoder: lateral 1x1 convs (stage s -> d channels), top-down: nearest 2x up-sampling of the
//            coarser level + lateral, then conv3x3 d -> d, ReLU, down to the output stride
//   head:    conv3x3 d -> d, ReLU; conv1x1 d -> sum of the heads' channels (linear)
//
// A basic block is relu(x + conv3x3(relu(conv3x3(x)))). `norm`:
//   'none'  no normalisation layers; the deep variants stay trainable by initialising as Fixup
//           does (Zhang et al. 2019): the second convolution of every residual branch starts at
//           zero (each block is the identity at first), the first is He-normal scaled by L^(-1/2),
//           L the number of residual blocks.
//   'group' GroupNorm (Wu & He 2018; min(8, channels) groups, eps 1e-5, per-channel gamma and
//           beta) after every convolution except the laterals and the output, as in ResNet-GN;
//           the last GroupNorm of each residual branch starts with gamma = 0 (Goyal et al. 2017).
//           It normalises each image on its own, so shards of a batch see the same computation.
//
// Depth: `depth` names the ResNet whose per-stage block counts it stands in for (18: 2,2,2,2;
// 50: 3,4,6,3; 101: 3,4,23,3; 152: 3,8,36,3), divided by `blockDivisor` (default 3) and rounded
// up, so that depth 18 / 50 / 101 / 152 give 1,1,1,1 / 1,2,2,1 / 1,2,8,1 / 1,3,12,1 blocks.
// `blocks` sets the counts directly. Stride-1 convolutions run as one differentiable op with a
// written-out gradient (lib/nn/ops/conv-bias-act.ts). `width` is c (default 16); the decoder has d = 2c channels
// unless `decoderWidth` says otherwise.
import * as tf from '@tensorflow/tfjs';
import { heNormal } from '../nn/init.ts';
import { convBiasAct } from '../nn/ops/conv-bias-act.ts';
import type { Param } from '../nn/param.ts';
import { pretrainedEncoderInfo, type PretrainedEncoderName } from '../nn/pretrained-encoder.ts';
import { createPretrainedBackbone } from './pretrained-backbone.ts';

export const RESNET_BLOCKS: Readonly<Record<number, readonly number[]>> = Object.freeze({
  18: [2, 2, 2, 2],
  50: [3, 4, 6, 3],
  101: [3, 4, 23, 3],
  152: [3, 8, 36, 3],
});

export type BackboneDepth = 18 | 50 | 101 | 152;

export interface BackboneOptions {
  /** Seed of the weight initialisation (default 0). */
  seed?: number;
  /** Input channels (default 3). */
  inChannels?: number;
  /** Channels of the first stage (default 16); stage s has width * 2^s. */
  width?: number;
  /** The ResNet depth whose block counts are scaled down (default 18). */
  depth?: BackboneDepth;
  /** Divisor of the ResNet block counts (default 3; 1 keeps ResNet's own counts). */
  blockDivisor?: number;
  /** Blocks per stage, overriding depth (4 numbers, each >= 1). */
  blocks?: number[];
  /** Decoder channels (default 2 * width). */
  decoderWidth?: number;
  /** Output stride relative to the input: 2, 4 or 8 (default 4). */
  outputStride?: number;
  /** Normalisation layers: 'none' (default) or 'group'. */
  norm?: 'group' | 'none';
  /** A frozen pretrained encoder (lib/nn/pretrained-encoder.ts) under a trainable head
   * (pretrained-backbone.ts) instead of the from-scratch encoder-decoder; default none. */
  pretrained?: PretrainedEncoderName;
  /** With `pretrained`: 3x3 layers of the head (default 2). */
  headBlocks?: number;
  /** With `pretrained`: 'decoder' trains the encoder's decoder too, from its pretrained weights
   * (lib/nn/trainable-subgraph.ts); 'none' (default) keeps the whole encoder fixed. */
  fineTune?: FineTune;
}

export const FINE_TUNE = ['none', 'decoder'] as const;
export type FineTune = (typeof FINE_TUNE)[number];

export interface ResolvedBackbone {
  seed: number;
  inChannels: number;
  width: number;
  depth: BackboneDepth;
  blockDivisor: number;
  blocks: number[];
  decoderWidth: number;
  outputStride: number;
  norm: 'group' | 'none';
  pretrained?: PretrainedEncoderName;
  /** Set with `pretrained` only. */
  headBlocks?: number;
  /** Set with `pretrained` only, and only when not 'none' (earlier runs' records have none). */
  fineTune?: 'decoder';
}

export function resolveBackbone(opts: BackboneOptions = {}): ResolvedBackbone {
  const depth = opts.depth ?? 18;
  if (!(depth in RESNET_BLOCKS)) throw new RangeError(`backbone depth must be one of 18, 50, 101, 152, got ${depth}`);
  const blockDivisor = opts.blockDivisor ?? 3;
  if (!(blockDivisor >= 1)) throw new RangeError(`blockDivisor must be >= 1, got ${blockDivisor}`);
  const blocks = opts.blocks ? [...opts.blocks] : RESNET_BLOCKS[depth].map((b) => Math.ceil(b / blockDivisor));
  if (blocks.length !== 4 || !blocks.every((b) => Number.isInteger(b) && b >= 1)) throw new RangeError(`blocks must be 4 integers >= 1, got [${blocks}]`);
  const width = opts.width ?? 16;
  if (!Number.isInteger(width) || width < 1) throw new RangeError(`backbone width must be an integer >= 1, got ${width}`);
  const decoderWidth = opts.decoderWidth ?? 2 * width;
  if (!Number.isInteger(decoderWidth) || decoderWidth < 1) throw new RangeError(`decoderWidth must be an integer >= 1, got ${decoderWidth}`);
  const outputStride = opts.outputStride ?? 4;
  if (![2, 4, 8].includes(outputStride)) throw new RangeError(`outputStride must be 2, 4 or 8, got ${outputStride}`);
  const norm = opts.norm ?? 'none';
  if (norm !== 'group' && norm !== 'none') throw new RangeError(`norm must be 'group' or 'none', got '${String(norm)}'`);
  const headBlocks = opts.headBlocks ?? 2;
  if (!Number.isInteger(headBlocks) || headBlocks < 0) throw new RangeError(`headBlocks must be an integer >= 0, got ${headBlocks}`);
  const out: ResolvedBackbone = { seed: opts.seed ?? 0, inChannels: opts.inChannels ?? 3, width, depth, blockDivisor, blocks, decoderWidth, outputStride, norm };
  if (opts.pretrained !== undefined) {
    pretrainedEncoderInfo(opts.pretrained);
    if ((opts.inChannels ?? 3) !== 3) throw new RangeError(`a pretrained encoder takes 3 input channels, got ${opts.inChannels}`);
    out.pretrained = opts.pretrained;
    out.headBlocks = headBlocks;
    const fineTune = opts.fineTune ?? 'none';
    if (!FINE_TUNE.includes(fineTune)) throw new RangeError(`fineTune must be one of ${FINE_TUNE.join(', ')}, got '${String(fineTune)}'`);
    if (fineTune !== 'none') out.fineTune = fineTune;
  } else if (opts.fineTune !== undefined && opts.fineTune !== 'none') {
    throw new RangeError(`fineTune '${opts.fineTune}' needs a pretrained encoder`);
  }
  return out;
}

interface ConvSpec {
  name: string;
  k: number;
  cin: number;
  cout: number;
  stride: number;
  /** Multiplier of the He-normal init (0: zeros). */
  gain: number;
  /** GroupNorm after the convolution: its initial gamma (undefined: no GroupNorm). */
  gnGamma?: number;
}

/** The convolutions of a configuration, in parameter order. `outChannels`: the output conv. */
export function backboneLayers(r: ResolvedBackbone, outChannels: number): ConvSpec[] {
  const L = r.blocks.reduce((a, b) => a + b, 0);
  const gn = r.norm === 'group';
  const fix = gn ? 1 : 1 / Math.sqrt(L);
  const g1 = gn ? 1 : undefined;
  const layers: ConvSpec[] = [];
  const ch = (s: number) => r.width * 2 ** s;
  layers.push({ name: 'stem', k: 3, cin: r.inChannels, cout: ch(0), stride: 2, gain: 1, gnGamma: g1 });
  let c = ch(0);
  for (let s = 0; s < 4; s++) {
    for (let b = 0; b < r.blocks[s]; b++) {
      const stride = s > 0 && b === 0 ? 2 : 1;
      const cout = ch(s);
      const name = `stage${s}.block${b}`;
      layers.push({ name: `${name}.conv0`, k: 3, cin: c, cout, stride, gain: fix, gnGamma: g1 });
      layers.push({ name: `${name}.conv1`, k: 3, cin: cout, cout, stride: 1, gain: gn ? 1 : 0, gnGamma: gn ? 0 : undefined });
      if (stride !== 1 || c !== cout) layers.push({ name: `${name}.proj`, k: 1, cin: c, cout, stride, gain: 1, gnGamma: g1 });
      c = cout;
    }
  }
  const d = r.decoderWidth;
  // Stage s has stride 2^(s+1); the decoder reaches stride outputStride = 2^(s0+1).
  const s0 = Math.log2(r.outputStride) - 1;
  for (let s = 3; s >= s0; s--) layers.push({ name: `lateral${s}`, k: 1, cin: ch(s), cout: d, stride: 1, gain: 1 });
  for (let s = 2; s >= s0; s--) layers.push({ name: `decoder${s}`, k: 3, cin: d, cout: d, stride: 1, gain: 1, gnGamma: g1 });
  layers.push({ name: 'head.conv', k: 3, cin: d, cout: d, stride: 1, gain: 1, gnGamma: g1 });
  layers.push({ name: 'head.out', k: 1, cin: d, cout: outChannels, stride: 1, gain: 1 });
  return layers;
}

export function backboneParamCount(r: ResolvedBackbone, outChannels: number): number {
  return backboneLayers(r, outChannels).reduce((s, l) => s + l.k * l.k * l.cin * l.cout + l.cout + (l.gnGamma !== undefined ? 2 * l.cout : 0), 0);
}

export interface Backbone {
  readonly params: Param[];
  /** x [N,H,W,inChannels] -> [N, ceil(H/os), ceil(W/os), outChannels]. */
  apply(x: tf.Tensor4D): tf.Tensor4D;
  dispose(): void;
}

/**
 * Builds the network. `outBias` gives initial biases of the output convolution (e.g. the heatmap
 * prior -log((1-p)/p)); absent entries are zero. `prefix` goes before every parameter's name (and
 * so keys its initial values too): a second network in the same model gets its own names and draws.
 */
export function createBackbone(r: ResolvedBackbone, outChannels: number, outBias?: Float32Array, prefix = ''): Backbone {
  if (r.pretrained) return createPretrainedBackbone(r, outChannels, outBias, prefix);
  const specs = backboneLayers(r, outChannels);
  const params: Param[] = [];
  const convs = new Map<string, { kernel: tf.Variable; bias: tf.Variable; stride: number; gamma?: tf.Variable; beta?: tf.Variable }>();
  for (const s of specs) {
    const size = s.k * s.k * s.cin * s.cout;
    let values: Float32Array;
    if (s.gain === 0) values = new Float32Array(size);
    else {
      values = heNormal(size, s.k * s.k * s.cin, r.seed, `${prefix}${s.name}.kernel`);
      if (s.gain !== 1) for (let i = 0; i < size; i++) values[i] *= s.gain;
    }
    const kernel = tf.variable(tf.tensor4d(values, [s.k, s.k, s.cin, s.cout]), true);
    const biasValues = s.name === 'head.out' && outBias ? outBias : new Float32Array(s.cout);
    if (biasValues.length !== s.cout) throw new Error(`output bias has ${biasValues.length} values, the output conv ${s.cout} channels`);
    const bias = tf.variable(tf.tensor1d(biasValues), true);
    params.push({ name: `${prefix}${s.name}.kernel`, variable: kernel }, { name: `${prefix}${s.name}.bias`, variable: bias });
    const entry: { kernel: tf.Variable; bias: tf.Variable; stride: number; gamma?: tf.Variable; beta?: tf.Variable } = { kernel, bias, stride: s.stride };
    if (s.gnGamma !== undefined) {
      entry.gamma = tf.variable(tf.fill([s.cout], s.gnGamma), true);
      entry.beta = tf.variable(tf.zeros([s.cout]), true);
      params.push({ name: `${prefix}${s.name}.gn.gamma`, variable: entry.gamma }, { name: `${prefix}${s.name}.gn.beta`, variable: entry.beta });
    }
    convs.set(s.name, entry);
  }
  const conv = (name: string, x: tf.Tensor4D, activation: 'relu' | 'linear'): tf.Tensor4D => {
    const c = convs.get(name)!;
    if (!c.gamma && c.stride === 1) return convBiasAct({ xs: [x], filters: [c.kernel as tf.Tensor4D], bias: c.bias as tf.Tensor1D, activation });
    if (!c.gamma) return tf.fused.conv2d({ x, filter: c.kernel as tf.Tensor4D, bias: c.bias, strides: c.stride, pad: 'same', activation });
    const y = groupNorm(tf.fused.conv2d({ x, filter: c.kernel as tf.Tensor4D, bias: c.bias, strides: c.stride, pad: 'same' }), c.gamma, c.beta!);
    return activation === 'relu' ? tf.relu(y) : y;
  };
  const s0 = Math.log2(r.outputStride) - 1;
  return {
    params,
    apply(x: tf.Tensor4D): tf.Tensor4D {
      if (x.rank !== 4 || x.shape[3] !== r.inChannels) throw new Error(`network input must be [N,H,W,${r.inChannels}], got [${x.shape}]`);
      return tf.tidy(() => {
        let h = conv('stem', x, 'relu');
        const feats: tf.Tensor4D[] = [];
        for (let s = 0; s < 4; s++) {
          for (let b = 0; b < r.blocks[s]; b++) {
            const name = `stage${s}.block${b}`;
            const branch = conv(`${name}.conv1`, conv(`${name}.conv0`, h, 'relu'), 'linear');
            const short = convs.has(`${name}.proj`) ? conv(`${name}.proj`, h, 'linear') : h;
            h = tf.relu(tf.add(short, branch)) as tf.Tensor4D;
          }
          feats.push(h);
        }
        let y = conv('lateral3', feats[3], 'linear');
        for (let s = 2; s >= s0; s--) {
          const lat = conv(`lateral${s}`, feats[s], 'linear');
          const up = tf.image.resizeNearestNeighbor(y, [lat.shape[1], lat.shape[2]]);
          y = conv(`decoder${s}`, tf.add(up, lat), 'relu');
        }
        return conv('head.out', conv('head.conv', y, 'relu'), 'linear');
      });
    },
    dispose() {
      for (const p of params) p.variable.dispose();
    },
  };
}

/** GroupNorm of NHWC activations: min(8, C) groups (C divisible by it), eps 1e-5, as torch.nn.GroupNorm. */
export function groupNorm(x: tf.Tensor4D, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  let g = Math.min(8, c);
  while (c % g !== 0) g--;
  return tf.tidy(() => {
    const xr = tf.reshape(x, [n, h * w, g, c / g]);
    const { mean, variance } = tf.moments(xr, [1, 3], true);
    const xn = tf.mul(tf.sub(xr, mean), tf.rsqrt(tf.add(variance, eps)));
    return tf.add(tf.mul(tf.reshape(xn, [n, h, w, c]), gamma), beta) as tf.Tensor4D;
  });
}
