// The main job's grid (synth-traditional: every condition, the realistic rows with the grid's
// own built-in generator and the re-render generator) on a COCO-format dataset of real photos:
// ../shared/data/coco-mini (4 COCO val2017 photos with 14 annotated people), as train and val
// split, with a budget of a few steps. It runs end to end through the CLI and writes rows of
// every condition, with the pretrained encoder its models started from; its report names the
// dataset it ran on.
// Skipped with a message where ../shared/data is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { readResultsCsv } from '../../lib/experiments/results-csv.ts';
import { tempDir } from '../helpers/tmp-dir.ts';

const root = resolve(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'anon-impact.js');
const mini = resolve(root, '..', 'shared', 'data', 'coco-mini');

test('the main job\'s grid runs end to end on a COCO-format dataset of real photos', { skip: existsSync(join(mini, 'test_coco.json')) ? false : `real samples absent: ${mini} (see ../shared/data/README.md)` }, async (t) => {
  const dir = await tempDir(t, 'grid-real-');
  const manifest = join(dir, 'coco-mini.yaml');
  const split = { annotations: 'test_coco.json', images: '.' };
  await writeFile(manifest, stringify({ name: 'coco-mini', description: 'four COCO val2017 photos (mmpose test data)', format: 'coco', root: mini, licence: 'Flickr licences as listed in test_coco.json', obtain: 'shipped in ../shared/data', anonymize: ['person'], splits: { train: split, val: split } }));
  const grid = parse(await readFile(join(root, 'lib', 'experiments', 'presets', 'synth-traditional.yaml'), 'utf8'));
  const spec = join(dir, 'main-job-tiny.yaml');
  await writeFile(spec, stringify({ ...grid, name: 'main-job-tiny', seeds: [0], budget: { steps: 2, generatorSteps: 2 } }));
  const r = spawnSync(process.execPath, [bin, 'grid', spec, '--manifest', manifest, '--budget', 'smoke', '--cache', join(dir, 'cache'), '--results', join(dir, 'results'), '--no-figures', '--backend', 'wasm'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr.split('\n').slice(-20).join('\n'));
  const rows = await readResultsCsv(join(dir, 'results', 'main-job-tiny.csv'));
  const conditions = new Set(rows.map((x) => `${x.region}/${x.method}`));
  assert.deepEqual([...conditions].sort(), ['body/blur', 'body/maskout', 'body/realistic', 'body/realistic-rerender', 'face/blur', 'face/maskout', 'none/original']);
  assert.ok(rows.every((x) => x.dataset === 'coco-mini'));
  assert.ok(rows.some((x) => x.metric === 'segm/AP-person' && Number.isFinite(x.value)));
  assert.ok(rows.some((x) => x.metric === 'pretrained/centernet-mobilenetv3-coco' && x.value === 1));
  // every row names its budget and trainer preset (columns), and its run id the budget too
  assert.ok(rows.every((x) => x.budget === 'smoke' && x.trainer === 'quick' && x.runId.startsWith('main-job-tiny/smoke/')));
  // a progress line for every stage, the trainings among them
  assert.match(r.stderr, /\[\d+\/\d+ \d+s(, ETA \d+s)?\] done +train instances \(smoke\) on original, seed 0/);
  // the report says where it ran, and that the paper's numbers come from another dataset
  const md = await readFile(join(dir, 'results', 'main-job-tiny.md'), 'utf8');
  assert.match(md.split('\n')[0]!, /— run on coco-mini, not on the grid's own dataset$/);
  assert.match(md, /different datasets: the paper's cityscapes, ours coco-mini/);
});
