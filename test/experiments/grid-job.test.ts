import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSplit } from '../../lib/data/open.ts';
import { loadManifest } from '../../lib/data/manifest.ts';
import { writeSynthDataset } from '../../lib/data/synth/write.ts';
import { StageCache } from '../../lib/experiments/cache.ts';
import { cachedStages, childLauncher, gridManifest, methodUnavailable, planGridJob, planRows, runGridJob, stageProgress } from '../../lib/experiments/grid-job.ts';
import { resolveGrid, selectConditions } from '../../lib/experiments/grid-presets.ts';
import { readResultsCsv, writeResultsCsv } from '../../lib/experiments/results-csv.ts';
import { parseGrid } from '../../lib/experiments/spec.ts';

test('methods are checked before planning: one that cannot run is pending; realistic without a generator gets the built-in one', async () => {
  assert.equal(await methodUnavailable('blur', { sigma: 3 }), undefined);
  assert.match((await methodUnavailable('blur', { sigma: -1 }))!, /sigma/);
  assert.equal(await methodUnavailable('realistic', { truncation: 'none' }), undefined);
  assert.match((await methodUnavailable('realistic', { generator: 'nowhere' }))!, /generator/);
  const grid = parseGrid('t.yaml', {
    name: 't',
    title: 't',
    task: 'instances',
    seeds: [0, 1],
    metrics: ['segm/AP'],
    conditions: [
      { region: 'none', method: 'original' },
      { region: 'body', method: 'blur', params: { sigma: -1 } },
      { region: 'body', method: 'realistic', params: { truncation: 'none' } },
    ],
  });
  const plan = await planGridJob(grid, { seeds: [0], preset: 'smoke' });
  assert.deepEqual(
    plan.conditions.map((c) => [c.id, c.pending === undefined]),
    [
      ['none:original', true],
      ['body:blur', false],
      ['body:realistic', true],
    ],
  );
  assert.match(plan.conditions[1]!.pending!, /sigma/);
  assert.equal(plan.stages.filter((s) => s.kind === 'train').length, 2, 'one seed of the two runnable conditions');
});

