import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeImage } from '../../lib/data/image.ts';
import { loadManifest } from '../../lib/data/manifest.ts';
import { frBbox, toString } from '../../lib/data/masks/index.ts';
import { readSplit } from '../../lib/data/open.ts';
import { drawPreview } from '../../lib/data/synth/preview.ts';
import { gridLayout } from '../../lib/report/image-grid.ts';
import { predictionPreview } from '../../lib/report/prediction-preview.ts';
import { synthDataset, tempDir } from '../anonymize/runner-fixtures.ts';

test('ground truth beside each model\'s predictions on the same image; low scores are not drawn', async () => {
  const src = await tempDir('pred-preview-');
  try {
    const { coco } = await synthDataset(src.dir, 1);
    const ds = await readSplit(await loadManifest(coco), 'train');
    const s = ds.samples[0]!;
    const img = await decodeImage(join(ds.root, s.file), 3);
    const { width: W, height: H } = img;
    // one confident prediction (the first person's mask) and one below the threshold (a box in a corner)
    const person = s.instances.find((i) => i.category === 'person')!;
    const corner = frBbox([0, 0, 20, 20], H, W);
    const pred = join(src.dir, 'pred');
    await mkdir(pred);
    await writeFile(join(pred, 'gt.json'), JSON.stringify({ images: [{ id: 7, file_name: s.file, width: W, height: H }], categories: [{ id: 1, name: 'person' }], annotations: [] }));
    await writeFile(join(pred, 'results.json'), JSON.stringify([
      { image_id: 7, category_id: 1, score: 0.9, bbox: [0, 0, 1, 1], segmentation: { size: [H, W], counts: toString(person.mask) } },
      { image_id: 7, category_id: 1, score: 0.1, bbox: [0, 0, 20, 20], segmentation: { size: [H, W], counts: toString(corner) } },
    ]));
    const png = await predictionPreview(ds, [0], [{ caption: 'trained on the original', pred }], { cellWidth: W });
    const layout = gridLayout([[{ image: '', caption: 'a' }, { image: '', caption: 'b' }]], { cellWidth: W, cellHeight: H, fontSize: 14 });
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height], [layout.width, layout.height]);
    const cell = (j: number) => {
      const { left, top } = layout.cells[0]![j]!;
      const out = new Uint8Array(W * H * 3);
      for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < 3; c++) out[3 * (y * W + x) + c] = data[info.channels * ((top + y) * info.width + left + x) + c]!;
      return out;
    };
    const maxDiff = (a: Uint8Array, b: Uint8Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
    // column 1: the ground truth as annotationPreview draws it; column 2: only the confident prediction
    assert.ok(maxDiff(cell(0), drawPreview(img, s.instances.filter((i) => !i.iscrowd)).data) <= 1);
    assert.ok(maxDiff(cell(1), drawPreview(img, [{ ...person, keypoints: undefined, faceBox: undefined }]).data) <= 1);
    assert.ok(maxDiff(cell(1), img.data) > 20, 'the prediction is drawn');
    // a folder that is not a prediction folder is named in the error
    await assert.rejects(predictionPreview(ds, [0], [{ caption: 'x', pred: src.dir }]), (e: Error) => e.message.includes(join(src.dir, 'gt.json')) && /anon-impact predict/.test(e.message));
  } finally {
    await src.cleanup();
  }
});
