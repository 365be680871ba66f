// The built-in generator and its discriminator, on tfjs raw ops (lib/nn/ops/conv-bias-act.ts),
// with seeded initialisation (lib/nn/init.ts). A small conditional U-Net GAN in the spirit of
// DeepPrivacy2's U-Net generators (Hukkelås & Lindseth 2023, Sec. 3.3):
//
// Mapping network (StyleGAN, DP2's SG2StyleNet): z (zDim) -> z / sqrt(mean(z^2) + 1e-8) ->
//   dense(zDim -> wDim), leaky ReLU 0.2 -> dense(wDim -> wDim), leaky ReLU 0.2 = w.
// Input (NHWC): RGB scaled to [-1, 1] and multiplied by (1 - mask) (region pixels are 0), the mask
//   (1 = region), and for bodies 17 keypoint heatmaps (keypoint-maps.ts): 4 or 21 channels.
// U-Net with channels c_0..c_L (default [16, 32, 64, 96]):
//   enc l (l < L):  conv3x3 -> ReLU, conv3x3 -> ReLU  (skip l), 2x2 average pool
//   mid:            two modulated conv3x3 at c_L
//   dec l (l = L-1..0): nearest 2x up to skip l's size, concat skip l, two modulated conv3x3 at c_l
//   head:           conv1x1 c_0 -> 3, linear: RGB in [-1, 1] (clamped when converted to pixels)
// A modulated conv is conv (+ bias), then h * (1 + s) + b with [s, b] = dense(w -> 2 c) per layer
// (w -> per-layer scale and bias), then leaky ReLU 0.2.
// Discriminator: a patch discriminator on [RGB composite, mask (, heatmaps)]: per level conv3x3 ->
//   leaky ReLU 0.2 with a 2x2 average pool between levels (default [16, 32, 64]), then conv3x3 -> 1
//   logit per patch.
import * as tf from '@tensorflow/tfjs';
import type { PersonRegionKind } from '../../regions/region.ts';
import { heNormal } from '../../nn/init.ts';
import type { Param } from '../../nn/param.ts';
import { convBiasAct } from '../../nn/ops/conv-bias-act.ts';
import type { GeneratorInput } from './generator.ts';
import { defaultHeatmapSigma, keypointHeatmaps, NUM_KEYPOINTS } from './keypoint-maps.ts';

export interface BuiltinConfig {
  kind: PersonRegionKind;
  height: number;
  width: number;
  zDim: number;
  wDim: number;
  /** Generator channels per level, c_0..c_L (L = length - 1 poolings). */
  channels: number[];
  /** Discriminator channels per level. */
  dChannels: number[];
  /** Keypoint heatmaps as extra input channels (bodies). */
  keypoints: boolean;
  heatmapSigma: number;
  /** Initialisation seed. */
  seed: number;
}

/** DP2's sizes: FDF faces 128x128; bodies at 288x160's aspect, 72x40 by default (a quick CPU size). */
export const DEFAULT_SIZE: Record<PersonRegionKind, [number, number]> = { face: [128, 128], body: [72, 40] };

export function defaultConfig(kind: PersonRegionKind, size?: [number, number], seed = 0): BuiltinConfig {
  const [height, width] = size ?? DEFAULT_SIZE[kind];
  return {
    kind,
    height,
    width,
    zDim: 32,
    wDim: 32,
    channels: [16, 32, 64, 96],
    dChannels: [16, 32, 64],
    keypoints: kind === 'body',
    heatmapSigma: defaultHeatmapSigma(width, height),
    seed,
  };
}

export function checkConfig(c: BuiltinConfig): void {
  const bad = (m: string) => {
    throw new RangeError(`generator config: ${m}`);
  };
  if (c.kind !== 'face' && c.kind !== 'body') bad(`kind must be face or body, got ${String(c.kind)}`);
  for (const [k, v] of [['height', c.height], ['width', c.width], ['zDim', c.zDim], ['wDim', c.wDim]] as const) {
    if (!Number.isInteger(v) || v < 1) bad(`${k} must be a positive integer, got ${v}`);
  }
  if (c.channels.length < 2 || c.channels.some((x) => !Number.isInteger(x) || x < 1)) bad(`channels must list at least 2 positive integers, got [${c.channels}]`);
  if (c.dChannels.length < 1 || c.dChannels.some((x) => !Number.isInteger(x) || x < 1)) bad(`dChannels must list positive integers, got [${c.dChannels}]`);
  const L = c.channels.length - 1;
  if (c.height < 2 ** L || c.width < 2 ** L) bad(`size ${c.height}x${c.width} is too small for ${L} poolings`);
}

export function inputChannels(c: BuiltinConfig): number {
  return 4 + (c.keypoints ? NUM_KEYPOINTS : 0);
}

interface Conv {
  kernel: tf.Variable;
  bias: tf.Variable;
}
interface Dense {
  kernel: tf.Variable;
  bias: tf.Variable;
}

