// Licence plates in grids: a condition's region may be 'plate', 'face+plate' or 'body+plate'; the
// DNAT whitepaper preset anonymizes faces and plates as the whitepaper did; a realistic condition
// that no generator can run for plates is pending with the reason, never dropped or run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { planGrid } from '../../lib/experiments/plan.ts';
import { conditionId, loadGrid, parseGrid, type GridSpec } from '../../lib/experiments/spec.ts';

const presets = new URL('../../lib/experiments/presets/', import.meta.url).pathname;
const allAvailable = () => undefined;

test('the DNAT preset parses with face+plate and plans: a built-in face generator, plates by re-render', async () => {
  const grid = await loadGrid(join(presets, 'dnat-whitepaper.yaml'));
  const anon = grid.conditions[1]!;
  assert.equal(anon.region, 'face+plate');
  assert.equal(anon.method, 'realistic');
  assert.deepEqual(anon.params, { plateGenerator: 'rerender' });
  assert.deepEqual(anon.reference, { method: 'dnat' });
  assert.equal(conditionId(anon), 'face+plate:realistic');
  const plan = await planGrid(grid, { methodAvailability: allAvailable });
  assert.deepEqual(plan.conditions.map((c) => c.pending), [undefined, undefined]);
  const n = plan.conditions[0]!.runs.length;
  assert.ok(n > 0);
  assert.deepEqual(plan.conditions.map((c) => c.runs.length), [n, n]);
  const gen = plan.stages.filter((s) => s.kind === 'generator');
  assert.equal(gen.length, 1);
  assert.equal((gen[0]!.input.params as { region: string }).region, 'face', 'the generator is trained on faces');
  const an = plan.stages.filter((s) => s.kind === 'anonymize');
  assert.equal(an.length, 1);
  assert.deepEqual(an[0]!.deps, [plan.stages[0]!.key, gen[0]!.key]);
  assert.deepEqual((an[0]!.input.params as { region: string; params: unknown }).region, 'face+plate');
  // the same face generator as a face-only realistic condition would train
  const faceOnly = await planGrid({ ...grid, conditions: [{ ...anon, region: 'face', params: {} }] }, { methodAvailability: allAvailable });
  assert.equal(faceOnly.stages.find((s) => s.kind === 'generator')!.key, gen[0]!.key);
});

function grid(conditions: unknown[]): GridSpec {
  return parseGrid('g.yaml', { name: 'g', title: 'G', task: 'instances', seeds: [0], metrics: ['segm/AP'], conditions: [{ region: 'none', method: 'original' }, ...conditions] });
}

test('plate regions plan; a realistic condition without a plate generator is pending with the reason', async () => {
  const g = grid([
    { region: 'plate', method: 'blur' },
    { region: 'body+plate', method: 'maskout' },
    { region: 'face+plate', method: 'realistic' },
    { region: 'plate', method: 'realistic' },
    { region: 'plate', method: 'realistic', params: { generator: 'rerender' } },
  ]);
  const plan = await planGrid(g, { methodAvailability: allAvailable });
  const pending = plan.conditions.map((c) => c.pending);
  assert.deepEqual(pending.slice(0, 3), [undefined, undefined, undefined]);
  assert.match(pending[3]!, /^realistic: no generator for licence plates \(region kind 'plate'\): the built-in generator makes faces or bodies\. Give plateGenerator=rerender/);
  assert.match(pending[4]!, /^realistic: no generator for licence plates/);
  assert.equal(pending[5], undefined);
  assert.deepEqual(plan.conditions.map((c) => c.runs.length), [1, 1, 1, 0, 0, 1]);
  assert.equal(plan.stages.filter((s) => s.kind === 'generator').length, 0, 'plates alone re-rendered: no generator to train');
  assert.deepEqual(
    plan.stages.filter((s) => s.kind === 'anonymize').map((s) => (s.input.params as { region: string }).region),
    ['plate', 'body+plate', 'plate'],
  );
  // a plate condition whose generator would be the built-in one, for plates alone
  const alone = await planGrid(grid([{ region: 'plate', method: 'realistic', params: { plateGenerator: 'rerender' } }]), { methodAvailability: allAvailable });
  assert.match(alone.conditions[1]!.pending!, /the built-in generator is trained for faces or bodies, not for licence plates alone; give params\.generator: rerender/);
  assert.throws(() => grid([{ region: 'plates', method: 'blur' }]), /conditions\.1\.region/);
});
