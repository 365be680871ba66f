// COCO annToRLE: polygons -> frPoly each -> union; RLE objects read as they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { area, decode, frPoly, merge, segmentationToRle, toBbox } from '../../../lib/data/masks/index.ts';
import { DataError } from '../../../lib/data/types.ts';
import { rows } from './pixels.ts';

const c = (r: { counts: Uint32Array }) => Array.from(r.counts);

test('multi-part polygons are merged by union (overlap counted once)', () => {
  // squares [0,2]x[0,2] and [1,3]x[1,3] on 4x4: union pixels, column-major indices
  // 0,1 | 4,5,6 | 9,10 -> runs 0,2,2,3,2,2,5 (hand-worked)
  const r = segmentationToRle([[0, 0, 2, 0, 2, 2, 0, 2], [1, 1, 3, 1, 3, 3, 1, 3]], 4, 4);
  assert.deepEqual(c(r), [0, 2, 2, 3, 2, 2, 5]);
  assert.deepEqual(rows(decode(r), 4, 4), ['##..', '###.', '.##.', '....']);
  // disjoint parts
  const d = segmentationToRle([[0, 0, 1, 0, 1, 1, 0, 1], [3, 3, 4, 3, 4, 4, 3, 4]], 4, 4);
  assert.deepEqual(c(d), [0, 1, 14, 1]);
  // a single polygon is frPoly itself
  const p = [0.5, 0.5, 3.5, 0.5, 0.5, 3.5];
  assert.deepEqual(segmentationToRle([p], 5, 5), frPoly(p, 5, 5));
  assert.deepEqual(segmentationToRle([p, p], 5, 5), merge([frPoly(p, 5, 5), frPoly(p, 5, 5)]));
});

test('RLE objects, compressed and uncompressed', () => {
  assert.deepEqual(c(segmentationToRle({ size: [4, 4], counts: '02208' }, 4, 4)), [0, 2, 2, 2, 10]);
  assert.deepEqual(c(segmentationToRle({ size: [4, 4], counts: [0, 2, 2, 2, 10] }, 4, 4)), [0, 2, 2, 2, 10]);
});

test('malformed segmentations throw DataError with the failing field', () => {
  const ctx = { file: 'x.json', record: 'annotation 3', field: 'segmentation' };
  const cases: [unknown, string, RegExp][] = [
    [[], 'segmentation', /empty polygon list/],
    [[[0, 0, 1, 0]], 'segmentation[0]', /2 points, at least 3/],
    [[[0, 0, 1, 0, 1, 1], [0, 0, 1, 0, 1]], 'segmentation[1]', /odd number/],
    [[[0, 0, 1, 0, 1, Infinity]], 'segmentation[0]', /not a finite number/],
    [[[0, 0, 1, 0, 1, '2']], 'segmentation[0]', /not a finite number/],
    [[[0, 0, 1, 0, 1, null]], 'segmentation[0]', /not a finite number/],
    [[5], 'segmentation[0]', /expected a polygon/],
    [{ size: [4, 5], counts: '02208' }, 'segmentation', /disagrees/],
    [{ size: [4, 4], counts: [1, 2] }, 'segmentation', /sum to 3/],
    ['abc', 'segmentation', /expected a polygon list or an RLE object/],
    [undefined, 'segmentation', /nothing/],
  ];
  for (const [seg, field, re] of cases) {
    assert.throws(() => segmentationToRle(seg, 4, 4, ctx), (e: unknown) => {
      assert.ok(e instanceof DataError, String(e));
      assert.equal(e.file, 'x.json');
      assert.equal(e.record, 'annotation 3');
      assert.equal(e.field, field);
      assert.match(e.message, re);
      return true;
    }, JSON.stringify(seg));
  }
});

const coco = fileURLToPath(new URL('../../../../shared/data/coco-mini/test_coco.json', import.meta.url));

test('COCO sample polygons: rasterized area close to the polygon area', (t) => {
  if (!existsSync(coco)) {
    t.skip(`../shared/data not found: ${coco}`);
    return;
  }
  const data = JSON.parse(readFileSync(coco, 'utf8')) as {
    images: { id: number; width: number; height: number }[];
    annotations: { id: number; image_id: number; area: number; bbox: number[]; segmentation: number[][] }[];
  };
  assert.equal(data.annotations.length, 14);
  for (const a of data.annotations) {
    const img = data.images.find((i) => i.id === a.image_id)!;
    const r = segmentationToRle(a.segmentation, img.height, img.width, { file: coco, record: `annotation ${a.id}`, field: 'segmentation' });
    // COCO's `area` for polygons is the exact (shoelace) polygon area, summed over the parts:
    let exact = 0;
    let perimeter = 0;
    for (const p of a.segmentation) {
      const n = p.length / 2;
      let s = 0;
      for (let i = 0; i < n; i++) {
        const j = (i + 1) % n;
        s += p[2 * i] * p[2 * j + 1] - p[2 * j] * p[2 * i + 1];
        perimeter += Math.hypot(p[2 * j] - p[2 * i], p[2 * j + 1] - p[2 * i + 1]);
      }
      exact += Math.abs(s) / 2;
    }
    assert.ok(Math.abs(exact - a.area) < 1e-3, `annotation ${a.id}: area field ${a.area} vs shoelace ${exact}`);
    // Tolerance: the raster counts pixels whose centres are inside, so only pixels the boundary
    // passes through can differ from the exact area, each by less than 1, and their signed
    // errors largely cancel; vertices are also rounded to 1/5 px, moving the boundary by up to
    // 0.1 px (area change up to 0.1 * perimeter). Observed |diff| / perimeter is at most 0.047
    // on these 14 persons (diffs -43..+7 px), so the bound 0.1 * perimeter + 1 holds with room.
    const diff = area(r) - a.area;
    assert.ok(Math.abs(diff) <= 0.1 * perimeter + 1, `annotation ${a.id}: raster ${area(r)} vs ${a.area} (perimeter ${perimeter})`);
    // The raster box lies within one pixel of the annotation's (float) box on every side.
    const [x, y, w, h] = toBbox(r);
    const [bx, by, bw, bh] = a.bbox;
    assert.ok(Math.abs(x - bx) <= 1 && Math.abs(y - by) <= 1, `annotation ${a.id}: box origin ${[x, y]} vs ${[bx, by]}`);
    assert.ok(Math.abs(x + w - (bx + bw)) <= 1 && Math.abs(y + h - (by + bh)) <= 1, `annotation ${a.id}: box end`);
  }
});
