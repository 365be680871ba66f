import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT, PRESET_DIR, presetNames, presetSummaries, resolveGrid, selectConditions } from '../../lib/experiments/grid-presets.ts';
import { conditionId, conditionLabel } from '../../lib/experiments/spec.ts';

test('the package root holds package.json and the preset folder; every preset is listed, sorted', () => {
  assert.ok(existsSync(join(PACKAGE_ROOT, 'package.json')));
  const files = readdirSync(new URL('../../lib/experiments/presets/', import.meta.url)).filter((f) => f.endsWith('.yaml'));
  assert.equal(PRESET_DIR, join(PACKAGE_ROOT, 'lib', 'experiments', 'presets'));
  const names = presetNames();
  assert.deepEqual(names, files.map((f) => f.slice(0, -5)).sort());
  assert.ok(names.includes('synth-traditional'));
});

test('a grid by preset name or by path; an unknown name lists the presets', async () => {
  const g = await resolveGrid('synth-traditional');
  assert.equal(g.name, 'synth-traditional');
  const dir = await mkdtemp(join(tmpdir(), 'grid-presets-'));
  try {
    const file = join(dir, 'mine.yaml');
    await writeFile(file, 'name: mine\ntitle: Mine\ntask: instances\nseeds: [0]\nmetrics: [segm/AP]\nconditions:\n  - { region: none, method: original }\n');
    assert.equal((await resolveGrid(file)).name, 'mine');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await assert.rejects(resolveGrid('no-such-grid'), /no grid spec file or preset named 'no-such-grid' \(presets: .*synth-traditional/);
});

test('selectConditions keeps the named conditions in the grid order under a new name', async () => {
  const g = await resolveGrid('synth-traditional');
  const s = selectConditions(g, ['body:maskout', 'none:original'], 'quickstart');
  assert.equal(s.name, 'quickstart');
  assert.deepEqual(s.conditions.map(conditionId), ['none:original', 'body:maskout']);
  assert.equal(s.task, g.task);
  assert.deepEqual(s.metrics, g.metrics);
  assert.deepEqual(s.source, g.source);
  assert.equal(g.conditions.length, 7, 'the preset itself is unchanged');
  assert.throws(() => selectConditions(g, ['body:pixelate'], 'x'), /no condition 'body:pixelate' \(conditions: none:original, face:blur/);
});

test('preset summaries: one per preset, with its source, task and condition labels', async () => {
  const all = await presetSummaries();
  assert.deepEqual(all.map((p) => p.name), presetNames());
  const main = all.find((p) => p.name === 'synth-traditional')!;
  const g = await resolveGrid('synth-traditional');
  assert.equal(main.title, g.title);
  assert.equal(main.source, `${g.source!.paper}, ${g.source!.table}`);
  assert.equal(main.task, 'instances');
  assert.equal(main.seeds, g.seeds.length);
  assert.equal(main.conditions.length, 7);
  assert.deepEqual(main.conditions, g.conditions.map(conditionLabel));
  assert.ok(main.conditions.some((c) => /blur/i.test(c) && /face/i.test(c)));
});
