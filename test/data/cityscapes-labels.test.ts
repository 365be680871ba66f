import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cityscapesInstanceClasses,
  cityscapesLabels,
  labelById,
  labelByName,
  labelByTrainId,
  labelsOfCategory,
  resolvePolygonLabel,
} from '../../lib/data/cityscapes-labels.ts';

// Expected values transcribed by hand from cityscapesScripts helpers/labels.py.

test('the table has the 35 official labels in order', () => {
  assert.equal(cityscapesLabels.length, 35);
  assert.deepEqual(cityscapesLabels.map((l) => l.id), [...Array.from({ length: 34 }, (_, i) => i), -1]);
  assert.equal(cityscapesLabels[0].name, 'unlabeled');
  assert.equal(cityscapesLabels[34].name, 'license plate');
  assert.equal(new Set(cityscapesLabels.map((l) => l.name)).size, 35);
});

test('lookups by name, id and trainId', () => {
  assert.deepEqual(labelByName('car'), { name: 'car', id: 26, trainId: 13, category: 'vehicle', categoryId: 7, hasInstances: true, ignoreInEval: false, color: [0, 0, 142] });
  assert.deepEqual(labelById(-1), { name: 'license plate', id: -1, trainId: -1, category: 'vehicle', categoryId: 7, hasInstances: false, ignoreInEval: true, color: [0, 0, 142] });
  assert.equal(labelById(24)?.name, 'person');
  assert.deepEqual(labelById(24)?.color, [220, 20, 60]);
  assert.deepEqual(labelById(5)?.color, [111, 74, 0]);
  assert.equal(labelById(34), undefined);
  assert.equal(labelByName('pedestrian'), undefined);
  // trainId 255 is shared by many labels; the first in the table wins, as in labels.py.
  assert.equal(labelByTrainId(255)?.name, 'unlabeled');
  assert.equal(labelByTrainId(0)?.name, 'road');
  assert.equal(labelByTrainId(18)?.name, 'bicycle');
  assert.equal(labelByTrainId(-1)?.name, 'license plate');
  // The 19 training classes 0..18, one label each.
  const train = cityscapesLabels.filter((l) => l.trainId >= 0 && l.trainId < 255);
  assert.deepEqual(train.map((l) => l.trainId), Array.from({ length: 19 }, (_, i) => i));
});

test('instances, ignore flags and categories', () => {
  assert.deepEqual(cityscapesLabels.filter((l) => l.hasInstances).map((l) => l.id), [24, 25, 26, 27, 28, 29, 30, 31, 32, 33]);
  assert.deepEqual(cityscapesInstanceClasses.map((l) => l.name), ['person', 'rider', 'car', 'truck', 'bus', 'train', 'motorcycle', 'bicycle']);
  assert.equal(labelByName('caravan')?.ignoreInEval, true);
  assert.equal(labelByName('polegroup')?.ignoreInEval, true);
  assert.equal(cityscapesLabels.filter((l) => l.ignoreInEval).length, 16);
  assert.deepEqual(labelsOfCategory('human').map((l) => l.name), ['person', 'rider']);
  assert.equal(labelsOfCategory('void').length, 7);
  assert.deepEqual([...new Set(cityscapesLabels.map((l) => l.categoryId))], [0, 1, 2, 3, 4, 5, 6, 7]);
});

test('polygon label names resolve groups as assureSingleInstanceName does', () => {
  assert.deepEqual(resolvePolygonLabel('car'), { label: labelByName('car'), group: false });
  assert.deepEqual(resolvePolygonLabel('cargroup'), { label: labelByName('car'), group: true });
  assert.deepEqual(resolvePolygonLabel('polegroup'), { label: labelByName('polegroup'), group: false });
  assert.equal(resolvePolygonLabel('skygroup'), undefined);
  assert.equal(resolvePolygonLabel('foogroup'), undefined);
  assert.equal(resolvePolygonLabel('foo'), undefined);
});
