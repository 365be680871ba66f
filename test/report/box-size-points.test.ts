import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Dataset, Instance } from '../../lib/data/types.ts';
import { boxSizePoints } from '../../lib/report/box-size-points.ts';
import { boxSizeCdfFigure } from '../../lib/report/figures.ts';

const inst = (id: number, category: string, w: number, h: number, extra: Partial<Instance> = {}): Instance => ({
  id,
  categoryId: 1,
  category,
  mask: { h: 100, w: 400, counts: Uint32Array.of(40000) },
  bbox: [0, 0, w, h],
  iscrowd: false,
  ignore: false,
  area: w * h,
  ...extra,
});

// A 400x100 image (area 40000): person boxes 20x20 (area 400: 1%), 40x40 (4%), 20x20 again,
// a 200x50 rider (25%); a crowd, an ignored person and a car that do not count.
const ds: Dataset = {
  format: 'coco',
  root: '/nowhere',
  split: 'val',
  categories: [],
  samples: [
    { id: '1', file: 'a.png', width: 400, height: 100, instances: [inst(1, 'person', 20, 20), inst(2, 'person', 40, 40), inst(3, 'person', 30, 30, { iscrowd: true }), inst(4, 'car', 100, 50)] },
    { id: '2', file: 'b.png', width: 400, height: 100, instances: [inst(5, 'person', 20, 20), inst(6, 'rider', 200, 50), inst(7, 'person', 10, 10, { ignore: true })] },
  ],
};

test('the CDF points as data stats writes them: relative length sqrt(wh/WH), its square, the fraction of boxes at most it', () => {
  const p = boxSizePoints(ds, { dataset: 'toy' });
  // persons: 0.1, 0.1, 0.2 -> CDF 2/3 at 0.1, 1 at 0.2
  assert.deepEqual(
    p.map((x) => [x.dataset, x.split, x.category, x.relativeLength, x.cdf]),
    [
      ['toy', 'val', 'person', 0.1, 2 / 3],
      ['toy', 'val', 'person', 0.2, 1],
    ],
  );
  assert.ok(Math.abs(p[0]!.areaFraction - 0.01) < 1e-15);
  const both = boxSizePoints(ds, { dataset: 'toy', categories: ['person', 'rider'] });
  assert.deepEqual(
    both.map((x) => [x.category, x.relativeLength, x.cdf]),
    [
      ['person+rider', 0.1, 0.5],
      ['person+rider', 0.2, 0.75],
      ['person+rider', 0.5, 1],
    ],
  );
  // the figure takes them as they are
  const f = boxSizeCdfFigure(p);
  assert.deepEqual(f.data[0]!.x, [0, 0.1, 0.2, 1]);
  assert.deepEqual(f.data[0]!.y, [0, 2 / 3, 1, 1]);
});
