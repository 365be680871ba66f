import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { backboneLayers, backboneParamCount, resolveBackbone } from '../../lib/models/backbone.ts';
import { createTaskModel } from '../../lib/models/create.ts';
import { countParams } from '../../lib/nn/param.ts';

test('depth variants scale ResNet block counts by 1/3 (rounded up)', () => {
  assert.deepEqual(resolveBackbone({ depth: 18 }).blocks, [1, 1, 1, 1]);
  assert.deepEqual(resolveBackbone({ depth: 50 }).blocks, [1, 2, 2, 1]);
  assert.deepEqual(resolveBackbone({ depth: 101 }).blocks, [1, 2, 8, 1]);
  assert.deepEqual(resolveBackbone({ depth: 152 }).blocks, [1, 3, 12, 1]);
  assert.deepEqual(resolveBackbone({ depth: 101, blockDivisor: 1 }).blocks, [3, 4, 23, 3]);
  assert.deepEqual(resolveBackbone({ blocks: [2, 1, 1, 3] }).blocks, [2, 1, 1, 3]);
  assert.throws(() => resolveBackbone({ depth: 34 as 18 }), /depth must be one of/);
  assert.throws(() => resolveBackbone({ outputStride: 16 }), /outputStride must be 2, 4 or 8/);
  assert.throws(() => resolveBackbone({ blocks: [1, 1, 1] }), /4 integers/);
});

test('parameter count: worked out for width 4, depth 18, decoder 8, stride 4, 3 outputs', () => {
  const r = resolveBackbone({ width: 4, depth: 18, decoderWidth: 8, outputStride: 4 });
  // stem 3x3x3x4+4 = 112; stage0 block: 2 x (3x3x4x4+4) = 296; stage1: 3x3x4x8+8 + 3x3x8x8+8 + proj 4x8+8 = 296+584+40 = 920;
  // stage2: 3x3x8x16+16 + 3x3x16x16+16 + 8x16+16 = 1168+2320+144 = 3632; stage3: 3x3x16x32+32 + 3x3x32x32+32 + 16x32+32 = 4640+9248+544 = 14432;
  // laterals (stages 3, 2, 1 -> 8): 32x8+8 + 16x8+8 + 8x8+8 = 264+136+72 = 472; decoders 2, 1: 2 x (3x3x8x8+8) = 1168;
  // head conv 3x3x8x8+8 = 584; head out 8x3+3 = 27
  const expected = 112 + 296 + 920 + 3632 + 14432 + 472 + 1168 + 584 + 27;
  assert.equal(backboneParamCount(r, 3), expected);
  assert.equal(backboneLayers(r, 3).filter((l) => l.name.endsWith('.conv1')).every((l) => l.gain === 0), true);
});

test('task models: output grid at the output stride, heads laid out in order, seeded', async () => {
  await tf.setBackend('cpu');
  const x = tf.randomUniform([2, 64, 96, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
  const sem = createTaskModel({ task: 'semseg', width: 4, numClasses: 5, outputStride: 4, seed: 1 });
  assert.deepEqual(sem.apply(x).shape, [2, 16, 24, 5]);
  assert.deepEqual(sem.heads, { semantic: { offset: 0, count: 5 } });
  const ins = createTaskModel({ task: 'instances', width: 4, numClasses: 3, thingClasses: [1, 2], outputStride: 2, seed: 1 });
  assert.deepEqual(ins.apply(x).shape, [2, 32, 48, 10]);
  assert.deepEqual(ins.heads, { semantic: { offset: 0, count: 3 }, center: { offset: 3, count: 1 }, offset: { offset: 4, count: 2 }, box: { offset: 6, count: 4 } });
  const kp = createTaskModel({ task: 'keypoints', width: 4, outputStride: 8, depth: 50, seed: 1 });
  assert.deepEqual(kp.apply(x).shape, [2, 8, 12, 1 + 17 + 34 + 2 + 2 + 2]);
  assert.equal(kp.heads.local.offset, 54);
  // heatmap outputs start at the prior: sigmoid(bias) = 0.1
  const b = kp.params.find((p) => p.name === 'head.out.bias')!.variable.dataSync();
  assert.ok(Math.abs(1 / (1 + Math.exp(-b[0])) - 0.1) < 1e-6);
  assert.equal(b[18], 0);
  assert.equal(countParams(sem), backboneParamCount(resolveBackbone({ width: 4, outputStride: 4 }), 5));
  // same seed, same weights; another seed, other weights
  const again = createTaskModel({ task: 'semseg', width: 4, numClasses: 5, outputStride: 4, seed: 1 });
  const other = createTaskModel({ task: 'semseg', width: 4, numClasses: 5, outputStride: 4, seed: 2 });
  assert.deepEqual(again.params[0].variable.dataSync(), sem.params[0].variable.dataSync());
  assert.notDeepEqual(other.params[0].variable.dataSync(), sem.params[0].variable.dataSync());
  for (const m of [sem, ins, kp, again, other]) m.dispose();
  assert.throws(() => createTaskModel({ task: 'semseg', numClasses: 1 }), /numClasses must be an integer >= 2/);
  assert.throws(() => createTaskModel({ task: 'instances', numClasses: 3, thingClasses: [3] }), /thing class 3/);
});
