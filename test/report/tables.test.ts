import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregate } from '../../lib/report/aggregate.ts';
import { fixed, formatP, renderHtml, renderMarkdown, significanceMark } from '../../lib/report/tables.ts';
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
      "\\* p < 0.05, Wilcoxon signed-rank test of the method's runs against the original's, paired by seed (two-sided).",
      '',
    ].join('\n'),
  );
});

test("Markdown: Welch's t marks and a p column after each metric, footnote naming the test", () => {
  // scipy 1.10.1, ttest_ind(method, original, equal_var=False): blur [11..16] vs [1..6] p = 3.2065531538603336e-06;
  // mask-out p = 0.9995195370171014; pixelate [3.2, 4.4, 5.1, 6.0, 6.6, 7.9] p = 0.0752099785250918 (Mann-Whitney 0.0776);
  // one run (realistic): NaN
  const data = [
    ...rows('original', 'none', 'm', [1, 2, 3, 4, 5, 6]),
    ...rows('blur', 'face', 'm', [11, 12, 13, 14, 15, 16]),
    ...rows('maskout', 'face', 'm', [1.004, 2, 3, 4, 5, 6]),
    ...rows('pixelate', 'face', 'm', [3.2, 4.4, 5.1, 6.0, 6.6, 7.9]),
    ...rows('realistic', 'body', 'm', [2]),
  ];
  const agg = aggregate(data);
  const md = renderMarkdown(agg, { headings: false, mark: significanceMark(['mannwhitney', 'welch']) });
  assert.equal(
    md,
    [
      '| Region | Method | m | p |',
      '| --- | --- | --- | --- |',
      '|  | Original | 3.5 ± 0.8 (Δ) |  |',
      '| Face | Blur | 13.5 ± 0.8 (10.0)* | <0.001 |',
      '|  | Mask-out | 3.5 ± 0.8 (0.0) | 1.000 |',
      '|  | Pixelation | 5.5 ± 0.7 (2.0) | 0.075 |',
      '| Body | Realistic | 2.0 (-1.5) | n/a |',
      '',
      "\\* p < 0.05, Welch's t-test of the method's runs against the original's (two-sided); p: its p-value.",
      '',
    ].join('\n'),
  );
  // the first listed test when Welch is not listed; no tests, no mark
  assert.deepEqual(significanceMark(['wilcoxon', 'mannwhitney']), { test: 'wilcoxon', alpha: 0.05, pvalues: true });
  assert.equal(significanceMark([]), undefined);
  assert.throws(() => significanceMark(['ttest']), /unknown test 'ttest'/);
  assert.match(renderMarkdown(agg, { mark: significanceMark(['mannwhitney']) }), /\| Pixelation \| 5\.5 ± 0\.7 \(2\.0\) \| 0\.078 \|\n[^]*Mann-Whitney U test/);
  assert.deepEqual([formatP(0.0004), formatP(0.0496), formatP(NaN), formatP(1)], ['<0.001', '0.050', 'n/a', '1.000']);
});

test('HTML: the mark footnote in the table foot, spanning every column', () => {
  const data = [...rows('original', 'none', 'm', [36.6, 36.7, 36.8]), ...rows('blur', 'face', 'm', [35.9, 36.0, 36.1])];
  const html = renderHtml(aggregate(data), { headings: false, mark: { test: 'welch', alpha: 0.01, pvalues: true } });
  assert.match(html, /<thead><tr><th>Region<\/th><th>Method<\/th><th>m<\/th><th>p<\/th><\/tr><\/thead>/);
  assert.match(html, /<td>36\.0 ± 0\.1 \(-0\.7\)\*<\/td><td>0\.001<\/td><\/tr>/);
  assert.match(html, /<\/tbody>\n<tfoot><tr><td colspan="4">\* p &lt; 0\.01, Welch's t-test of the method's runs against the original's \(two-sided\); p: its p-value\.<\/td><\/tr><\/tfoot>/);
  assert.match(html, /<\/tfoot>\n<\/table>\n$/);
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

test('Markdown: privacy figures are the copy\'s values, without ± , Δ or p column; yes/no for pixel independence; — for the original', () => {
  const data = [
    ...rows('original', 'none', 'segm/AP', [10, 12]),
    ...rows('blur', 'body', 'segm/AP', [5, 6]),
    ...rows('blur', 'body', 'privacy/person-detected', [42.25, 42.25]),
    ...rows('blur', 'body', 'privacy/pixel-independent', [0, 0]),
    ...rows('maskout', 'body', 'segm/AP', [1, 2]),
    ...rows('maskout', 'body', 'privacy/pixel-independent', [1, 1]),
  ];
  const md = renderMarkdown(aggregate(data), { headings: false, mark: significanceMark(['welch']) });
  const lines = md.split('\n');
  assert.equal(lines[0], '| Region | Method | Segm. AP | p | Privacy: person detected (%) | Privacy: pixel-independent |');
  assert.match(lines[2]!, /^\|  \| Original \| 11\.0 ± 1\.0 \(Δ\) \|  \| — \| — \|$/);
  assert.match(lines[3]!, /^\| Body \| Blur \| 5\.5 ± 0\.5 \(-5\.5\)\S* \| [\d.<]+ \| 42\.3 \| no \|$/);
  assert.match(lines[4]!, /^\|  \| Mask-out \| 1\.5 ± 0\.5 \(-9\.5\)\S* \| [\d.<]+ \| pending \| yes \|$/);
});