class ParamSet {
  readonly params: Param[] = [];
  constructor(
    readonly prefix: string,
    readonly seed: number,
  ) {}
  conv(name: string, k: number, cin: number, cout: number, gain = 1): Conv {
    const n = `${this.prefix}${name}`;
    const init = heNormal(k * k * cin * cout, k * k * cin, this.seed, `${n}.kernel`);
    if (gain !== 1) for (let i = 0; i < init.length; i++) init[i]! *= gain;
    const kernel = tf.variable(tf.tensor4d(init, [k, k, cin, cout]), true, `${n}.kernel.${uid()}`);
    const bias = tf.variable(tf.zeros([cout]), true, `${n}.bias.${uid()}`);
    this.params.push({ name: `${name}.kernel`, variable: kernel }, { name: `${name}.bias`, variable: bias });
    return { kernel, bias };
  }
  dense(name: string, cin: number, cout: number, gain = 1): Dense {
    const n = `${this.prefix}${name}`;
    const init = heNormal(cin * cout, cin, this.seed, `${n}.kernel`);
    if (gain !== 1) for (let i = 0; i < init.length; i++) init[i]! *= gain;
    const kernel = tf.variable(tf.tensor2d(init, [cin, cout]), true, `${n}.kernel.${uid()}`);
    const bias = tf.variable(tf.zeros([cout]), true, `${n}.bias.${uid()}`);
    this.params.push({ name: `${name}.kernel`, variable: kernel }, { name: `${name}.bias`, variable: bias });
    return { kernel, bias };
  }
}

let uidCounter = 0;
function uid(): number {
  return ++uidCounter;
}

const lrelu = (x: tf.Tensor4D | tf.Tensor2D) => tf.leakyRelu(x, 0.2);

export class GeneratorNet {
  readonly params: Param[];
  private readonly mapping: Dense[];
  private readonly enc: Conv[][];
  private readonly mid: Conv[];
  private readonly dec: Conv[][];
  private readonly styles = new Map<Conv, Dense>();
  private readonly head: Conv;

  constructor(readonly config: BuiltinConfig) {
    checkConfig(config);
    const c = config;
    const ps = new ParamSet('G/', c.seed);
    const ch = c.channels;
    const L = ch.length - 1;
    this.mapping = [ps.dense('map.fc0', c.zDim, c.wDim), ps.dense('map.fc1', c.wDim, c.wDim)];
    const mod = (name: string, cin: number, cout: number): Conv => {
      const conv = ps.conv(name, 3, cin, cout);
      this.styles.set(conv, ps.dense(`${name}.style`, c.wDim, 2 * cout, 0.25));
      return conv;
    };
    this.enc = [];
    let cin = inputChannels(c);
    for (let l = 0; l < L; l++) {
      this.enc.push([ps.conv(`enc${l}.conv0`, 3, cin, ch[l]!), ps.conv(`enc${l}.conv1`, 3, ch[l]!, ch[l]!)]);
      cin = ch[l]!;
    }
    this.mid = [mod('mid.conv0', cin, ch[L]!), mod('mid.conv1', ch[L]!, ch[L]!)];
    this.dec = [];
    let cu = ch[L]!;
    for (let l = L - 1; l >= 0; l--) {
      this.dec[l] = [mod(`dec${l}.conv0`, cu + ch[l]!, ch[l]!), mod(`dec${l}.conv1`, ch[l]!, ch[l]!)];
      cu = ch[l]!;
    }
    this.head = ps.conv('head', 1, ch[0]!, 3, 0.5);
    this.params = ps.params;
  }

