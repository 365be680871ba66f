// lib/nn/trainable-subgraph.ts on a small hand-written graph: the same values as the tfjs ops it
// stands for, the nodes outside the prefix as inputs, float weights as parameters (integer
// constants read from the caller), gradients to every parameter, and unsupported ops refused by name.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/nn/runtime/backend.ts';
import { trainableSubgraph, type GraphNodeDef } from '../../lib/nn/trainable-subgraph.ts';
import { randomArray, relMaxDiff } from '../train/helpers.ts';

before(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

const b64 = (s: string) => Buffer.from(s).toString('base64');
const ints = (...v: number[]) => ({ list: { i: v.map(String) } });
const conv = (name: string, x: string, w: string, b: string, ops: string[]): GraphNodeDef => ({
  name,
  op: '_FusedConv2D',
  input: [x, w, b],
  attr: { strides: ints(1, 1, 1, 1), dilations: ints(1, 1, 1, 1), padding: { s: b64('SAME') }, fused_ops: { list: { s: ops.map(b64) } } },
});

// in (outside) -> 1x1 conv + ReLU -> depthwise 3x3 -> up x2 ; side (outside, at x2) -> concat -> squeeze-excite -> out
const nodes: GraphNodeDef[] = [
  { name: 'in', op: 'Placeholder' },
  { name: 'side', op: 'Placeholder' },
  { name: 'p/w1', op: 'Const' },
  { name: 'p/b1', op: 'Const' },
  { name: 'p/dw', op: 'Const' },
  { name: 'p/axis', op: 'Const' },
  { name: 'p/axes', op: 'Const' },
  { name: 'p/w2', op: 'Const' },
  { name: 'p/size', op: 'Const' },
  conv('p/conv', 'in', 'p/w1', 'p/b1', ['BiasAdd', 'Relu']),
  { name: 'p/depthwise', op: 'DepthwiseConv2dNative', input: ['p/conv', 'p/dw'], attr: { strides: ints(1, 1, 1, 1), dilations: ints(1, 1, 1, 1), padding: { s: b64('SAME') } } },
  { name: 'p/up', op: 'ResizeBilinear', input: ['p/depthwise', 'p/size'], attr: { align_corners: { b: false }, half_pixel_centers: { b: false } } },
  { name: 'p/cat', op: 'ConcatV2', input: ['p/up', 'side:0', 'p/axis'] },
  { name: 'p/relu', op: 'Relu', input: ['p/cat'] },
  { name: 'p/mean', op: 'Mean', input: ['p/relu', 'p/axes'], attr: { keep_dims: { b: true } } },
  { name: 'p/se', op: 'Conv2D', input: ['p/mean', 'p/w2'], attr: { strides: ints(1, 1, 1, 1), dilations: ints(1, 1, 1, 1), padding: { s: b64('SAME') } } },
  { name: 'p/gate', op: 'Sigmoid', input: ['p/se'] },
  { name: 'p/mul', op: 'Mul', input: ['p/relu', 'p/gate'] },
  { name: 'p/out', op: 'Add', input: ['p/mul', 'p/relu'] },
  { name: 'p/unused', op: 'Relu', input: ['p/out'] },
];

function weights() {
  const f = (shape: number[], key: string) => [tf.tensor(randomArray(shape.reduce((a, b) => a * b, 1), key, 0.5), shape)];
  return {
    'p/w1': f([1, 1, 3, 4], 'w1'),
    'p/b1': f([4], 'b1'),
    'p/dw': f([3, 3, 4, 1], 'dw'),
    'p/w2': f([1, 1, 6, 6], 'w2'),
    'p/axis': [tf.scalar(3, 'int32')],
    'p/axes': [tf.tensor1d([1, 2], 'int32')],
    'p/size': [tf.tensor1d([99, 99], 'int32')],
  };
}

const intConstant = (name: string) => ({ 'p/axis': [3], 'p/axes': [1, 2], 'p/size': [99, 99] })[name] ?? assert.fail(`asked for ${name}`);

test('a subgraph computes what the tfjs ops compute, reads the nodes outside its prefix as inputs and trains its float weights', () => {
  const w = weights();
  const sub = trainableSubgraph({ nodes, weights: w, target: 'p/out', prefix: 'p/', paramPrefix: 'enc.', intConstant, resizeSize: (_n, x) => [2 * x.shape[1], 2 * x.shape[2]] });
  assert.deepEqual(sub.inputs, ['in', 'side']);
  assert.deepEqual(sub.params.map((p) => p.name), ['enc.p/w1', 'enc.p/b1', 'enc.p/dw', 'enc.p/w2']);
  const x = tf.tensor4d(randomArray(2 * 5 * 6 * 3, 'x'), [2, 5, 6, 3]);
  const side = tf.tensor4d(randomArray(2 * 10 * 12 * 2, 's'), [2, 10, 12, 2]);
  const y = sub.apply(new Map([['in', x], ['side', side]]));
  const ref = tf.tidy(() => {
    const c = tf.relu(tf.add(tf.conv2d(x, w['p/w1'][0] as tf.Tensor4D, 1, 'same'), w['p/b1'][0]));
    const d = tf.depthwiseConv2d(c as tf.Tensor4D, w['p/dw'][0] as tf.Tensor4D, 1, 'same');
    const r = tf.relu(tf.concat([tf.image.resizeBilinear(d, [10, 12]), side], 3));
    const g = tf.sigmoid(tf.conv2d(tf.mean(r, [1, 2], true) as tf.Tensor4D, w['p/w2'][0] as tf.Tensor4D, 1, 'same'));
    return tf.add(tf.mul(r, g), r);
  });
  assert.deepEqual(y.shape, [2, 10, 12, 6]);
  assert.ok(relMaxDiff(y.dataSync() as Float32Array, ref.dataSync() as Float32Array) < 1e-5);
  // the parameters are copies: training them leaves the graph's weights as they were
  const { grads } = tf.variableGrads(() => tf.sum(tf.square(sub.apply(new Map([['in', x], ['side', side]])))) as tf.Scalar, sub.params.map((p) => p.variable));
  for (const p of sub.params) assert.ok(tf.max(tf.abs(grads[p.variable.name])).dataSync()[0] > 0, p.name);
  sub.params[0].variable.assign(tf.zerosLike(sub.params[0].variable));
  assert.ok(tf.max(tf.abs(w['p/w1'][0])).dataSync()[0] > 0);
  sub.dispose();
  tf.dispose([x, side, y, ref, ...Object.values(grads), ...Object.values(w).flat()]);
});

test('an op the subgraph does not support is refused with the node\'s name', () => {
  const w = weights();
  const bad = nodes.map((n) => (n.name === 'p/relu' ? { ...n, op: 'Relu6' } : n));
  const sub = trainableSubgraph({ nodes: bad, weights: w, target: 'p/out', prefix: 'p/', paramPrefix: '', intConstant, resizeSize: (_n, x) => [2 * x.shape[1], 2 * x.shape[2]] });
  const x = tf.zeros([1, 4, 4, 3]);
  const side = tf.zeros([1, 8, 8, 2]);
  assert.throws(() => sub.apply(new Map([['in', x], ['side', side]])), /p\/relu: op Relu6 is not supported/);
  assert.throws(() => sub.apply(new Map([['in', x]])), /subgraph input side not given/);
  assert.throws(() => trainableSubgraph({ nodes, weights: w, target: 'p/nothing', prefix: 'p/', paramPrefix: '', intConstant, resizeSize: () => [1, 1] }), /graph has no node p\/nothing/);
  sub.dispose();
  tf.dispose([x, side, ...Object.values(w).flat()]);
});
