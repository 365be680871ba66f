import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveGrid } from '../../lib/experiments/grid-presets.ts';
import { planGrid } from '../../lib/experiments/plan.ts';
import { conditionId, conditionLabel, resultMethod } from '../../lib/experiments/spec.ts';
import { sweepGrid, valueName } from '../../lib/experiments/sweep.ts';

const available = () => undefined;

test('a method parameter: the original, the base condition and one condition per value', async () => {
  const base = await resolveGrid('synth-traditional');
  const g = sweepGrid(base, { name: 'ablation-blur-sigma', condition: 'body:blur', knob: { in: 'params', key: 'sigma' }, values: [3, 15] });
  assert.equal(g.name, 'ablation-blur-sigma');
  assert.equal(g.source, undefined, 'an ablation is no published table');
  assert.deepEqual(g.conditions.map(conditionId), ['none:original', 'body:blur', 'body:blur-sigma-3', 'body:blur-sigma-15']);
  assert.deepEqual(g.conditions.map(resultMethod), ['original', 'blur', 'blur-sigma-3', 'blur-sigma-15']);
  assert.deepEqual(g.conditions[2]!.params, { sigma: 3 });
  assert.equal(g.conditions[2]!.method, 'blur');
  assert.equal(conditionLabel(g.conditions[3]!), 'blur (sigma 15)');
  assert.match(g.title, /blur, sigma varied/);
  // the original and the base condition share their stages with the base grid
  const a = await planGrid(base, { methodAvailability: available, seeds: [0] });
  const b = await planGrid(g, { methodAvailability: available, seeds: [0] });
  const keys = (p: typeof a, id: string) => p.conditions.find((c) => c.id === id)!.runs.map((r) => r.evaluate);
  assert.deepEqual(keys(b, 'none:original'), keys(a, 'none:original'));
  assert.deepEqual(keys(b, 'body:blur'), keys(a, 'body:blur'));
  assert.notDeepEqual(keys(b, 'body:blur-sigma-3'), keys(a, 'body:blur'));
  // without the base condition
  const only = sweepGrid(base, { name: 'x', condition: 'body:blur', knob: { in: 'params', key: 'sigma' }, values: [3], keepBase: false, methodLabel: 'Blur' });
  assert.deepEqual(only.conditions.map(conditionId), ['none:original', 'body:blur-sigma-3']);
  assert.equal(only.conditions[1]!.label, 'Blur (sigma 3)');
});

test('a region option: dilation and min-size values; value names are results-safe', async () => {
  const base = await resolveGrid('synth-traditional');
  const g = sweepGrid(base, { name: 'ablation-min-size', condition: 'body:maskout', knob: { in: 'regionOptions', key: 'minSize' }, values: [32] });
  assert.deepEqual(g.conditions[2]!.regionOptions, { minSize: 32 });
  assert.equal(resultMethod(g.conditions[2]!), 'maskout-minSize-32');
  assert.equal(valueName('dp2'), 'dp2');
  assert.equal(valueName(0.5), '0.5');
  assert.equal(valueName('a b/c'), 'a_b_c');
});

test('a training variant applies to the original and the condition alike, at each value', async () => {
  const base = await resolveGrid('synth-traditional');
  const g = sweepGrid(base, { name: 'depth', condition: 'body:blur', knob: { in: 'variant', key: 'depth' }, values: [18, 50] });
  assert.deepEqual(g.conditions.map(conditionId), ['none:original:depth=18', 'body:blur:depth=18', 'none:original:depth=50', 'body:blur:depth=50']);
  assert.equal(g.xAxis, 'depth');
  assert.throws(() => sweepGrid(base, { name: 'd', condition: 'none:original', knob: { in: 'variant', key: 'depth' }, values: [18] }), /name an anonymized condition/);
});

test('bad sweeps are refused by name', async () => {
  const base = await resolveGrid('synth-traditional');
  assert.throws(() => sweepGrid(base, { name: 's', condition: 'body:pixelate', knob: { in: 'params', key: 'block' }, values: [8] }), /sweep s: grid synth-traditional has no condition 'body:pixelate'/);
  assert.throws(() => sweepGrid(base, { name: 's', condition: 'body:blur', knob: { in: 'params', key: 'sigma' }, values: [] }), /sweep s: no values/);
  assert.throws(() => sweepGrid(base, { name: 's', condition: 'body:blur', knob: { in: 'params', key: 'sigma' }, values: [3, 3] }), /two conditions would be 'body:blur-sigma-3'/);
});
