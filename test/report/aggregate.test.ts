// Goldens worked by hand and checked with numpy/scipy 1.10.1 (Debian 12):
//   x = [36.1, 36.4, 36.7] (face blur AP), y = [36.6, 36.7, 36.8] (original AP)
//   mean(x) = 36.4, sem(x) = 0.3/√3 = 0.17320508075688815; mean(y) = 36.7, sem(y) = 0.1/√3 = 0.05773502691896136
//   Δ = -0.30000000000000426, 100·Δ/36.7 = -0.8174386920981042, sqrt(sem(x)² + sem(y)²) = sqrt(0.1/3) = 0.18257418583505539
//   mannwhitneyu(x, y): pooled ranks 1, 2, (3), 4.5, (4.5), (6): R1 = 7.5, U1 = 1.5; a tie -> asymptotic:
//     σ = sqrt(9/12·(7 - 6/30)) = sqrt(5.1), z = (7.5 - 4.5 - 0.5)/σ, p = 2·sf(z) = 0.26828588367711736
//   wilcoxon(x, y): d = [-0.5, -0.3, -0.1], r+ = 0 -> T = 0, exact p = 2·P(R+ <= 0) = 2/8 = 0.25
//   AP-person: x2 = [34.9, 34.8, 35.0], y2 = [35.0, 35.2, 34.8]: U1 = 3 (p 0.653095114932182, asymptotic with the tie 35.0),
//     d = [-0.1, -0.4, 0.2]: r+ = 2, r- = 4, T = 2, exact p = 2·P(R+ <= 2) = 2·3/8 = 0.75
//   ttest_ind(x, y, equal_var=False): t = -0.3/sqrt(0.09/3 + 0.01/3) = -1.6431676725155218,
//     df = (0.1/3)²/((0.03² + (0.01/3)²)/2) = 2.4390243902438824, p = 0.21928450703876726;
//     AP-person: t = -0.7745966692414833, p = 0.4960553744585209
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregate, aggregateTable, groupByTable } from '../../lib/report/aggregate.ts';
import { bootstrapMeanDifference, mannWhitneyU, sem, welchTTest, wilcoxon } from '../../lib/stats/index.ts';
import { close } from '../stats/close.ts';
import { EXPECTED, rows, SMALL } from './fixtures.ts';

test('mean, SE, Δ, relative change and both tests for one method against the original', () => {
  const agg = aggregate(SMALL);
  assert.deepEqual(agg.map((r) => [r.region, r.method, r.metric, r.status]), [
    ['none', 'original', 'segm/AP', 'baseline'],
    ['none', 'original', 'segm/AP-person', 'baseline'],
    ['face', 'blur', 'segm/AP', 'ok'],
    ['face', 'blur', 'segm/AP-person', 'ok'],
  ]);
  const base = agg[0]!;
  close(base.mean, 36.7, 1e-15, 'original mean');
  close(base.se, 0.05773502691896136, 1e-12, 'original se');
  assert.ok(Number.isNaN(base.delta) && base.mannWhitney === null && base.wilcoxon === null && base.welch === null && base.deltaCi === null);

  const blur = agg[2]!;
  assert.equal(blur.n, 3);
  assert.deepEqual(blur.seeds, [0, 1, 2]);
  close(blur.mean, 36.4, 1e-15, 'mean');
  close(blur.sd, 0.3000000000000007, 1e-12, 'sd');
  close(blur.se, 0.17320508075688815, 1e-12, 'se');
  close(blur.baselineMean, 36.7, 1e-15, 'baseline mean');
  close(blur.delta, -0.30000000000000426, 1e-9, 'delta');
  close(blur.relativePct, -0.8174386920981042, 1e-9, 'relative change %');
  close(blur.deltaSe, 0.18257418583505539, 1e-12, 'delta se');
  assert.equal(blur.mannWhitney!.statistic, 1.5);
  close(blur.mannWhitney!.pvalue, 0.26828588367711736, 1e-12, 'Mann-Whitney p');
  assert.equal(blur.mannWhitney!.method, 'asymptotic');
  assert.deepEqual(blur.wilcoxon, { statistic: 0, pvalue: 0.25, method: 'exact', n: 3 });
  assert.equal(blur.welch!.statistic, -1.6431676725155218);
  close(blur.welch!.pvalue, 0.21928450703876726, 1e-12, "Welch's p");
  assert.equal(blur.welch!.df, 2.4390243902438824);
  assert.deepEqual([blur.welch!.method, blur.welch!.n], ['welch', 3]);

  const person = agg[3]!;
  close(person.delta, -0.10000000000000142, 1e-9, 'AP-person delta');
  assert.equal(person.mannWhitney!.statistic, 3);
  close(person.mannWhitney!.pvalue, 0.653095114932182, 1e-12, 'AP-person Mann-Whitney p');
  assert.deepEqual(person.wilcoxon, { statistic: 2, pvalue: 0.75, method: 'exact', n: 3 });
  close(person.welch!.statistic, -0.7745966692414833, 1e-15, 'AP-person Welch t');
  close(person.welch!.pvalue, 0.4960553744585209, 1e-12, 'AP-person Welch p');

  // the same calls to lib/stats give the same numbers
  const x = [36.1, 36.4, 36.7];
  const y = [36.6, 36.7, 36.8];
  assert.equal(blur.se, sem(x));
  assert.equal(blur.mannWhitney!.pvalue, mannWhitneyU(x, y).pvalue);
  assert.equal(blur.wilcoxon!.pvalue, wilcoxon(x, y).pvalue);
  assert.equal(blur.welch!.pvalue, welchTTest(x, y).pvalue);
});

