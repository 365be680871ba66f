// `anon-impact stats` end to end. Expected numbers are scipy.stats 1.10.1 (Debian 12) results of the
// call written next to each case; compared at relative tolerance 1e-12.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli as runCli } from './fixtures.ts';

const cli = (args: string[]) => runCli(['stats', ...args]);

function near(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.abs(expected), `${what}: expected ${expected}, got ${actual}`);
}

const JSON_CASES: { args: string[]; call: string; statistic: number; pvalue: number | null }[] = [
  {
    args: ['wilcoxon', '--x', '6,8,14,16,23,24,28,29,41,-48,49,56,60,-67,75', '--json'],
    call: 'wilcoxon([6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75])',
    statistic: 24,
    pvalue: 0.041259765625,
  },
  {
    args: ['wilcoxon', '--x', '125,115,130,140,140,115,140,125,140,135', '--y', '110,122,125,120,140,124,123,137,135,145',
      '--zero-method', 'zsplit', '--correction', '--alternative', 'greater', '--json'],
    call: "wilcoxon(x, y, zero_method='zsplit', correction=True, alternative='greater')",
    statistic: 32.5,
    pvalue: 0.32312404569718967,
  },
  {
    args: ['wilcoxon', '--x', '0,0,1.5,-2,3,3,-0.5,4,2,6,0,-1.5', '--method', 'approx', '--zero-method', 'pratt', '--correction', '--json'],
    call: "wilcoxon([0, 0, 1.5, -2, 3, 3, -0.5, 4, 2, 6, 0, -1.5], zero_method='pratt', correction=True, method='approx')",
    statistic: 17,
    pvalue: 0.14186571342497775,
  },
  {
    args: ['wilcoxon', '--x', '-1,2', '--alternative', 'less', '--method', 'exact', '--json'],
    call: "wilcoxon([-1.0, 2.0], alternative='less', method='exact')",
    statistic: 2,
    pvalue: 0.75,
  },
  {
    args: ['mannwhitney', '--x', '19,22,16,29,24', '--y', '20,11,17,12', '--json'],
    call: 'mannwhitneyu([19, 22, 16, 29, 24], [20, 11, 17, 12])',
    statistic: 17,
    pvalue: 0.1111111111111111,
  },
  {
    args: ['mannwhitney', '--x', '19,22,16,29,24', '--y', '20,11,17,12', '--method', 'asymptotic', '--no-continuity', '--alternative', 'greater', '--json'],
    call: "mannwhitneyu([19, 22, 16, 29, 24], [20, 11, 17, 12], alternative='greater', method='asymptotic', use_continuity=False)",
    statistic: 17,
    pvalue: 0.04320536648685,
  },
  {
    args: ['mannwhitney', '--x', '1,2,2,3,5', '--y', '2,3,4,4,6,7', '--json'],
    call: 'mannwhitneyu([1, 2, 2, 3, 5], [2, 3, 4, 4, 6, 7])',
    statistic: 6.5,
    pvalue: 0.13862587987892763,
  },
  {
    args: ['mannwhitney', '--x', '3,3', '--y', '3,3,3', '--no-continuity', '--json'],
    call: 'mannwhitneyu([3, 3], [3, 3, 3], use_continuity=False) -> U = 3.0, p = nan',
    statistic: 3,
    pvalue: null,
  },
];

test('stats --json prints scipy.stats results', async () => {
  const runs = await Promise.all(JSON_CASES.map((c) => cli(c.args)));
  runs.forEach((r, i) => {
    const c = JSON_CASES[i]!;
    assert.equal(r.code, 0, `${c.call}: ${r.stderr}`);
    const out = JSON.parse(r.stdout) as { statistic: number; pvalue: number | null };
    assert.deepEqual(Object.keys(out), ['statistic', 'pvalue']);
    near(out.statistic, c.statistic, `${c.call} statistic`);
    if (c.pvalue === null) assert.equal(out.pvalue, null, `${c.call}: NaN p-value prints as null`);
    else near(out.pvalue!, c.pvalue, `${c.call} pvalue`);
  });
});

test('stats without --json prints a readable line naming the method used', async () => {
  const w = await cli(['wilcoxon', '--x', '125,115,130,140,140,115,140,125,140,135', '--y', '110,122,125,120,140,124,123,137,135,145', '--method', 'exact']);
  assert.equal(w.code, 0, w.stderr);
  // a zero difference turns 'exact' into the normal approximation, as in scipy
  assert.match(w.stdout, /^wilcoxon \(paired, n = 10, approx, two-sided, zero_method wilcox\): statistic = 18, p-value = 0\.59363059144252\d*\n$/);
  const m = await cli(['mannwhitney', '--x', '19,22,16,29,24', '--y', '20,11,17,12']);
  assert.equal(m.code, 0, m.stderr);
  assert.match(m.stdout, /^mannwhitney U of x \(n1 = 5, n2 = 4, exact, two-sided\): statistic = 17, p-value = 0\.1111111111111111\n$/);
});

test('stats rejects bad input with a clear message', async () => {
  const [notNumber, empty, unequal, badMethod, noSub, allZero, help] = await Promise.all([
    cli(['wilcoxon', '--x', '1,abc,3']),
    cli(['mannwhitney', '--x', '1,,3', '--y', '2']),
    cli(['wilcoxon', '--x', '1,2,3', '--y', '1,2']),
    cli(['mannwhitney', '--x', '1', '--y', '2', '--method', 'approx']),
    cli([]),
    cli(['wilcoxon', '--x', '0,0,0']),
    cli(['--help']),
  ]);
  assert.equal(notNumber.code, 2);
  assert.match(notNumber.stderr, /--x: item 2 \('abc'\) is not a number/);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /--x: item 2 \(''\) is not a number/);
  assert.equal(unequal.code, 2);
  assert.match(unequal.stderr, /same length.*x has 3, y has 2/);
  assert.equal(badMethod.code, 2);
  assert.match(badMethod.stderr, /--method must be one of auto, exact, asymptotic/);
  assert.equal(noSub.code, 2);
  assert.match(noSub.stderr, /usage: anon-impact stats wilcoxon/);
  // scipy raises ValueError here; the command reports it and exits 1
  assert.equal(allZero.code, 1);
  assert.match(allZero.stderr, /zero for all elements/);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--zero-method wilcox\|pratt\|zsplit/);
});
