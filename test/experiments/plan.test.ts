import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, StageCache, stageKey } from '../../lib/experiments/cache.ts';
import { planGrid } from '../../lib/experiments/plan.ts';
import { conditionLabel, loadGrid, parseGrid } from '../../lib/experiments/spec.ts';
import { tempDir } from '../helpers/tmp-dir.ts';

const presets = new URL('../../lib/experiments/presets/', import.meta.url).pathname;
const allAvailable = () => undefined;

test('every preset parses', async () => {
  const files = readdirSync(presets).filter((f) => f.endsWith('.yaml'));
  assert.ok(files.length >= 9);
  for (const f of files) {
    const g = await loadGrid(join(presets, f));
    assert.equal(`${g.name}.yaml`, f);
  }
});

test('grid schema problems name the file and field', () => {
  assert.throws(
    () => parseGrid('g.yaml', { name: 'x', title: 't', task: 'detect', seeds: [], metrics: ['AP'], conditions: [{ region: 'none', method: 'blur' }] }),
    (e: Error) => /g\.yaml: grid: task/.test(e.message) && /g\.yaml: grid: seeds/.test(e.message) && /conditions\.0/.test(e.message),
  );
});

test('an anonymized dataset is shared by every seed; trainings are per condition and seed', async () => {
  const grid = await loadGrid(join(presets, 'synth-traditional.yaml'));
  const plan = await planGrid(grid, { methodAvailability: allAvailable });
  const count = (k: string) => plan.stages.filter((s) => s.kind === k).length;
  assert.equal(count('dataset'), 1);
  assert.equal(count('generator'), 1); // the built-in body generator of the realistic row
  assert.equal(count('anonymize'), 6); // face/body x blur/maskout, body realistic x 2 generators, shared by the 3 seeds
  assert.equal(count('train'), 21); // 7 conditions x 3 seeds
  assert.equal(count('evaluate'), 21);
  // Dependencies always come earlier in the list.
  const seen = new Set<string>();
  for (const s of plan.stages) {
    for (const d of s.deps) assert.ok(seen.has(d), `${s.describe} depends on a later stage`);
    seen.add(s.key);
  }
  assert.deepEqual(plan.conditions.map((c) => c.label), ['original', 'face / blur', 'face / maskout', 'body / blur', 'body / maskout', 'body / realistic', 'body / realistic-rerender']);
});

test('keys are stable, and change with any parameter', async () => {
  const grid = await loadGrid(join(presets, 'synth-traditional.yaml'));
  const a = await planGrid(grid, { methodAvailability: allAvailable });
  const b = await planGrid(grid, { methodAvailability: allAvailable });
  assert.deepEqual(a.stages.map((s) => s.key), b.stages.map((s) => s.key));
  const paper = await planGrid(grid, { methodAvailability: allAvailable, preset: 'paper' });
  assert.notDeepEqual(a.stages.map((s) => s.key), paper.stages.map((s) => s.key));
  assert.equal(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] }), '{"a":[1,{"c":3,"d":2}],"b":1}');
  assert.equal(stageKey({ kind: 'train', inputs: ['x'], params: { a: 1, b: 2 } }), stageKey({ kind: 'train', inputs: ['x'], params: { b: 2, a: 1 } }));
});

test('a method that cannot run yet is pending, never dropped', async () => {
  const grid = await loadGrid(join(presets, 'hukkelas2023-table1.yaml'));
  const plan = await planGrid(grid, { methodAvailability: (m) => (m.startsWith('realistic') ? 'no generator' : undefined) });
  assert.equal(plan.conditions.length, grid.conditions.length);
  const pending = plan.conditions.filter((c) => c.pending);
  assert.equal(pending.length, 4);
  for (const p of pending) assert.equal(p.runs.length, 0);
  assert.equal(conditionLabel(grid.conditions[8]), 'body / realistic-hm-lo');
});

test('the stage cache marks a stage done only once its record is written', async (t) => {
  const cache = new StageCache(await tempDir(t, 'cache-'));
  const input = { kind: 'train', inputs: [], params: { seed: 1 } };
  const key = stageKey(input);
  assert.equal(await cache.isDone('train', key), false);
  await cache.finish('train', key, input, { metrics: { AP: 1 } });
  assert.equal(await cache.isDone('train', key), true);
  assert.deepEqual(await cache.record('train', key), { metrics: { AP: 1 } });
});