test('3 runs against 3: Welch reaches p < 0.05 where Mann-Whitney cannot (its smallest p is 0.1)', () => {
  // scipy 1.10.1: ttest_ind([35.9, 36.0, 36.1], [36.6, 36.7, 36.8], equal_var=False) -> t = -8.573214099741188,
  // p = 0.001016662617289092; mannwhitneyu(...) -> U = 0, p = 0.1
  const [, blur] = aggregate([...rows('original', 'none', 'm', [36.6, 36.7, 36.8]), ...rows('blur', 'face', 'm', [35.9, 36.0, 36.1])]);
  close(blur!.welch!.statistic, -8.573214099741188, 1e-14, 't');
  close(blur!.welch!.pvalue, 0.001016662617289092, 1e-12, 'p');
  assert.deepEqual([blur!.mannWhitney!.statistic, blur!.mannWhitney!.pvalue], [0, 0.1]);
  // every resampled difference is below zero: so is the whole interval
  assert.ok(blur!.deltaCi!.high < 0, `interval [${blur!.deltaCi!.low}, ${blur!.deltaCi!.high}]`);
});

test('the bootstrap interval of Δ: 95%, seeded by the row, not by its neighbours; none with one run', () => {
  const agg = aggregate(SMALL);
  const blur = agg[2]!;
  const ci = blur.deltaCi!;
  assert.equal(ci.level, 0.95);
  assert.ok(ci.low <= blur.delta && blur.delta <= ci.high, `${ci.low} <= ${blur.delta} <= ${ci.high}`);
  // the same interval whatever else is aggregated, and on every call
  const more = aggregate([...SMALL, ...rows('realistic', 'body', 'segm/AP', [34.6, 34.5, 34.7])]);
  assert.deepEqual(more.find((r) => r.method === 'blur' && r.metric === 'segm/AP')!.deltaCi, ci);
  assert.deepEqual(aggregate(SMALL)[2]!.deltaCi, ci);
  // it is lib/stats' interval, keyed by the row's identity
  const key = JSON.stringify([0, blur.dataset, blur.task, null, 'face', 'blur', 'segm/AP']);
  assert.deepEqual({ ...bootstrapMeanDifference([36.1, 36.4, 36.7], [36.6, 36.7, 36.8], { seed: key }), level: 0.95 }, ci);
  // options: another level and seed
  const ci80 = aggregate(SMALL, { bootstrap: { confidenceLevel: 0.8, resamples: 2000, seed: 4 } })[2]!.deltaCi!;
  assert.equal(ci80.level, 0.8);
  assert.ok(ci80.low >= ci.low - 0.05 && ci80.high <= ci.high + 0.05);
  // scipy.stats.bootstrap needs two or more values per sample: no interval for a one-run cell
  const [, one] = aggregate([...rows('original', 'none', 'm', [1, 2, 3]), ...rows('blur', 'face', 'm', [2])]);
  assert.equal(one!.deltaCi, null);
  assert.ok(Number.isNaN(one!.welch!.statistic) && Number.isNaN(one!.welch!.pvalue), "Welch's t of one run is NaN, as scipy's");
});

