// The reference segmentation net: a small U-Net (Ronneberger et al. 2015) with seeded init.
//
// Arrangement (default width 1, depth 3, 3 input channels, 20 classes):
//   down0: conv3x3  3->16, ReLU; conv3x3 16->16, ReLU           (skip0)   max-pool 2x2
//   down1: conv3x3 16->32, ReLU; conv3x3 32->32, ReLU           (skip1)   max-pool 2x2
//   down2: conv3x3 32->64, ReLU; conv3x3 64->64, ReLU           (skip2)   max-pool 2x2
//   mid:   conv3x3 64->128, ReLU; conv3x3 128->128, ReLU
//   up2:   nearest 2x up, concat [up(128), skip2(64)]: conv3x3 192->64, ReLU; conv3x3 64->64, ReLU
//   up1:   nearest 2x up, concat [up(64),  skip1(32)]: conv3x3  96->32, ReLU; conv3x3 32->32, ReLU
//   up0:   nearest 2x up, concat [up(32),  skip0(16)]: conv3x3  48->16, ReLU; conv3x3 16->16, ReLU
//   head:  conv1x1 16->20 (logits; softmax is applied by the loss)
// Every conv has a bias; 'same' padding; no normalisation layers. Neither the concatenation nor
// the up-sampled tensor is materialised: the first conv of an up level applies the skip part of
// its kernel as a 3x3 convolution and the up part as four 2x2 convolutions of the low-resolution
// tensor, one per output phase (lib/nn/ops/up-conv.ts; where a size is odd, the up-sampled
// tensor is built and both parts are 3x3 convolutions, lib/nn/ops/conv-bias-act.ts). Either
// way it is the same function as resize + concat + conv.
// Parameters (weights + biases):
//   448 + 2,320 + 4,640 + 9,248 + 18,496 + 36,928 + 73,856 + 147,584
//   + 110,656 + 36,928 + 27,680 + 9,248 + 6,928 + 2,320 + 340 = 487,620.
// `width` multiplies every level's channel count (rounded, at least 1); `depth` is the number of
// pooling levels (widths 16*width*2^l for level l, 16*width*2^depth in the middle). Inputs of any
// size work; the up-sampling resizes to the skip's exact size, so odd sizes are handled, though
// sizes divisible by 2^depth keep the pooling exact.
import * as tf from '@tensorflow/tfjs';
import { heNormal } from '../nn/init.ts';
import { convBiasAct } from '../nn/ops/conv-bias-act.ts';
import { upConcatConvRelu } from '../nn/ops/up-conv.ts';
import type { Param } from '../nn/param.ts';
import type { SegmentationModel } from './model.ts';

export interface UnetOptions {
  /** Seed of the weight initialisation (default 0). */
  seed?: number;
  /** Input channels (default 3). */
  inChannels?: number;
  /** Output classes (default 20). */
  numClasses?: number;
  /** Channel-width multiplier (default 1). */
  width?: number;
  /** Number of down-sampling levels (default 3). */
  depth?: number;
  /** Compute the gradient with respect to the input image (default false: it is returned as
   * zeros, saving the first layer's input-gradient convolution, which training never needs). */
  inputGradient?: boolean;
}

interface ConvSpec {
  name: string;
  k: number;
  cin: number;
  cout: number;
}

/** The convolutions of a U-Net configuration, in parameter order. */
export function unetLayers(opts: UnetOptions = {}): ConvSpec[] {
  const inChannels = opts.inChannels ?? 3;
  const numClasses = opts.numClasses ?? 20;
  const width = opts.width ?? 1;
  const depth = opts.depth ?? 3;
  if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`U-Net depth must be an integer >= 1, got ${depth}`);
  if (!(width > 0)) throw new RangeError(`U-Net width multiplier must be > 0, got ${width}`);
  const ch = (l: number) => Math.max(1, Math.round(16 * width * 2 ** l));
  const layers: ConvSpec[] = [];
  let c = inChannels;
  for (let l = 0; l < depth; l++) {
    layers.push({ name: `down${l}.conv0`, k: 3, cin: c, cout: ch(l) });
    layers.push({ name: `down${l}.conv1`, k: 3, cin: ch(l), cout: ch(l) });
    c = ch(l);
  }
  layers.push({ name: 'mid.conv0', k: 3, cin: c, cout: ch(depth) });
  layers.push({ name: 'mid.conv1', k: 3, cin: ch(depth), cout: ch(depth) });
  c = ch(depth);
  for (let l = depth - 1; l >= 0; l--) {
    layers.push({ name: `up${l}.conv0`, k: 3, cin: c + ch(l), cout: ch(l) });
    layers.push({ name: `up${l}.conv1`, k: 3, cin: ch(l), cout: ch(l) });
    c = ch(l);
  }
  layers.push({ name: 'head', k: 1, cin: c, cout: numClasses });
  return layers;
}

