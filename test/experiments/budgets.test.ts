// The grid's compute budgets and the trainer's presets have names that cannot be confused: the
// budget once called `quick` (100 steps) is `smoke`, while `quick` names the trainer preset only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUDGET_NAMES, BUDGETS, budgetName } from '../../lib/experiments/budgets.ts';
import { parseGrid } from '../../lib/experiments/spec.ts';
import { PRESET_NAMES } from '../../lib/train/presets.ts';

test('budget and trainer preset names share only `paper`, which means the same in both', () => {
  assert.deepEqual(BUDGET_NAMES.filter((b) => (PRESET_NAMES as readonly string[]).includes(b)), ['paper']);
  assert.equal(BUDGETS.paper.trainPreset, 'paper');
  assert.equal(BUDGETS.standard.trainPreset, 'quick');
  assert.match(BUDGETS.smoke.warning ?? '', /smoke run/);
  assert.equal(BUDGETS.standard.warning, undefined);
});

test('the old budget name `quick` is refused with what it became, on the command line and in a grid file', () => {
  assert.equal(budgetName('smoke', '--budget'), 'smoke');
  assert.throws(() => budgetName('quick', '--budget'), /--budget: the grid budget 'quick' is now called 'smoke'/);
  assert.throws(() => budgetName('fast', '--preset'), /--preset: unknown budget 'fast' \(smoke, standard, paper\)/);
  const spec = { name: 'g', title: 't', task: 'instances', seeds: [0], metrics: ['segm/AP'], conditions: [{ region: 'none', method: 'original' }] };
  assert.equal(parseGrid('g.yaml', spec).preset, 'smoke');
  assert.throws(() => parseGrid('g.yaml', { ...spec, preset: 'quick' }), /g\.yaml.*now called 'smoke'/s);
});
