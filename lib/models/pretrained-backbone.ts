// The task network on a frozen pretrained encoder (lib/nn/pretrained-encoder.ts): the encoder's
// stride-4 features, fixed, then a trainable head in place of the from-scratch encoder-decoder of
// backbone.ts:
//
//   reduce:  conv1x1 encoder channels -> d, ReLU
//   blocks:  `headBlocks` x conv3x3 d -> d, ReLU
//   out:     conv1x1 d -> sum of the heads' channels (linear)
//
// d is the backbone options' decoderWidth. With fineTune 'none' only the head trains (a probe with
// a few layers on fixed features) and the encoder's weights are constants; with 'decoder' the
// encoder's decoder (for CenterNet: its feature pyramid from the backbone's stride-4 to stride-32
// maps up to the stride-4 features) trains too, from its pretrained weights, at the head's
// learning rate, while the backbone below it stays fixed. Its output stride is the encoder's (4).
import * as tf from '@tensorflow/tfjs';
import { heNormal } from '../nn/init.ts';
import { convBiasAct } from '../nn/ops/conv-bias-act.ts';
import type { Param } from '../nn/param.ts';
import { frozenEncoder } from '../nn/pretrained-encoder.ts';
import type { Backbone, ResolvedBackbone } from './backbone.ts';

interface Layer {
  name: string;
  k: number;
  cin: number;
  cout: number;
}

/** The trainable layers of the head on encoder `r.pretrained`, in parameter order. */
export function pretrainedHeadLayers(r: ResolvedBackbone, channels: number, outChannels: number): Layer[] {
  const d = r.decoderWidth;
  const layers: Layer[] = [{ name: 'head.reduce', k: 1, cin: channels, cout: d }];
  for (let b = 0; b < (r.headBlocks ?? 2); b++) layers.push({ name: `head.block${b}`, k: 3, cin: d, cout: d });
  layers.push({ name: 'head.out', k: 1, cin: d, cout: outChannels });
  return layers;
}

export function createPretrainedBackbone(r: ResolvedBackbone, outChannels: number, outBias?: Float32Array, prefix = ''): Backbone {
  if (!r.pretrained) throw new Error('createPretrainedBackbone: no pretrained encoder named');
  const encoder = frozenEncoder(r.pretrained);
  if (r.outputStride !== encoder.info.stride) throw new RangeError(`the ${r.pretrained} encoder has output stride ${encoder.info.stride}, the model asks for ${r.outputStride}`);
  const layers = pretrainedHeadLayers(r, encoder.info.channels, outChannels);
  const decoder = r.fineTune === 'decoder' ? encoder.trainableDecoder(`${prefix}encoder.`) : undefined;
  const head: Param[] = [];
  const convs: { kernel: tf.Variable; bias: tf.Variable; relu: boolean; inputGrad: boolean }[] = [];
  for (const l of layers) {
    const kernel = tf.variable(tf.tensor4d(heNormal(l.k * l.k * l.cin * l.cout, l.k * l.k * l.cin, r.seed, `${prefix}${l.name}.kernel`), [l.k, l.k, l.cin, l.cout]), true);
    const b = l.name === 'head.out' && outBias ? outBias : new Float32Array(l.cout);
    if (b.length !== l.cout) throw new Error(`output bias has ${b.length} values, the output conv ${l.cout} channels`);
    const bias = tf.variable(tf.tensor1d(b), true);
    head.push({ name: `${prefix}${l.name}.kernel`, variable: kernel }, { name: `${prefix}${l.name}.bias`, variable: bias });
    // frozen, the encoder's features are constants: the first layer needs no gradient for its input
    convs.push({ kernel, bias, relu: l.name !== 'head.out', inputGrad: convs.length > 0 || decoder !== undefined });
  }
  return {
    // the decoder's weights first (their names start with `${prefix}encoder.`), then the head's
    params: [...(decoder?.params ?? []), ...head],
    apply(x: tf.Tensor4D): tf.Tensor4D {
      if (x.rank !== 4 || x.shape[3] !== 3) throw new Error(`network input must be [N,H,W,3], got [${x.shape}]`);
      return tf.tidy(() => {
        let y = decoder ? decoder.apply(x) : encoder.apply(x);
        for (const c of convs) y = convBiasAct({ xs: [y], filters: [c.kernel as tf.Tensor4D], bias: c.bias as tf.Tensor1D, activation: c.relu ? 'relu' : 'linear', inputGrads: [c.inputGrad] });
        return y;
      });
    },
    dispose() {
      for (const p of head) p.variable.dispose();
      decoder?.dispose();
    },
  };
}
