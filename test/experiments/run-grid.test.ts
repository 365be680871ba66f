// End to end: a tiny grid through the CLI (synth -> anonymize -> train -> predict -> evaluate ->
// results CSV -> tables), its resumption after SIGKILL, and the cache on a second run.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readResultsCsv } from '../../lib/experiments/results-csv.ts';
import { tempDir } from '../helpers/tmp-dir.ts';

const bin = new URL('../../bin/anon-impact.js', import.meta.url).pathname;

const spec = `name: tiny
title: Tiny grid
task: instances
preset: smoke
seeds: [0]
metrics: [segm/AP, segm/AP-person]
budget: { steps: 2, synth: { train: 4, val: 2, width: 256, height: 128 } }
conditions:
  - { region: none, method: original }
  - { region: body, method: maskout }
  - { region: body, method: no-such-method }
`;

async function setup(t: TestContext) {
  const dir = await tempDir(t, 'grid-');
  await writeFile(join(dir, 'tiny.yaml'), spec);
  const args = ['grid', join(dir, 'tiny.yaml'), '--cache', join(dir, 'cache'), '--results', join(dir, 'results'), '--no-figures', '--concurrency', '1', '--workers', '0', '--backend', 'wasm'];
  return { dir, args };
}

const finished = (cache: string, kind: string) =>
  existsSync(join(cache, kind)) ? readdirSync(join(cache, kind)).filter((k) => existsSync(join(cache, kind, k, 'stage.json'))).length : 0;

test('a grid runs end to end, keeps unknown methods as pending, and a second run is all cached', async (t) => {
  const { dir, args } = await setup(t);
  const first = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  assert.equal(first.status, 0, first.stderr);
  const rows = await readResultsCsv(join(dir, 'results', 'tiny.csv'));
  const methods = new Set(rows.map((r) => `${r.region}/${r.method}`));
  assert.deepEqual([...methods].sort(), ['body/maskout', 'none/original']);
  assert.ok(rows.some((r) => r.metric === 'segm/AP' && r.task === 'instance-segmentation' && r.dataset === 'synth'));
  // every row says the budget and the trainer preset it was made with
  assert.ok(rows.every((r) => r.budget === 'smoke' && r.trainer === 'quick'), 'budget and trainer columns');
  assert.match((await readFile(join(dir, 'results', 'tiny.csv'), 'utf8')).split('\n')[0]!, /,budget,trainer$/);
  const md = await readFile(join(dir, 'results', 'tiny.md'), 'utf8');
  assert.match(md, /Mask-out/);
  assert.match(md, /pending/i);
  assert.match(md, /no-such-method/);
  const second = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stderr, /0 stage\(s\) run/);
});

test('a grid killed with SIGKILL resumes: finished stages are not redone', async (t) => {
  const { dir, args } = await setup(t);
  const cache = join(dir, 'cache');
  const child = spawn(process.execPath, [bin, ...args], { stdio: 'ignore' });
  const t0 = Date.now();
  while (finished(cache, 'anonymize') < 1 && Date.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGKILL');
  await new Promise((r) => child.on('close', r));
  const before = { dataset: finished(cache, 'dataset'), anonymize: finished(cache, 'anonymize') };
  assert.equal(before.dataset, 1);
  assert.equal(before.anonymize, 1);
  const again = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /cached +generate synth-cityscapes/);
  assert.match(again.stderr, /cached +anonymize train split: body maskout/);
  assert.equal(finished(cache, 'evaluate'), 2);
  const rows = await readResultsCsv(join(dir, 'results', 'tiny.csv'));
  assert.equal(new Set(rows.map((r) => r.runId)).size, 2);
});
