import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelById } from '../../../lib/data/cityscapes-labels.ts';
import { MIN_AREA } from '../../../lib/data/synth/annotate.ts';
import { generateSample, type SynthSample } from '../../../lib/data/synth/generate.ts';

const W = 512;
const H = 256;
const N = 10;
const samples: SynthSample[] = [];
for (let i = 0; i < N; i++) samples.push(generateSample({ seed: 0, split: 'train', index: i, width: W, height: H }));

test('same (seed, split, index) gives the same sample, in any order', () => {
  const again = generateSample({ seed: 0, split: 'train', index: 3, width: W, height: H });
  assert.deepEqual(again.rgb, samples[3].rgb);
  assert.deepEqual(again.labelIds, samples[3].labelIds);
  assert.deepEqual(again.instanceIds, samples[3].instanceIds);
  assert.deepEqual(again.instances, samples[3].instances);
  const other = generateSample({ seed: 1, split: 'train', index: 3, width: W, height: H });
  assert.notDeepEqual(other.rgb, samples[3].rgb);
  const val = generateSample({ seed: 0, split: 'val', index: 3, width: W, height: H });
  assert.notDeepEqual(val.rgb, samples[3].rgb);
});

test('label ids are official Cityscapes ids; instanceIds agree with labelIds', () => {
  for (const s of samples) {
    const seen = new Set<number>();
    for (let i = 0; i < W * H; i++) {
      const l = s.labelIds[i];
      seen.add(l);
      const v = s.instanceIds[i];
      if (v >= 1000) assert.equal(Math.floor(v / 1000), l, `${s.name} pixel ${i}`);
      else assert.equal(v, l, `${s.name} pixel ${i}`);
    }
    for (const l of seen) {
      const lab = labelById(l);
      assert.ok(lab && lab.id >= 0, `label ${l} is in the official table`);
    }
    for (const inst of s.instances) {
      if (inst.iscrowd) assert.ok(inst.instanceId < 1000 && inst.instanceId === inst.labelId);
      else {
        assert.equal(Math.floor(inst.instanceId / 1000), inst.labelId);
        assert.ok(labelById(inst.labelId)!.hasInstances);
      }
    }
  }
});