test('expected methods without rows are pending, never dropped; so is a metric a method lacks', () => {
  const data = [...SMALL, ...rows('realistic', 'body', 'segm/AP', [34.6, 34.5, 34.7])];
  const agg = aggregate(data, { expected: EXPECTED });
  assert.deepEqual(agg.map((r) => `${r.region}/${r.method}/${r.metric}:${r.status}`), [
    'none/original/segm/AP:baseline',
    'none/original/segm/AP-person:baseline',
    'face/blur/segm/AP:ok',
    'face/blur/segm/AP-person:ok',
    'face/maskout/segm/AP:pending',
    'face/maskout/segm/AP-person:pending',
    'body/realistic/segm/AP:ok',
    'body/realistic/segm/AP-person:pending',
  ]);
  const pending = agg[4]!;
  assert.equal(pending.n, 0);
  assert.ok(Number.isNaN(pending.mean));
  close(pending.baselineMean, 36.7, 1e-15, 'the baseline is known for a pending cell');
  // expected cells for another dataset are not shown here
  const other = aggregate(SMALL, { expected: [{ dataset: 'coco', region: 'body', method: 'blur' }] });
  assert.equal(other.filter((r) => r.status === 'pending').length, 0);
  // a fixed metric list shows a metric nobody has as pending everywhere
  const fixedMetrics = aggregate(SMALL, { metrics: ['segm/AP50'] });
  assert.deepEqual(fixedMetrics.map((r) => r.status), ['pending', 'pending']);
});

test('NaN values are left out and counted; Wilcoxon pairs only the seeds both sides have', () => {
  const data = [
    ...rows('original', 'none', 'segm/AP', [36.6, 36.7, 36.8, 36.5]),
    ...rows('blur', 'face', 'segm/AP', [36.1, NaN, 36.7]),
  ];
  const [, blur] = aggregate(data);
  assert.equal(blur!.n, 2);
  assert.equal(blur!.missing, 1);
  assert.deepEqual(blur!.seeds, [0, 2]);
  close(blur!.mean, 36.4, 1e-14, 'mean without the NaN');
  close(blur!.se, 0.3, 1e-12, 'se of [36.1, 36.7]: sd 0.3·√2 / √2');
  close(blur!.baselineMean, 36.65, 1e-14, 'baseline over four seeds');
  // pairs: seeds 0 and 2 -> d = [-0.5, -0.1], exact: T = 0, p = 2·(1/4) = 0.5
  assert.deepEqual(blur!.wilcoxon, { statistic: 0, pvalue: 0.5, method: 'exact', n: 2 });
  // Mann-Whitney uses all non-missing values: [36.1, 36.7] against four
  assert.equal(blur!.mannWhitney!.n, 2);
  assert.equal(blur!.mannWhitney!.statistic, mannWhitneyU([36.1, 36.7], [36.6, 36.7, 36.8, 36.5]).statistic);
});

test('identical runs: no Wilcoxon (scipy refuses all-zero differences), Mann-Whitney p = 1', () => {
  const data = [...rows('original', 'none', 'm', [1, 2, 3]), ...rows('blur', 'face', 'm', [1, 2, 3])];
  const [, blur] = aggregate(data);
  assert.equal(blur!.delta, 0);
  assert.equal(blur!.relativePct, 0);
  assert.equal(blur!.wilcoxon, null);
  assert.equal(blur!.mannWhitney!.pvalue, 1);
});

test('without a baseline there is no Δ; a zero baseline mean gives NaN relative change', () => {
  const [only] = aggregate(rows('blur', 'face', 'm', [1, 2]));
  assert.equal(only!.status, 'ok');
  assert.ok(Number.isNaN(only!.delta) && Number.isNaN(only!.relativePct) && only!.mannWhitney === null);
  const z = aggregate([...rows('original', 'none', 'm', [0, 0]), ...rows('blur', 'face', 'm', [1, 2])]);
  assert.equal(z[1]!.delta, 1.5);
  assert.ok(Number.isNaN(z[1]!.relativePct));
});

