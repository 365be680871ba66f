import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AugSample } from '../../lib/train/augment.ts';
import type { BaseInstance } from '../../lib/train/loader.ts';
import { drawGaussian, instanceTargets, keypointTargets, outputSize, semanticTargets } from '../../lib/train/targets.ts';
import { OFFSET_SCALE } from '../../lib/models/instances.ts';

const cfg = { outputStride: 2, minSigma: 0.8, sigmaScale: 0.1, keypointSigmaRatio: 0.5 };

function inst(over: Partial<BaseInstance>): BaseInstance {
  return { classIndex: 1, crowd: false, ignore: false, bbox: [0, 0, 0, 0], numKeypoints: 0, ...over };
}

/** A 12 x 8 canvas (6 x 4 at stride 2). */
function canvas(): AugSample {
  const n = 12 * 8;
  return {
    width: 12,
    height: 8,
    image: new Uint8Array(n * 3),
    valid: new Uint8Array(n).fill(1),
    semantic: new Uint8Array(n),
    instanceMap: new Int32Array(n).fill(-1),
    instances: [],
  };
}

function paint(s: AugSample, x0: number, y0: number, x1: number, y1: number, id: number, cls: number) {
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      s.instanceMap[y * s.width + x] = id;
      s.semantic![y * s.width + x] = cls;
    }
}

test('outputSize and semanticTargets: the pixel at each cell centre; padding is ignored', () => {
  assert.deepEqual(outputSize(12, 8, 2), [6, 4]);
  assert.deepEqual(outputSize(13, 9, 4), [4, 3]);
  const s = canvas();
  for (let p = 0; p < 96; p++) s.semantic![p] = (p % 12) + 10 * Math.floor(p / 12);
  s.valid[1 * 12 + 3] = 0; // cell (1, 0) samples input pixel (3, 1)
  const t = semanticTargets(s, 2);
  assert.equal(t.width, 6);
  assert.equal(t.labels[0], 1 * 10 + 1);
  assert.equal(t.labels[1], 255);
  assert.equal(t.labels[2], 10 + 5);
  assert.equal(t.labels[6 + 3], 30 + 7);
});

test('drawGaussian: peak 1 at the integer centre, the maximum where Gaussians overlap', () => {
  const m = new Float32Array(25);
  drawGaussian(m, 5, 5, 2, 2, 1);
  assert.equal(m[12], 1);
  assert.ok(Math.abs(m[13] - Math.exp(-0.5)) < 1e-7);
  assert.ok(Math.abs(m[0] - Math.exp(-4)) < 1e-7);
  drawGaussian(m, 5, 5, 3, 2, 1);
  assert.equal(m[13], 1);
  assert.equal(m[12], 1);
});

test('instanceTargets: centre of mass, offsets to it, crowd regions without heatmap loss', () => {
  const s = canvas();
  // instance 0: input x 2..5, y 2..5 -> cells x 1..2, y 1..2; centre of mass (1.5, 1.5), rounded to (2, 2)
  paint(s, 2, 5, 2, 5, 0, 1);
  paint(s, 2, 2, 5, 5, 0, 1);
  // instance 1: a crowd at input x 8..11, y 0..3 -> cells x 4..5, y 0..1
  paint(s, 8, 0, 11, 3, 1, 1);
  s.instances = [inst({ bbox: [2, 2, 4, 4] }), inst({ crowd: true, bbox: [8, 0, 4, 4] })];
  const t = instanceTargets(s, [1], cfg);
  assert.equal(t.numInstances, 1);
  assert.equal(t.center[2 * 6 + 2], 1);
  assert.equal(t.center.filter((v) => v === 1).length, 1);
  // sigma = max(0.8, 0.1 * sqrt(2 * 2)) = 0.8
  assert.ok(Math.abs(t.center[2 * 6 + 1] - Math.exp(-1 / (2 * 0.64))) < 1e-6);
  // offsets (dy, dx) / OFFSET_SCALE from cell (1, 1) to (1.5, 1.5)
  const p = 1 * 6 + 1;
  assert.ok(Math.abs(t.offset[2 * p] - 0.5 / OFFSET_SCALE) < 1e-7);
  assert.ok(Math.abs(t.offset[2 * p + 1] - 0.5 / OFFSET_SCALE) < 1e-7);
  assert.equal(t.offsetWeight[p], 1);
  assert.equal(t.offsetWeight[0], 0);
  // crowd cells: no heatmap loss, no offsets; background cells: full weight
  assert.equal(t.centerWeight[0 * 6 + 4], 0);
  assert.equal(t.centerWeight[1 * 6 + 5], 0);
  assert.equal(t.offsetWeight[0 * 6 + 4], 0);
  assert.equal(t.centerWeight[0], 1);
  assert.equal(t.labels[p], 1);
  // box edges (input [2, 6) -> output 0.5 .. 2.5) from the centre cell (2, 2): l, t = 1.5, r, b = 0.5
  const q = 2 * 6 + 2;
  assert.deepEqual([...t.box.subarray(4 * q, 4 * q + 4)].map((v) => Math.round(Math.exp(v) * 1e6) / 1e6), [1.5, 1.5, 0.5, 0.5]);
  assert.equal(t.boxWeight[q], 1);
  assert.equal(t.boxWeight[1 * 6 + 1], 1);
  assert.equal(t.boxWeight[0], 0);
  // a class that is not a thing gets no centre
  assert.equal(instanceTargets(s, [2], cfg).numInstances, 0);
});

