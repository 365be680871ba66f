// Every stage of a planned grid runs by its key, from the spec the cache holds: in this process
// (runStage) or as `anon-impact stage run KEY --cache DIR` (what the executors' children and jobs run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StageCache } from '../../lib/experiments/cache.ts';
import { planGridJob } from '../../lib/experiments/grid-job.ts';
import { parseGrid } from '../../lib/experiments/spec.ts';
import { readStageSpec, runStage, writeStageSpecs } from '../../lib/experiments/stage-run.ts';
import { initBackend } from '../../lib/nn/runtime/backend.ts';
import { tempDir } from '../helpers/tmp-dir.ts';

const bin = new URL('../../bin/anon-impact.js', import.meta.url).pathname;

const tiny = parseGrid('tiny.yaml', {
  name: 'tiny',
  title: 'Tiny grid',
  task: 'instances',
  preset: 'smoke',
  seeds: [0],
  metrics: ['segm/AP'],
  budget: { steps: 2, synth: { train: 4, val: 2, width: 256, height: 128 } },
  conditions: [
    { region: 'none', method: 'original' },
    { region: 'body', method: 'maskout' },
  ],
});

test('stages run by key from their specs, in dependency order; a finished stage returns at once; two runs of one key do not both run it', async (t) => {
  const dir = await tempDir(t, 'stage-run-');
  await initBackend({ backend: 'wasm', log: false });
  const cache = new StageCache(join(dir, 'cache'));
  const plan = await planGridJob(tiny, {});
  await assert.rejects(runStage(cache, plan.stages[0]!.key), /no stage [0-9a-f]+ in .*plan the grid into this cache first/);
  await writeStageSpecs(plan, cache);
  const [dataset, ...rest] = plan.stages;
  assert.equal(dataset!.kind, 'dataset');
  assert.deepEqual((await readStageSpec(cache, dataset!.key)).dataset, plan.dataset, 'a dataset stage knows the dataset it makes');
  // the same key twice at once: one runs it, the other waits for its lock and finds it finished
  assert.deepEqual((await Promise.all([runStage(cache, dataset!.key), runStage(cache, dataset!.key)])).sort(), ['cached', 'ran']);
  // a stage whose inputs have not finished says which
  const evaluate = rest.find((s) => s.kind === 'evaluate')!;
  await assert.rejects(runStage(cache, evaluate.key), /the train stage [0-9a-f]+ this stage needs has not finished/);
  for (const s of rest.filter((x) => x.kind !== 'evaluate')) assert.equal(await runStage(cache, s.key, { workers: 0 }), 'ran', s.describe);
  // the evaluations through the command line, as a cluster job runs them
  for (const s of rest.filter((x) => x.kind === 'evaluate')) {
    const r = spawnSync(process.execPath, [bin, 'stage', 'run', s.key, '--cache', cache.root, '--backend', 'wasm'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), `done: evaluate ${s.key}: ${s.describe}`);
    assert.ok(existsSync(join(cache.dir('evaluate', s.key), 'pred', 'results.json')));
    const again = spawnSync(process.execPath, [bin, 'stage', 'run', s.key, '--cache', cache.root], { encoding: 'utf8' });
    assert.equal(again.stdout.trim(), `cached: evaluate ${s.key}: ${s.describe}`);
  }
  for (const s of plan.stages) assert.ok(await cache.isDone(s.kind, s.key), s.describe);
  const bad = spawnSync(process.execPath, [bin, 'stage', 'run', 'not-a-key', '--cache', cache.root], { encoding: 'utf8' });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /'not-a-key' is not a stage key/);
});