test('instance area and bbox are those of the visible pixels; ids are unique per image', () => {
  for (const s of samples) {
    const ids = new Set<number>();
    for (const inst of s.instances) {
      if (!inst.iscrowd) {
        assert.ok(!ids.has(inst.instanceId));
        ids.add(inst.instanceId);
      }
      let n = 0;
      let x0 = W;
      let y0 = H;
      let x1 = -1;
      let y1 = -1;
      for (let i = 0; i < W * H; i++) {
        if (s.objectIndex[i] !== inst.obj) continue;
        n++;
        assert.equal(s.instanceIds[i], inst.instanceId);
        const x = i % W;
        const y = (i - x) / W;
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
      assert.equal(n, inst.area);
      assert.ok(n >= MIN_AREA);
      assert.deepEqual(inst.bbox, [x0, y0, x1 - x0 + 1, y1 - y0 + 1]);
    }
    // every thing-pixel belongs to a listed instance
    const objs = new Set(s.instances.map((i) => i.obj));
    for (let i = 0; i < W * H; i++) if (s.objectIndex[i] !== 0) assert.ok(objs.has(s.objectIndex[i]));
  }
});

test('keypoints: 17 per person, v=0 outside the image, v=2 on the own visible mask', () => {
  let visible = 0;
  let occluded = 0;
  let farEar = 0;
  let byOther = 0;
  for (const s of samples) {
    for (const inst of s.instances) {
      const person = inst.kind === 'person' || inst.kind === 'rider';
      assert.equal(inst.keypoints !== undefined, person);
      if (!inst.keypoints) continue;
      const k = inst.keypoints;
      assert.equal(k.length, 51);
      let num = 0;
      for (let j = 0; j < 17; j++) {
        const [x, y, v] = [k[3 * j], k[3 * j + 1], k[3 * j + 2]];
        assert.ok(v === 0 || v === 1 || v === 2);
        if (v === 0) {
          assert.deepEqual([x, y], [0, 0]);
          continue;
        }
        num++;
        assert.ok(x >= 0 && x < W && y >= 0 && y < H, `${s.name} ${inst.instanceId} kp ${j} inside the image`);
        const i = Math.floor(y) * W + Math.floor(x);
        if (v === 2) {
          visible++;
          assert.equal(s.objectIndex[i], inst.obj, `${s.name} ${inst.instanceId} kp ${j} (${x}, ${y}) lies on its own mask`);
          assert.equal(s.instanceIds[i], inst.instanceId, 'not covered by another instance');
        } else {
          occluded++;
          if (s.objectIndex[i] !== 0 && s.objectIndex[i] !== inst.obj) byOther++;
        }
      }
      assert.equal(inst.numKeypoints, num);
      if ((k[3 * 3 + 2] === 2) !== (k[3 * 4 + 2] === 2) && k[3 * 3 + 2] > 0 && k[3 * 4 + 2] > 0) farEar++;
    }
  }
  assert.ok(visible > 100, `${visible} visible keypoints`);
  assert.ok(occluded > 20, `${occluded} occluded keypoints`);
  assert.ok(farEar > 0, 'some person shows one ear and hides the other');
  assert.ok(byOther > 0, 'some keypoints are hidden by another instance (car, person, bicycle)');
});

test('visible keypoints agree with the drawn body: inside the person box, head above ankles', () => {
  for (const s of samples) {
    for (const inst of s.instances) {
      if (!inst.keypoints) continue;
      const k = inst.keypoints;
      const [bx, by, bw, bh] = inst.bbox;
      for (let j = 0; j < 17; j++) {
        if (k[3 * j + 2] !== 2) continue;
        assert.ok(k[3 * j] >= bx && k[3 * j] < bx + bw && k[3 * j + 1] >= by && k[3 * j + 1] < by + bh);
      }
      const nose = 0;
      for (const ankle of [15, 16]) {
        if (k[3 * nose + 2] === 2 && k[3 * ankle + 2] === 2) assert.ok(k[3 * nose + 1] < k[3 * ankle + 1], `${s.name} ${inst.instanceId}: nose above ankle`);
      }
    }
  }
});

test('face boxes lie inside the person box, contain head pixels and the visible nose', () => {
  let faces = 0;
  for (const s of samples) {
    for (const inst of s.instances) {
      if (!inst.faceBox) continue;
      faces++;
      const [fx, fy, fw, fh] = inst.faceBox;
      const [bx, by, bw, bh] = inst.bbox;
      assert.ok(fw > 0 && fh > 0);
      assert.ok(fx >= bx && fy >= by && fx + fw <= bx + bw + 1e-9 && fy + fh <= by + bh + 1e-9, `${s.name} ${inst.instanceId} face ${inst.faceBox} in ${inst.bbox}`);
      let own = 0;
      for (let y = Math.floor(fy); y < Math.ceil(fy + fh); y++) for (let x = Math.floor(fx); x < Math.ceil(fx + fw); x++) if (s.objectIndex[y * W + x] === inst.obj) own++;
      assert.ok(own > 0);
      // the face sits in the top part of the person
      assert.ok(fy + fh <= by + bh * 0.5 + 2, 'face in the upper half');
      const k = inst.keypoints!;
      if (k[2] === 2) assert.ok(k[0] >= fx - 1.5 && k[0] <= fx + fw + 1.5 && k[1] >= fy - 1.5 && k[1] <= fy + fh + 1.5, `nose ${k[0]},${k[1]} in face ${inst.faceBox}`);
    }
  }
  assert.ok(faces >= 5, `${faces} faces`);
});

test('the set has crowds, riders on bicycles, cars, small and large persons', () => {
  const all = samples.flatMap((s) => s.instances);
  assert.ok(all.some((i) => i.kind === 'crowd' && i.iscrowd && i.labelId === 24));
  assert.ok(all.some((i) => i.kind === 'rider' && i.labelId === 25));
  assert.ok(all.some((i) => i.kind === 'bicycle' && i.labelId === 33));
  assert.ok(all.filter((i) => i.kind === 'car').length >= 10);
  const persons = all.filter((i) => i.kind === 'person');
  assert.ok(persons.some((p) => p.bbox[3] < 32), 'a person under 32 px');
  assert.ok(persons.some((p) => p.bbox[3] > H / 2), 'a person over half the image height');
  // each rider comes with a bicycle in the same image, overlapping it
  assert.ok(all.filter((i) => i.kind === 'bicycle').length >= 2);
  for (const s of samples) {
    for (const r of s.instances.filter((i) => i.kind === 'rider')) {
      const near = s.instances.some((b) => b.kind === 'bicycle' && b.bbox[0] < r.bbox[0] + r.bbox[2] && r.bbox[0] < b.bbox[0] + b.bbox[2] && b.bbox[1] < r.bbox[1] + r.bbox[3] && r.bbox[1] < b.bbox[1] + b.bbox[3]);
      // (unless something in front hides the bicycle and the rider's feet)
      const feetShow = r.keypoints![3 * 15 + 2] === 2 || r.keypoints![3 * 16 + 2] === 2;
      assert.ok(near || !feetShow, `${s.name}: rider ${r.instanceId} overlaps a bicycle`);
    }
  }
});

test('other image sizes work', () => {
  const s = generateSample({ seed: 5, split: 'val', index: 0, width: 96, height: 200 });
  assert.equal(s.rgb.length, 96 * 200 * 3);
  assert.throws(() => generateSample({ seed: 5, split: 'val', index: 0, width: 8, height: 200 }), /image size/);
});
