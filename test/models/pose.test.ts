import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { backboneParamCount, resolveBackbone } from '../../lib/models/backbone.ts';
import { createTaskModel } from '../../lib/models/create.ts';
import { countParams } from '../../lib/nn/param.ts';
import { createPoseNet, resolvePose } from '../../lib/models/pose.ts';

const pose = { width: 4, decoderWidth: 8, outputStride: 2, inputSize: [32, 64] as [number, number], expand: 1.25 };

test('pose network: 17 heatmaps at its output stride, parameters named pose.*', () => {
  const net = createPoseNet({ ...pose, seed: 3 });
  try {
    const y = tf.tidy(() => net.apply(tf.zeros([2, 64, 32, 3])));
    assert.deepEqual(y.shape, [2, 32, 16, 17]);
    assert.ok(Array.from(y.dataSync()).every(Number.isFinite));
    y.dispose();
    assert.ok(net.params.every((p) => p.name.startsWith('pose.')));
    assert.equal(countParams(net), backboneParamCount(resolveBackbone({ width: 4, decoderWidth: 8, outputStride: 2 }), 17));
  } finally {
    net.dispose();
  }
  assert.throws(() => resolvePose({ inputSize: [48, 64] }), /pose inputSize must be two multiples of 32, got \[48,64\]/);
  assert.throws(() => resolvePose({ expand: 0.5 }), /pose expand must be >= 1/);
});

test('a keypoints model with a pose stage: both networks in params, rebuilt from its config', () => {
  const a = createTaskModel({ task: 'keypoints', seed: 5, width: 4, decoderWidth: 8, pose });
  const single = createTaskModel({ task: 'keypoints', seed: 5, width: 4, decoderWidth: 8 });
  try {
    assert.ok(a.pose);
    assert.equal(single.pose, undefined);
    assert.equal(countParams(a), countParams(single) + countParams(a.pose));
    const names = a.params.map((p) => p.name);
    assert.equal(new Set(names).size, names.length, 'names are unique');
    // the first stage is the single-stage model, weight for weight
    single.params.forEach((p, i) => assert.deepEqual(a.params[i].variable.dataSync(), p.variable.dataSync()));
    // the pose stage draws its own initial weights (keyed by its names), not the first stage's
    const stem = (m: typeof a, name: string) => m.params.find((p) => p.name === name)!.variable.dataSync();
    assert.notDeepEqual(stem(a, 'pose.stem.kernel').slice(0, 8), stem(a, 'stem.kernel').slice(0, 8));
    const b = createTaskModel(JSON.parse(JSON.stringify(a.config)));
    try {
      assert.deepEqual(b.params.map((p) => p.name), names);
      b.params.forEach((p, i) => assert.deepEqual(p.variable.dataSync(), a.params[i].variable.dataSync()));
    } finally {
      b.dispose();
    }
  } finally {
    a.dispose();
    single.dispose();
  }
});