test('the relative change is left out against a baseline too small to divide by: below one point, or within 2 SE of zero', () => {
  // 0.5 points: +140% would be noise
  const tiny = aggregate([...rows('original', 'none', 'm', [0.4, 0.6]), ...rows('blur', 'face', 'm', [1.1, 1.3])]);
  assert.ok(Number.isNaN(tiny[1]!.relativePct) && tiny[1]!.relativeOmitted);
  assert.ok(Math.abs(tiny[1]!.delta - 0.7) < 1e-12, 'Δ stays');
  // mean 2, SE 1.5 (values 0.5 and 3.5): within two standard errors of zero
  const noisy = aggregate([...rows('original', 'none', 'm', [0.5, 3.5]), ...rows('blur', 'face', 'm', [1, 1])]);
  assert.ok(noisy[1]!.relativeOmitted);
  // mean 2, SE 0.5: far enough from zero, -50%
  const ok = aggregate([...rows('original', 'none', 'm', [1.5, 2.5]), ...rows('blur', 'face', 'm', [1, 1])]);
  assert.equal(ok[1]!.relativeOmitted, false);
  assert.equal(ok[1]!.relativePct, -50);
});

test('runs recording backbone_depth are grouped by depth, each against the original of its depth', () => {
  const data = [
    ...rows('original', 'none', 'AP', [40, 42], { dataset: 'd50' }),
    ...rows('original', 'none', 'backbone_depth', [50, 50], { dataset: 'd50' }),
    ...rows('realistic', 'face', 'AP', [38, 40], { dataset: 'd50' }),
    ...rows('realistic', 'face', 'backbone_depth', [50, 50], { dataset: 'd50' }),
    ...rows('original', 'none', 'AP', [50, 50], { dataset: 'd101' }),
    ...rows('original', 'none', 'backbone_depth', [101, 101], { dataset: 'd101' }),
    ...rows('realistic', 'face', 'AP', [45, 45], { dataset: 'd101' }),
    ...rows('realistic', 'face', 'backbone_depth', [101, 101], { dataset: 'd101' }),
  ].map((r) => ({ ...r, dataset: 'coco' }));
  const agg = aggregate(data);
  assert.deepEqual(agg.map((r) => [r.depth, r.method, r.metric, r.mean, r.relativePct]), [
    [50, 'original', 'AP', 41, NaN],
    [50, 'realistic', 'AP', 39, (100 * -2) / 41],
    [101, 'original', 'AP', 50, NaN],
    [101, 'realistic', 'AP', 45, -10],
  ]);
});

test('aggregateTable: an arquero table with flat columns', () => {
  const t = aggregateTable(SMALL, { expected: EXPECTED });
  assert.equal(t.numRows(), 8);
  for (const c of ['welch_statistic', 'welch_pvalue', 'welch_df', 'mannwhitney_pvalue', 'delta_ci_low', 'delta_ci_high']) assert.ok(t.columnNames().includes(c), c);
  assert.equal(t.get('welch_statistic', 2), -1.6431676725155218);
  assert.ok(t.get('delta_ci_low', 2) < t.get('delta', 2) && t.get('delta', 2) < t.get('delta_ci_high', 2));
  assert.ok(Number.isNaN(t.get('welch_pvalue', 0)) && Number.isNaN(t.get('delta_ci_low', 0)), 'the baseline has no test or interval');
  assert.deepEqual(t.array('status'), ['baseline', 'baseline', 'ok', 'ok', 'pending', 'pending', 'pending', 'pending']);
  assert.equal(t.get('wilcoxon_pvalue', 2), 0.25);
  assert.equal(t.get('seeds', 2), '0,1,2');
});

test('groupByTable: one group per (dataset, task, depth), in order of first appearance, rows kept in order', () => {
  const agg = aggregate(SMALL);
  const groups = groupByTable([...agg, { ...agg[0]!, task: 'other' }, { ...agg[1]!, depth: 50 }]);
  assert.deepEqual(
    groups.map((g) => [g[0]!.dataset, g[0]!.task, g[0]!.depth, g.length]),
    [
      [agg[0]!.dataset, agg[0]!.task, agg[0]!.depth, agg.length],
      [agg[0]!.dataset, 'other', agg[0]!.depth, 1],
      [agg[1]!.dataset, agg[1]!.task, 50, 1],
    ],
  );
  assert.deepEqual(groups[0], agg);
});