test('a grid whose stages are all cached: nothing runs, its rows come back from the results CSV, without rows of seeds it does not run', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'grid-job-'));
  try {
    const grid = selectConditions(await resolveGrid('synth-traditional'), ['none:original', 'body:maskout'], 'job-test');
    const plan = await planGridJob(grid, { seeds: [0], preset: 'smoke' });
    const cache = new StageCache(join(dir, 'cache'));
    assert.equal((await cachedStages(plan, cache)).size, 0);
    await assert.rejects(gridManifest(plan, cache), /grid job-test: its dataset stage \(generate synth-cityscapes .*\) has not run yet/);
    const before = planRows(plan, new Set([plan.stages[0]!.key]));
    assert.deepEqual(before[0], { stage: 1, kind: 'dataset', status: 'cached', what: plan.stages[0]!.describe });
    assert.deepEqual(new Set(before.slice(1).map((r) => r.status)), new Set(['to run']));
    assert.equal(before.length, plan.stages.length);
    const ap: Record<string, number> = { 'none:original': 40, 'body:maskout': 35 };
    for (const s of plan.stages) {
      let output: unknown = {};
      if (s.kind === 'dataset') output = { manifest: join(dir, 'm.yaml'), name: 'synth-cityscapes' };
      if (s.kind === 'train') output = { run: join(dir, 'run') };
      if (s.kind === 'privacy') output = { metrics: { 'privacy/person-detected': 12.5 } };
      if (s.kind === 'evaluate') {
        const c = plan.conditions.find((x) => x.runs.some((r) => r.evaluate === s.key))!;
        output = { metrics: { 'segm/AP': ap[c.id], 'segm/AP50': ap[c.id]! + 20 } };
      }
      await cache.finish(s.kind, s.key, s.input, output);
    }
    assert.equal((await cachedStages(plan, cache)).size, plan.stages.length);
    assert.equal(await gridManifest(plan, cache), join(dir, 'm.yaml'));
    const resultsCsv = join(dir, 'results', 'job-test.csv');
    // a row of an earlier seed of this grid, and one of another grid, already in the file
    await writeResultsCsv(resultsCsv, [
      { runId: 'job-test/smoke/none:original/seed7', dataset: 'synth-cityscapes', task: 'instance-segmentation', region: 'none', method: 'original', seed: 7, metric: 'segm/AP', value: 41 },
      { runId: 'other/smoke/none:original/seed0', dataset: 'synth-cityscapes', task: 'instance-segmentation', region: 'none', method: 'original', seed: 0, metric: 'segm/AP', value: 1 },
    ]);
    const anonymized: string[] = [];
    const lines: string[] = [];
    const r = await runGridJob(plan, { cache, resultsCsv, log: (l) => anonymized.push(l), onStage: stageProgress((l) => lines.push(l)) });
    assert.equal(lines.length, plan.stages.length);
    assert.match(lines[0]!, /^\[1\/\d+ \d+s\] cached generate synth-cityscapes/);
    assert.equal(r.ran, 0);
    assert.equal(r.cached, plan.stages.length);
    // per run: its two metrics, train_steps and the pretrained encoder it started from; the
    // mask-out copy's privacy figure with its run
    assert.equal(r.rows.length, 9);
    assert.deepEqual(r.rows.filter((x) => x.metric.startsWith('privacy/')).map((x) => [x.runId, x.value]), [['job-test/smoke/body:maskout/seed0', 12.5]]);
    assert.deepEqual(
      r.rows.filter((x) => x.runId === 'job-test/smoke/none:original/seed0').map((x) => x.metric),
      ['segm/AP', 'segm/AP50', 'train_steps', 'pretrained/centernet-mobilenetv3-coco'],
    );
    assert.deepEqual(
      r.rows.filter((x) => x.metric === 'segm/AP').map((x) => [x.runId, x.method, x.value]),
      [
        ['job-test/smoke/none:original/seed0', 'original', 40],
        ['job-test/smoke/body:maskout/seed0', 'maskout', 35],
      ],
    );
    // the plan's own runs: not the earlier seed's row (it may come from another model), not the other grid's
    assert.equal(r.gridRows.length, 9);
    assert.ok(r.gridRows.every((x) => x.runId.startsWith('job-test/smoke/') && x.seed === 0));
    // both stay in the file
    assert.equal((await readResultsCsv(resultsCsv)).length, 11);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('training children run the build their parent runs: dist/cli/launch.js from the built library, the default from the sources', () => {
  assert.equal(childLauncher('file:///p/anon-impact/dist/experiments/grid-job.js'), '/p/anon-impact/dist/cli/launch.js');
  assert.equal(childLauncher('file:///p/anon-impact/lib/experiments/grid-job.ts'), undefined);
  assert.equal(childLauncher(), undefined, 'the tests run the sources');
});

test('stage lines: cached ones as they are, finished ones with the time the rest may take at the pace so far', () => {
  const lines: string[] = [];
  const on = stageProgress((l) => lines.push(l), Date.now() - 10_000);
  const st = (describe: string) => ({ describe }) as Parameters<typeof on>[0]['stage'];
  on({ stage: st('generate'), state: 'cached', done: 1, total: 4 });
  on({ stage: st('train'), state: 'running', done: 1, total: 4 });
  on({ stage: st('train'), state: 'done', done: 2, total: 4 });
  on({ stage: st('evaluate'), state: 'done', done: 4, total: 4 });
  // 10 s for the one stage run: 2 more take about 20 s; the last line has no ETA
  assert.deepEqual(lines, ['[1/4 10s] cached generate', '[2/4 10s, ETA 20s] done   train', '[4/4 10s] done   evaluate']);
});
