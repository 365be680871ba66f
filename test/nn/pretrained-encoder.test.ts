// The frozen CenterNet-MobileNetV3 encoder read from @vladmandic/human's package files: feature
// shapes for any input size (padded to multiples of 32), the same bytes from the memo as from the
// graph, no trainable parameters when frozen, a fine-tuned decoder that starts as the frozen one,
// and what its record says about the weights.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/nn/runtime/backend.ts';
import { frozenEncoder, pretrainedEncoderInfo, PRETRAINED_ENCODER_NAMES } from '../../lib/nn/pretrained-encoder.ts';
import { createPretrainedBackbone } from '../../lib/models/pretrained-backbone.ts';
import { resolveBackbone } from '../../lib/models/backbone.ts';
import { createTaskModel } from '../../lib/models/create.ts';

before(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

function image(n: number, h: number, w: number, seed: number): tf.Tensor4D {
  const v = new Float32Array(n * h * w * 3);
  let s = seed;
  for (let i = 0; i < v.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    v[i] = (s / 2 ** 32 - 0.5) * 4;
  }
  return tf.tensor4d(v, [n, h, w, 3]);
}

test('the encoder gives stride-4 features of 128 channels for any input size, padded to multiples of 32', async () => {
  const enc = frozenEncoder('centernet-mobilenetv3-coco');
  const x = image(2, 40, 70, 1);
  const f = enc.apply(x);
  assert.deepEqual(f.shape, [2, 10, 18, 128]);
  const d = await f.data();
  assert.ok(d.every(Number.isFinite));
  assert.ok(d.some((v) => v !== 0));
  // an image on its own: the same features as in the batch
  const one = enc.apply(tf.slice(x, [1, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D);
  assert.deepEqual(Array.from(await one.data()), Array.from(d.subarray(10 * 18 * 128)));
  tf.dispose([x, f, one]);
});

test('features from the memo are the bytes the graph computes, and differ between images', async (t) => {
  process.env.ANON_IMPACT_ENCODER_MEMO_MB = '64';
  t.after(() => delete process.env.ANON_IMPACT_ENCODER_MEMO_MB);
  const enc = frozenEncoder('centernet-mobilenetv3-coco');
  const x = image(1, 64, 64, 7);
  const a = await enc.apply(x).data();
  const b = await enc.apply(x).data();
  assert.deepEqual(Array.from(b), Array.from(a));
  delete process.env.ANON_IMPACT_ENCODER_MEMO_MB;
  assert.deepEqual(Array.from(await enc.apply(x).data()), Array.from(a));
  const y = image(1, 64, 64, 8);
  const c = await enc.apply(y).data();
  assert.notDeepEqual(Array.from(c.slice(0, 64)), Array.from(a.slice(0, 64)));
  tf.dispose([x, y]);
});

test('the record names the weights, their origin and licence, and that they detect people', () => {
  assert.deepEqual(PRETRAINED_ENCODER_NAMES, ['centernet-mobilenetv3-coco']);
  const info = pretrainedEncoderInfo('centernet-mobilenetv3-coco');
  assert.match(info.origin, /@vladmandic\/human 3\.3\.6/);
  assert.match(info.trainedOn, /COCO/);
  assert.match(info.licence, /MIT/);
  assert.equal(info.detectsPeople, true);
  assert.throws(() => pretrainedEncoderInfo('imagenet-resnet'), /unknown pretrained encoder 'imagenet-resnet' \(centernet-mobilenetv3-coco\)/);
});

test('only the head trains: its parameters are the model\'s, and a gradient step reaches every one of them', () => {
  const r = resolveBackbone({ pretrained: 'centernet-mobilenetv3-coco', decoderWidth: 8, headBlocks: 1, seed: 3 });
  const net = createPretrainedBackbone(r, 5);
  assert.deepEqual(
    net.params.map((p) => `${p.name} [${p.variable.shape}]`),
    ['head.reduce.kernel [1,1,128,8]', 'head.reduce.bias [8]', 'head.block0.kernel [3,3,8,8]', 'head.block0.bias [8]', 'head.out.kernel [1,1,8,5]', 'head.out.bias [5]'],
  );
  const x = image(1, 32, 32, 2);
  const { grads } = tf.variableGrads(() => tf.sum(tf.square(net.apply(x))) as tf.Scalar, net.params.map((p) => p.variable));
  assert.deepEqual(Object.keys(grads).length, net.params.length);
  for (const p of net.params) assert.ok(grads[p.variable.name].abs().max().dataSync()[0] > 0, p.name);
  tf.dispose([x, ...Object.values(grads)]);
  net.dispose();
});

test('an instances model on the encoder keeps the task heads and output stride 4; the pose stage refuses an encoder', () => {
  const m = createTaskModel({ task: 'instances', numClasses: 3, thingClasses: [1, 2], pretrained: 'centernet-mobilenetv3-coco', decoderWidth: 8, seed: 1 });
  assert.equal(m.outputStride, 4);
  const x = image(1, 64, 96, 3);
  const y = m.apply(x);
  assert.deepEqual(y.shape, [1, 16, 24, 3 + 1 + 2 + 4]);
  tf.dispose([x, y]);
  m.dispose();
  assert.throws(() => resolveBackbone({ pretrained: 'centernet-mobilenetv3-coco', outputStride: 4, inChannels: 4 }), /takes 3 input channels/);
});


test('fine-tuning the decoder: it starts as the frozen encoder, its weights come first and every one of them gets a gradient', () => {
  const enc = frozenEncoder('centernet-mobilenetv3-coco');
  const dec = enc.trainableDecoder('encoder.');
  const x = image(2, 40, 70, 4);
  const frozen = enc.apply(x);
  const tuned = dec.apply(x);
  assert.deepEqual(tuned.shape, frozen.shape);
  assert.deepEqual(Array.from(tuned.dataSync()), Array.from(frozen.dataSync()));
  assert.equal(dec.params.length, 36);
  assert.ok(dec.params.every((p) => p.name.startsWith('encoder.') && p.name.includes('CenternetHead/')), dec.params.map((p) => p.name).join());
  const r = resolveBackbone({ pretrained: 'centernet-mobilenetv3-coco', decoderWidth: 8, headBlocks: 1, seed: 3, fineTune: 'decoder' });
  const net = createPretrainedBackbone(r, 5);
  assert.equal(net.params.length, 36 + 6);
  assert.deepEqual(net.params.slice(0, 36).map((p) => p.name), dec.params.map((p) => p.name));
  const { grads } = tf.variableGrads(() => tf.sum(tf.square(net.apply(x))) as tf.Scalar, net.params.map((p) => p.variable));
  for (const p of net.params) assert.ok(grads[p.variable.name].abs().max().dataSync()[0] > 0, p.name);
  // a changed decoder weight changes the features; the frozen encoder's stay as they were
  dec.params[0].variable.assign(tf.mul(dec.params[0].variable, 1.5));
  assert.notDeepEqual(Array.from(dec.apply(x).dataSync().slice(0, 256)), Array.from(frozen.dataSync().slice(0, 256)));
  assert.deepEqual(Array.from(enc.apply(x).dataSync()), Array.from(frozen.dataSync()));
  tf.dispose([x, frozen, tuned, ...Object.values(grads)]);
  dec.dispose();
  net.dispose();
  assert.throws(() => resolveBackbone({ fineTune: 'decoder' }), /needs a pretrained encoder/);
  assert.throws(() => resolveBackbone({ pretrained: 'centernet-mobilenetv3-coco', fineTune: 'all' as 'decoder' }), /fineTune must be one of none, decoder/);
});
