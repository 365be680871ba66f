import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { anonymizeSample } from '../../lib/anonymize/anonymize-sample.ts';
import { loadManifest } from '../../lib/data/manifest.ts';
import { readSplit } from '../../lib/data/open.ts';
import { gridLayout } from '../../lib/report/image-grid.ts';
import { entryCaption, focusRect, methodGallery } from '../../lib/report/method-gallery.ts';
import { synthDataset, tempDir } from '../anonymize/runner-fixtures.ts';

test('the original, then each method, as the runner would anonymize the image; wrapped into rows of `columns`', async () => {
  const src = await tempDir('gallery-');
  try {
    const { cityscapes } = await synthDataset(src.dir, 2, 128, 64);
    const m = await loadManifest(cityscapes);
    const ds = await readSplit(m, 'train');
    const entries = [
      { region: 'body' as const, method: 'maskout', params: { fill: 0 } },
      { region: 'body' as const, method: 'blur', params: { sigma: 2 }, caption: 'soft blur' },
      { region: 'body' as const, method: 'pixelate', params: { block: 4 }, dilation: 0 },
    ];
    assert.deepEqual(entries.map(entryCaption), ['Body - Mask-out', 'soft blur', 'Body - Pixelation']);
    const g = await methodGallery(ds, [0, 1], entries, { categories: m.anonymize, cellWidth: 128, gap: 4, fontSize: 10, columns: 2 });
    assert.deepEqual(g.captions, ['Original', 'Body - Mask-out', 'soft blur', 'Body - Pixelation']);
    assert.equal(g.regionCounts.length, 2);
    // 2 images x 4 cells in rows of 2: 4 rows of 128x64 cells (no scaling), caption bands of ceil(10 * 1.8)
    const layout = gridLayout([[{ image: '' }, { image: '' }], [], [], []], { cellWidth: 128, cellHeight: 64, gap: 4, fontSize: 10, letters: true });
    const meta = await sharp(g.png).metadata();
    assert.deepEqual([meta.width, meta.height], [layout.width, layout.height]);
    // the mask-out cell of the first image (row 0, column 1) is the anonymized image itself
    const want = await anonymizeSample(ds, 0, { region: 'body', method: 'maskout', params: { fill: 0 }, categories: m.anonymize, faceDetector: 'none' });
    const { data, info } = await sharp(g.png).raw().toBuffer({ resolveWithObject: true });
    const at = layout.cells[0]![1]!;
    let differ = 0;
    for (let y = 0; y < 64; y++) {
      for (let x = 0; x < 128; x++) {
        for (let c = 0; c < 3; c++) if (data[((at.top + y) * info.width + at.left + x) * info.channels + c] !== want.image.data[(y * 128 + x) * 3 + c]) differ++;
      }
    }
    assert.equal(differ, 0);
    assert.equal(g.regionCounts[0]![0], want.regions.length);
    await assert.rejects(methodGallery(ds, [], entries), /no images/);
    await assert.rejects(methodGallery(ds, [0], entries, { columns: 0 }), /columns must be a positive integer/);
  } finally {
    await src.cleanup();
  }
});

test('focus: every cell cropped to the largest instance grown by the margin, clamped to the image', async () => {
  const sample = {
    id: 's',
    file: 'x.png',
    width: 100,
    height: 50,
    instances: [
      { id: 1, categoryId: 1, category: 'person', mask: { h: 50, w: 100, counts: Uint32Array.of(5000) }, bbox: [10, 10, 10, 20] as [number, number, number, number], iscrowd: false, ignore: false, area: 150 },
      { id: 2, categoryId: 1, category: 'person', mask: { h: 50, w: 100, counts: Uint32Array.of(5000) }, bbox: [0, 0, 90, 50] as [number, number, number, number], iscrowd: true, ignore: false, area: 4000 },
      { id: 3, categoryId: 2, category: 'car', mask: { h: 50, w: 100, counts: Uint32Array.of(5000) }, bbox: [50, 20, 40, 20] as [number, number, number, number], iscrowd: false, ignore: false, area: 600 },
    ],
  };
  // person 1 (the crowd does not count): [10, 10, 10, 20] grown by 0.5 -> x 5..25, y 0 (clamped)..40
  assert.deepEqual(focusRect(sample, ['person']), { left: 5, top: 0, width: 20, height: 40 });
  assert.deepEqual(focusRect(sample, ['person'], 0), { left: 10, top: 10, width: 10, height: 20 });
  assert.deepEqual(focusRect(sample, ['car', 'person'], 1), { left: 10, top: 0, width: 90, height: 50 });
  assert.equal(focusRect(sample, ['bicycle']), undefined);

  const src = await tempDir('gallery-focus-');
  try {
    const { cityscapes } = await synthDataset(src.dir, 1, 128, 64);
    const m = await loadManifest(cityscapes);
    const ds = await readSplit(m, 'train');
    const rect = focusRect(ds.samples[0]!, m.anonymize, 0.25)!;
    const g = await methodGallery(ds, [0], [{ region: 'body', method: 'maskout', params: { fill: 0 } }], { categories: m.anonymize, focus: { margin: 0.25 }, cellWidth: rect.width, gap: 0, original: true });
    const { data, info } = await sharp(g.png).raw().toBuffer({ resolveWithObject: true });
    const want = await anonymizeSample(ds, 0, { region: 'body', method: 'maskout', params: { fill: 0 }, categories: m.anonymize, faceDetector: 'none' });
    // the second cell is the crop of the anonymized image (same size: no scaling)
    assert.equal(info.width, 2 * rect.width);
    let differ = 0;
    for (let y = 0; y < rect.height; y++) {
      for (let x = 0; x < rect.width; x++) {
        for (let c = 0; c < 3; c++) if (data[(y * info.width + rect.width + x) * info.channels + c] !== want.image.data[((rect.top + y) * 128 + rect.left + x) * 3 + c]) differ++;
      }
    }
    assert.equal(differ, 0);
  } finally {
    await src.cleanup();
  }
});
