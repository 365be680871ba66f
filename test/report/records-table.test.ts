import { test } from 'node:test';
import assert from 'node:assert/strict';
import { htmlTable, markdownTable } from '../../lib/report/records-table.ts';

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
  assert.equal(markdownTable([{ v: -0.001 }, { v: 0.004 }, { v: 0.006 }], { digits: 2 }), '| v |\n| --- |\n| -1.0e-3 |\n| 4.0e-3 |\n| 0.01 |\n');
  assert.equal(markdownTable({ weightDecay: 1e-4, lr: 0.003 }), '| key | value |\n| --- | --- |\n| weightDecay | 1.00e-4 |\n| lr | 0.003 |\n');
  assert.equal(markdownTable([{ l: ['x', 'y'], o: { k: 1 }, n: null, s: 'two\nlines' }]), '| l | o | n | s |\n| --- | --- | --- | --- |\n| x, y | {"k":1} |  | two<br>lines |\n');
  assert.equal(markdownTable({ 'sem_seg/mIoU': 50, 'sem_seg/IoU-road': 90, 'sem_seg/IoU-car': 40 }, { keys: /mIoU|road/ }), '| key | value |\n| --- | --- |\n| sem_seg/mIoU | 50 |\n| sem_seg/IoU-road | 90 |\n');
  assert.throws(() => markdownTable([]), /no columns/);
  // an interface needs no index signature
  interface Count {
    category: string;
    instances: number;
  }
  const counts: Count[] = [{ category: 'car', instances: 3 }];
  assert.equal(markdownTable(counts), '| category | instances |\n| --- | --- |\n| car | 3 |\n');
});

test('HTML: escaped text, numbers right-aligned, the same cells as Markdown', () => {
  const html = htmlTable([{ name: '<b>&"', n: 1.23456 }, { name: 'x' }], { headers: { n: 'N' }, digits: 2 });
  assert.equal(
    html,
    '<table class="anon-impact-records">\n<thead><tr><th>name</th><th>N</th></tr></thead>\n<tbody>\n<tr><td>&lt;b&gt;&amp;&quot;</td><td style="text-align:right">1.23</td></tr>\n<tr><td>x</td><td></td></tr>\n</tbody>\n</table>\n',
  );
  assert.match(htmlTable({ k: 'v' }), /<tr><td>k<\/td><td>v<\/td><\/tr>/);
  assert.throws(() => htmlTable([]), /no columns/);
});
