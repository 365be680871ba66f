import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classOfCategory, classSpec, trainIdLut } from '../../lib/train/classes.ts';
import { cityscapesCategories } from '../../lib/data/cityscapes.ts';
import type { Category } from '../../lib/data/types.ts';

const city = { format: 'cityscapes' as const, categories: cityscapesCategories(), root: '/d', split: 'train' };
const person: Category = { id: 1, name: 'person', keypoints: Array.from({ length: 17 }, (_, i) => `k${i}`) };
const coco = { format: 'coco' as const, categories: [person, { id: 3, name: 'car' }], root: '/c', split: 'val' };

test('Cityscapes: 19 train ids written as label ids; things are person .. bicycle', () => {
  const s = classSpec(city, 'semseg');
  assert.equal(s.names.length, 19);
  assert.deepEqual(s.outputIds, [7, 8, 11, 12, 13, 17, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 31, 32, 33]);
  assert.deepEqual(s.thingClasses, [11, 12, 13, 14, 15, 16, 17, 18]);
  assert.equal(classOfCategory(s, 24), 11); // person
  assert.equal(classOfCategory(s, 29), -1); // caravan: no train id
  const lut = trainIdLut();
  assert.deepEqual([lut[7], lut[24], lut[29], lut[0]], [0, 11, 255, 255]);
});

test('other formats: background + categories, written as category ids; keypoints: the keypoint category', () => {
  const s = classSpec(coco, 'instances');
  assert.deepEqual(s.names, ['background', 'person', 'car']);
  assert.deepEqual(s.outputIds, [0, 1, 3]);
  assert.deepEqual(s.thingClasses, [1, 2]);
  assert.equal(classOfCategory(s, 3), 2);
  const k = classSpec(coco, 'keypoints');
  assert.deepEqual([k.names, k.outputIds, k.thingClasses], [['person'], [1], [0]]);
  assert.throws(() => classSpec(city, 'keypoints'), /exactly one category with 17 keypoints, found 0 \(Cityscapes has no keypoints/);
});

test('Cityscapes instances: background + the 8 instance classes; stuff is background, void ignored', () => {
  const s = classSpec(city, 'instances');
  assert.deepEqual(s.names, ['background', 'person', 'rider', 'car', 'truck', 'bus', 'train', 'motorcycle', 'bicycle']);
  assert.deepEqual(s.outputIds, [0, 24, 25, 26, 27, 28, 31, 32, 33]);
  assert.deepEqual(s.thingClasses, [1, 2, 3, 4, 5, 6, 7, 8]);
  const lut = s.labelLut!;
  // road 7 and sky 23 -> background; person 24 -> 1; bicycle 33 -> 8; unlabeled 0, caravan 29 -> ignored
  assert.deepEqual([lut[7], lut[23], lut[24], lut[33], lut[0], lut[29]], [0, 0, 1, 8, 255, 255]);
});

test('excluded categories train no class and have no instances', () => {
  const sem = classSpec(city, 'semseg', ['person']);
  assert.deepEqual(sem.ignoredClasses, [11]);
  assert.equal(sem.labelLut![24], 255);
  assert.equal(sem.labelLut![25], 12);
  const s = classSpec(city, 'instances', ['person']);
  assert.deepEqual(s.thingClasses, [2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(s.ignoredClasses, [1]);
  assert.equal(classOfCategory(s, 24), -1);
  assert.equal(s.labelLut![24], 255);
  assert.equal(s.names.length, 9);
  // excluding a stuff class changes nothing for instances (it is background there)
  assert.deepEqual(classSpec(city, 'instances', ['road']).ignoredClasses, []);
  const c = classSpec(coco, 'instances', ['person']);
  assert.deepEqual(c.names, ['background', 'car']);
  assert.equal(classOfCategory(c, 1), -1);
  assert.throws(() => classSpec(coco, 'instances', ['bus']), /cannot exclude 'bus': not a class of this dataset \(person, car\)/);
  assert.throws(() => classSpec(coco, 'keypoints', ['person']), /keypoints task's category/);
});
