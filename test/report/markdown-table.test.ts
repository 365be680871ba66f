import { test } from 'node:test';
import assert from 'node:assert/strict';
import { markdownTable } from '../../lib/report/markdown-table.ts';

test('records: columns in first-seen order, numbers rounded, gaps empty, pipes escaped', () => {
  const md = markdownTable([
    { category: 'person', instances: 12, share: 0.123456 },
    { category: 'a|b', crowd: 2, share: NaN },
  ]);
  assert.equal(md, ['| category | instances | share | crowd |', '| --- | --- | --- | --- |', '| person | 12 | 0.123 |  |', '| a\\|b |  |  | 2 |', ''].join('\n'));
});

test('named columns and headers, digits; a plain object as key/value pairs', () => {
  assert.equal(markdownTable([{ a: 1.25, b: 'x' }], { columns: ['b', 'a'], headers: { a: 'A' }, digits: 1 }), '| b | A |\n| --- | --- |\n| x | 1.3 |\n');
  assert.equal(markdownTable({ 'segm/AP': 12.3456, steps: 120 }, { digits: 2 }), '| key | value |\n| --- | --- |\n| segm/AP | 12.35 |\n| steps | 120 |\n');
  assert.equal(markdownTable([{ v: -0.0001 }], { digits: 2 }), '| v |\n| --- |\n| 0.00 |\n');
  assert.equal(markdownTable([{ l: ['x', 'y'], o: { k: 1 }, n: null, s: 'two\nlines' }]), '| l | o | n | s |\n| --- | --- | --- | --- |\n| x, y | {"k":1} |  | two<br>lines |\n');
  assert.throws(() => markdownTable([]), /no columns/);
});