/** Parameter count of a configuration without building it. */
export function unetParamCount(opts: UnetOptions = {}): number {
  return unetLayers(opts).reduce((s, l) => s + l.k * l.k * l.cin * l.cout + l.cout, 0);
}

/** Builds the U-Net on the current tfjs backend. */
export function createUnet(opts: UnetOptions = {}): SegmentationModel {
  const seed = opts.seed ?? 0;
  const depth = opts.depth ?? 3;
  const specs = unetLayers(opts);
  const params: Param[] = [];
  const convs = new Map<string, { kernel: tf.Variable; bias: tf.Variable }>();
  for (const s of specs) {
    const size = s.k * s.k * s.cin * s.cout;
    const k0 = tf.tensor4d(heNormal(size, s.k * s.k * s.cin, seed, `${s.name}.kernel`), [s.k, s.k, s.cin, s.cout]);
    const b0 = tf.zeros([s.cout]);
    const kernel = tf.variable(k0, true);
    const bias = tf.variable(b0, true);
    k0.dispose();
    b0.dispose();
    params.push({ name: `${s.name}.kernel`, variable: kernel }, { name: `${s.name}.bias`, variable: bias });
    convs.set(s.name, { kernel, bias });
  }
  const inputGradient = opts.inputGradient ?? false;
  const conv = (name: string, x: tf.Tensor4D, activation: 'relu' | 'linear'): tf.Tensor4D => {
    const c = convs.get(name)!;
    const inputGrads = [name !== 'down0.conv0' || inputGradient];
    return convBiasAct({ xs: [x], filters: [c.kernel as tf.Tensor4D], bias: c.bias as tf.Tensor1D, activation, inputGrads });
  };
  // conv(concat([up, skip], channels), W) = conv(up, W[:, :, :Cu]) + conv(skip, W[:, :, Cu:]).
  const convConcat = (name: string, up: tf.Tensor4D, skip: tf.Tensor4D): tf.Tensor4D => {
    const c = convs.get(name)!;
    const [kh, kw, cin, cout] = c.kernel.shape;
    const cu = up.shape[3];
    const wUp = tf.slice(c.kernel, [0, 0, 0, 0], [kh, kw, cu, cout]) as tf.Tensor4D;
    const wSkip = tf.slice(c.kernel, [0, 0, cu, 0], [kh, kw, cin - cu, cout]) as tf.Tensor4D;
    return convBiasAct({ xs: [up, skip], filters: [wUp, wSkip], bias: c.bias as tf.Tensor1D, activation: 'relu' });
  };
  const config = {
    seed,
    inChannels: opts.inChannels ?? 3,
    numClasses: opts.numClasses ?? 20,
    width: opts.width ?? 1,
    depth,
  };
  return {
    kind: 'unet',
    inChannels: config.inChannels,
    numClasses: config.numClasses,
    params,
    config,
    apply(x: tf.Tensor4D): tf.Tensor4D {
      if (x.rank !== 4 || x.shape[3] !== config.inChannels) {
        throw new Error(`U-Net input must be [N,H,W,${config.inChannels}], got [${x.shape}]`);
      }
      return tf.tidy(() => {
        const skips: tf.Tensor4D[] = [];
        let h = x;
        for (let l = 0; l < depth; l++) {
          h = conv(`down${l}.conv1`, conv(`down${l}.conv0`, h, 'relu'), 'relu');
          skips.push(h);
          h = tf.maxPool(h, 2, 2, 'valid');
        }
        h = conv('mid.conv1', conv('mid.conv0', h, 'relu'), 'relu');
        for (let l = depth - 1; l >= 0; l--) {
          const skip = skips[l];
          let first: tf.Tensor4D;
          if (skip.shape[1] === 2 * h.shape[1] && skip.shape[2] === 2 * h.shape[2]) {
            const c = convs.get(`up${l}.conv0`)!;
            first = upConcatConvRelu(h, skip, c.kernel as tf.Tensor4D, c.bias as tf.Tensor1D);
          } else {
            first = convConcat(`up${l}.conv0`, tf.image.resizeNearestNeighbor(h, [skip.shape[1], skip.shape[2]]), skip);
          }
          h = conv(`up${l}.conv1`, first, 'relu');
        }
        return conv('head', h, 'linear');
      });
    },
    dispose() {
      for (const p of params) p.variable.dispose();
    },
  };
}
