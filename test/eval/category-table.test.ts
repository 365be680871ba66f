// detectron2's per-category AP table, byte for byte. Goldens: detectron2's
// COCOEvaluator._derive_coco_results table code run with tabulate 0.8.10 and 0.10.0 (same output):
//   N_COLS = min(6, len(results_per_category) * 2); rows from itertools.zip_longest;
//   tabulate(rows, tablefmt="pipe", floatfmt=".3f", headers=["category", "AP"] * (N_COLS // 2), numalign="left")
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { categoryTable } from '../../lib/eval/category-table.ts';

test('two categories: one row of two pairs; an undefined AP (null) prints nan', () => {
  assert.deepEqual(categoryTable({ pedestrian: (25.5 / 101) * 100, van: null }), [
    '| category   | AP     | category   | AP   |',
    '|:-----------|:-------|:-----------|:-----|',
    '| pedestrian | 25.248 | van        | nan  |',
  ]);
});

test("five categories: three pairs a row, the last row padded with empty cells; widths from the longest cell; '.3f' rounds half to even", () => {
  assert.deepEqual(categoryTable({ person: (25.5 / 101) * 100, rider: null, 'traffic light': 0, car: 100, a: 12.5625 }), [
    '| category   | AP      | category   | AP     | category      | AP    |',
    '|:-----------|:--------|:-----------|:-------|:--------------|:------|',
    '| person     | 25.248  | rider      | nan    | traffic light | 0.000 |',
    '| car        | 100.000 | a          | 12.562 |               |       |',
  ]);
});

test('one category: one pair; seven: three rows, filled row by row', () => {
  assert.deepEqual(categoryTable({ person: 78.91214003991493 }), ['| category   | AP     |', '|:-----------|:-------|', '| person     | 78.912 |']);
  assert.deepEqual(categoryTable({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7 }), [
    '| category   | AP    | category   | AP    | category   | AP    |',
    '|:-----------|:------|:-----------|:------|:-----------|:------|',
    '| a          | 1.000 | b          | 2.000 | c          | 3.000 |',
    '| d          | 4.000 | e          | 5.000 | f          | 6.000 |',
    '| g          | 7.000 |            |       |            |       |',
  ]);
  assert.deepEqual(categoryTable({}), []);
});