test('keypointTargets: centre at the box centre, keypoint peaks, offsets from the centre cells', () => {
  const s = canvas();
  paint(s, 4, 0, 7, 7, 0, 0);
  const kp = new Float32Array(51);
  kp.set([5, 1, 2], 0); // nose at input (5, 1) -> output (2, 0)
  kp.set([7.5, 6, 1], 3 * 16); // right ankle at input (7.5, 6) -> output (3.25, 2.5) -> cell (3, 3) (round half up)
  s.instances = [inst({ classIndex: 0, bbox: [4, 0, 4, 8], keypoints: kp, numKeypoints: 2 })];
  const t = keypointTargets(s, cfg);
  assert.equal(t.numPersons, 1);
  // box centre (6, 4) -> output (2.5, 1.5) -> cell (3, 2)
  const c = 2 * 6 + 3;
  assert.equal(t.center[c], 1);
  assert.equal(t.keypoints[(0 * 6 + 2) * 17 + 0], 1);
  assert.equal(t.keypoints[(3 * 6 + 3) * 17 + 16], 1);
  // sub-pixel position of the ankle in its cell
  assert.ok(Math.abs(t.local[2 * (3 * 6 + 3)] - 0.25) < 1e-7);
  assert.ok(Math.abs(t.local[2 * (3 * 6 + 3) + 1] + 0.5) < 1e-7);
  assert.equal(t.localWeight[3 * 6 + 3], 1);
  // offsets from the centre cell (3, 2) to the nose (2, 0) and from its neighbour (2, 1)
  assert.ok(Math.abs(t.offsets[34 * c] - -1 / OFFSET_SCALE) < 1e-7);
  assert.ok(Math.abs(t.offsets[34 * c + 1] - -2 / OFFSET_SCALE) < 1e-7);
  const nb = 1 * 6 + 2;
  assert.ok(Math.abs(t.offsets[34 * nb] - 0) < 1e-7);
  assert.ok(Math.abs(t.offsets[34 * nb + 1] - -1 / OFFSET_SCALE) < 1e-7);
  // absent keypoints carry no offset loss
  assert.equal(t.offsetsWeight[34 * c + 2], 0);
  assert.equal(t.offsetsWeight[34 * c + 0], 1);
  assert.ok(Math.abs(t.size[2 * c] - Math.log(2)) < 1e-6);
  assert.ok(Math.abs(t.size[2 * c + 1] - Math.log(4)) < 1e-6);
  assert.equal(t.sizeWeight[c], 1);
  assert.equal(t.sizeWeight[0], 0);
  // the person mask: cells x 2..3 are the person
  assert.deepEqual([...t.labels.subarray(0, 6)], [0, 0, 1, 1, 0, 0]);
});

test('keypointTargets: a person without keypoints is a person to detect, not a keypoint negative; crowds are ignored', () => {
  const s = canvas();
  paint(s, 0, 0, 3, 7, 0, 0);
  paint(s, 8, 0, 11, 7, 1, 0);
  s.instances = [inst({ classIndex: 0, bbox: [0, 0, 4, 8], keypoints: new Float32Array(51) }), inst({ classIndex: 0, crowd: true, bbox: [8, 0, 4, 8] })];
  const t = keypointTargets(s, cfg);
  assert.equal(t.numPersons, 1);
  // its centre: box centre (2, 4) -> output (0.5, 1.5) -> cell (1, 2); its size 2 x 4 cells
  const c = 2 * 6 + 1;
  assert.equal(t.center[c], 1);
  assert.equal(t.center.filter((v) => v === 1).length, 1, 'the crowd has no centre');
  assert.equal(t.sizeWeight[c], 1);
  assert.ok(Math.abs(t.size[2 * c] - Math.log(2)) < 1e-6 && Math.abs(t.size[2 * c + 1] - Math.log(4)) < 1e-6);
  // no keypoint targets: no keypoint heatmap loss over it, no offsets, no sub-pixel positions
  assert.equal(t.centerWeight[0], 1);
  assert.equal(t.keypointWeight[0], 0);
  assert.equal(t.keypoints.filter((v) => v > 0).length, 0);
  assert.equal(t.offsetsWeight.filter((v) => v > 0).length, 0);
  assert.equal(t.localWeight.filter((v) => v > 0).length, 0);
  // the crowd: neither loss; the background: both
  assert.equal(t.centerWeight[5], 0);
  assert.equal(t.keypointWeight[5], 0);
  assert.equal(t.centerWeight[3], 1);
  assert.equal(t.keypointWeight[3], 1);
  // both are person pixels in the mask target (a crowd is people too)
  assert.deepEqual([...t.labels.subarray(0, 6)], [1, 1, 0, 0, 1, 1]);
});
