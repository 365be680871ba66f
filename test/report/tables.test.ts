import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregate } from '../../lib/report/aggregate.ts';
import { fixed, renderHtml, renderMarkdown } from '../../lib/report/tables.ts';
import { metricLabel } from '../../lib/report/labels.ts';
import { EXPECTED, rows, SMALL, SMALL_MARKDOWN } from './fixtures.ts';

test('Markdown: the paper layout, exact text (original first, Δ, pending rows)', () => {
  const md = renderMarkdown(aggregate(SMALL, { expected: EXPECTED }));
  assert.equal(md, SMALL_MARKDOWN);
});

test('Markdown: significance marks, two decimals, no heading, one-run cells, rows of a region kept together', () => {
  const data = [
    ...rows('original', 'none', 'm', [1, 2, 3, 4, 5, 6]),
    ...rows('blur', 'face', 'm', [11, 12, 13, 14, 15, 16]),
    ...rows('realistic', 'body', 'm', [2]),
    ...rows('maskout', 'face', 'm', [1.004, 2, 3, 4, 5, 6]),
  ];
  const md = renderMarkdown(aggregate(data), { digits: 2, headings: false, mark: { test: 'wilcoxon', alpha: 0.05 } });
  // blur: every paired difference is +10 -> exact Wilcoxon p = 2/64 = 0.03125 < 0.05; mask-out Δ 0.000667 rounds to 0.00
  assert.equal(
    md,
    [
      '| Region | Method | m |',
      '| --- | --- | --- |',
      '|  | Original | 3.50 ± 0.76 (Δ) |',
      '| Face | Blur | 13.50 ± 0.76 (10.00)* |',
      '|  | Mask-out | 3.50 ± 0.76 (0.00) |',
      '| Body | Realistic | 2.00 (-1.50) |',
      '',
    ].join('\n'),
  );
});

test('mixed metric families are labelled with their family, as the paper does', () => {
  assert.equal(metricLabel('bbox/AP', true), 'Box AP');
  assert.equal(metricLabel('keypoints/AP50', true), 'Kp. AP50');
  assert.equal(metricLabel('bbox/APm'), 'AP m');
  assert.equal(metricLabel('sem_seg/IoU-category-human'), 'IoU human (category)');
  const data = [...rows('original', 'none', 'bbox/AP', [55.7]), ...rows('original', 'none', 'keypoints/AP', [65.2])];
  assert.match(renderMarkdown(aggregate(data)), /\| Region \| Method \| Box AP \| Kp\. AP \|/);
});

test('fixed(): -0.0 prints as 0.0', () => {
  assert.equal(fixed(-0.04, 1), '0.0');
  assert.equal(fixed(-0.06, 1), '-0.1');
  assert.equal(fixed(0.4, 1), '0.4');
});

test('HTML: escaped, the region cell spans its rows, pending cells marked', () => {
  const html = renderHtml(aggregate(SMALL, { expected: EXPECTED }), { labels: { methods: { blur: 'Blur <σ=7>' } } });
  assert.equal(
    html,
    [
      '<table class="anon-impact-results">',
      '<caption>cityscapes / instance-segmentation</caption>',
      '<thead><tr><th>Region</th><th>Method</th><th>AP</th><th>AP person</th></tr></thead>',
      '<tbody>',
      '<tr><th scope="rowgroup"></th><td>Original</td><td>36.7 ± 0.1 (Δ)</td><td>35.0 ± 0.1 (Δ)</td></tr>',
      '<tr><th scope="rowgroup" rowspan="2">Face</th><td>Blur &lt;σ=7&gt;</td><td>36.4 ± 0.2 (-0.3)</td><td>34.9 ± 0.1 (-0.1)</td></tr>',
      '<tr><td>Mask-out</td><td class="pending">pending</td><td class="pending">pending</td></tr>',
      '<tr><th scope="rowgroup">Body</th><td>Realistic</td><td class="pending">pending</td><td class="pending">pending</td></tr>',
      '</tbody>',
      '</table>',
      '',
    ].join('\n'),
  );
});