  /** Mapping network: [n, zDim] -> [n, wDim]. */
  map(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      let x = tf.mul(z, tf.rsqrt(tf.add(tf.mean(tf.square(z), 1, true), 1e-8))) as tf.Tensor2D;
      for (const d of this.mapping) x = lrelu(tf.add(tf.matMul(x, d.kernel as tf.Tensor2D), d.bias)) as tf.Tensor2D;
      return x;
    });
  }

  private modulate(conv: Conv, h: tf.Tensor4D, w: tf.Tensor2D): tf.Tensor4D {
    const st = this.styles.get(conv)!;
    const cout = conv.bias.shape[0]!;
    const sb = tf.add(tf.matMul(w, st.kernel as tf.Tensor2D), st.bias) as tf.Tensor2D; // [n, 2c]
    const n = w.shape[0];
    const s = tf.reshape(tf.slice(sb, [0, 0], [n, cout]), [n, 1, 1, cout]);
    const b = tf.reshape(tf.slice(sb, [0, cout], [n, cout]), [n, 1, 1, cout]);
    return lrelu(tf.add(tf.mul(h, tf.add(s, 1)), b) as tf.Tensor4D) as tf.Tensor4D;
  }

  private modConv(conv: Conv, xs: tf.Tensor4D[], w: tf.Tensor2D): tf.Tensor4D {
    let filters: tf.Tensor4D[];
    if (xs.length === 1) filters = [conv.kernel as tf.Tensor4D];
    else {
      const [kh, kw, cin, cout] = conv.kernel.shape;
      const cu = xs[0]!.shape[3];
      filters = [tf.slice(conv.kernel, [0, 0, 0, 0], [kh!, kw!, cu, cout!]) as tf.Tensor4D, tf.slice(conv.kernel, [0, 0, cu, 0], [kh!, kw!, cin! - cu, cout!]) as tf.Tensor4D];
    }
    const h = convBiasAct({ xs, filters, bias: conv.bias as tf.Tensor1D, activation: 'linear' });
    return this.modulate(conv, h, w);
  }

  /** [n, H, W, Cin] input, [n, wDim] latents -> [n, H, W, 3] RGB in [-1, 1] (unclamped). */
  forward(x: tf.Tensor4D, w: tf.Tensor2D): tf.Tensor4D {
    return tf.tidy(() => {
      const skips: tf.Tensor4D[] = [];
      let h = x;
      this.enc.forEach(([c0, c1], l) => {
        h = convBiasAct({ xs: [h], filters: [c0!.kernel as tf.Tensor4D], bias: c0!.bias as tf.Tensor1D, activation: 'relu', inputGrads: [l > 0] });
        h = convBiasAct({ xs: [h], filters: [c1!.kernel as tf.Tensor4D], bias: c1!.bias as tf.Tensor1D, activation: 'relu' });
        skips.push(h);
        h = tf.avgPool(h, 2, 2, 'valid');
      });
      h = this.modConv(this.mid[0]!, [h], w);
      h = this.modConv(this.mid[1]!, [h], w);
      for (let l = this.dec.length - 1; l >= 0; l--) {
        const skip = skips[l]!;
        const up = tf.image.resizeNearestNeighbor(h, [skip.shape[1], skip.shape[2]]);
        h = this.modConv(this.dec[l]![0]!, [up, skip], w);
        h = this.modConv(this.dec[l]![1]!, [h], w);
      }
      return convBiasAct({ xs: [h], filters: [this.head.kernel as tf.Tensor4D], bias: this.head.bias as tf.Tensor1D, activation: 'linear' });
    });
  }

  dispose(): void {
    for (const p of this.params) p.variable.dispose();
  }
}

export class DiscriminatorNet {
  readonly params: Param[];
  private readonly convs: Conv[];
  private readonly out: Conv;

  constructor(readonly config: BuiltinConfig) {
    checkConfig(config);
    const ps = new ParamSet('D/', config.seed);
    let cin = inputChannels(config) - 1 + 1; // RGB composite + mask (+ heatmaps)
    this.convs = config.dChannels.map((c, l) => {
      const conv = ps.conv(`d${l}.conv`, 3, cin, c);
      cin = c;
      return conv;
    });
    this.out = ps.conv('out', 3, cin, 1);
    this.params = ps.params;
  }

  /** [n, H, W, Cin] (RGB in [-1, 1], mask, heatmaps) -> patch logits [n, h, w, 1]. */
  forward(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      let h = x;
      this.convs.forEach((c, l) => {
        if (l > 0) h = tf.avgPool(h, 2, 2, 'valid');
        h = lrelu(convBiasAct({ xs: [h], filters: [c.kernel as tf.Tensor4D], bias: c.bias as tf.Tensor1D, activation: 'linear', inputGrads: [true] })) as tf.Tensor4D;
      });
      return convBiasAct({ xs: [h], filters: [this.out.kernel as tf.Tensor4D], bias: this.out.bias as tf.Tensor1D, activation: 'linear' });
    });
  }

  dispose(): void {
    for (const p of this.params) p.variable.dispose();
  }
}

/**
 * The generator's input tensor for a batch: [n, H, W, Cin] with RGB in [-1, 1] times (1 - mask),
 * the mask, and (bodies) keypoint heatmaps. Region pixels contribute nothing whatever their bytes.
 */
export function inputTensor(c: BuiltinConfig, inputs: readonly GeneratorInput[]): tf.Tensor4D {
  const C = inputChannels(c);
  const px = c.width * c.height;
  const data = new Float32Array(inputs.length * px * C);
  inputs.forEach((inp, n) => {
    const base = n * px * C;
    for (let i = 0; i < px; i++) {
      const o = base + i * C;
      const m = inp.mask[i] !== 0 ? 1 : 0;
      if (m === 0) {
        data[o] = (inp.image[i * 3]! / 255) * 2 - 1;
        data[o + 1] = (inp.image[i * 3 + 1]! / 255) * 2 - 1;
        data[o + 2] = (inp.image[i * 3 + 2]! / 255) * 2 - 1;
      }
      data[o + 3] = m;
    }
    if (c.keypoints) keypointHeatmaps(inp.keypoints, c.width, c.height, c.heatmapSigma, data, base + 4, C);
  });
  return tf.tensor4d(data, [inputs.length, c.height, c.width, C]);
}
