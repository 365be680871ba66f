import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeSynthDataset } from '../../../lib/data/synth/write.ts';
import { collectTrainingCrops } from '../../../lib/anonymize/realistic/training-data.ts';
import { tempDir } from '../../helpers/tmp-dir.ts';

test('face training crops of a dataset without face boxes come from the face detector', async (t) => {
  const dir = await tempDir(t, 'gen-faces-');
  await writeSynthDataset({ out: dir, train: 6, val: 1, width: 512, height: 256, seed: 0 });
  // The Cityscapes-format copy has no face boxes and no keypoints: only the detector finds faces.
  const set = await collectTrainingCrops({ manifest: join(dir, 'synth-cityscapes.yaml'), split: 'train', kind: 'face', width: 32, height: 32, keypoints: false });
  assert.ok(set.crops.length > 0, 'no face crops');
  for (const c of set.crops) {
    assert.equal(c.target.length, 32 * 32 * 3);
    assert.ok(c.mask.some((v) => v > 0));
  }
});
