// `anon-impact anonymize` end to end on the synthetic dataset: body + maskout and face + blur
// give datasets that `anon-impact data check` passes; bad options are clear errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Summary } from '../../lib/anonymize/provenance.ts';
import { run } from '../../lib/cli/anonymize.ts';
import { cocoFixture, snapshot, synthDataset, tempDir } from '../anonymize/runner-fixtures.ts';
import { cli } from './fixtures.ts';

test('anonymize --region body --method maskout and --region face --method blur: outputs pass data check', async () => {
  const src = await tempDir('anon-cli-src-');
  const out = await tempDir('anon-cli-out-');
  try {
    const { coco, cityscapes } = await synthDataset(src.dir, 3, 256, 128);
    const before = await snapshot(src.dir);
    const body = join(out.dir, 'body');
    const r1 = await cli(['anonymize', '--manifest', cityscapes, '--split', 'train', '--region', 'body', '--method', 'maskout', '--fill', '0,255,0', '--dilation', '2', '--workers', '2', '--out', body]);
    assert.equal(r1.code, 0, r1.stderr);
    assert.match(r1.stdout, /wrote 3\/3 images .* \(3 processed, 0 already done\): 3 anonymized/);
    assert.match(r1.stderr, /anonymize train.*3\/3/);
    const m1 = join(body, 'synth-cityscapes-body-maskout.yaml');
    assert.ok(r1.stdout.includes(`manifest: ${m1}`));
    const c1 = await cli(['data', 'check', m1]);
    assert.equal(c1.code, 0, c1.stdout + c1.stderr);
    assert.match(c1.stdout, /OK: 0 problem\(s\); 3 image\(s\) checked/);
    const s1 = JSON.parse(await readFile(join(body, 'provenance.json'), 'utf8')) as Summary;
    assert.deepEqual(s1.config.params, { fill: [0, 255, 0] });
    assert.equal(s1.config.region.dilation, 2);
    assert.deepEqual(s1.config.region.categories, ['person', 'rider']);
    const y = parseYaml(await readFile(m1, 'utf8')) as Record<string, unknown>;
    assert.equal(y.root, '.');
    assert.equal(y.rootEnv, undefined);
    assert.deepEqual(Object.keys(y.splits as object), ['train']);
    assert.match(String(y.obtain), /--method maskout --fill 0,255,0 --dilation 2 --seed 0 --out <this folder>$/);

    const face = join(out.dir, 'face');
    const r2 = await cli(['anonymize', '--manifest', coco, '--split', 'train', '--region', 'face', '--method', 'blur', '--sigma', '3', '--workers', '1', '--seed', '4', '--out', face]);
    assert.equal(r2.code, 0, r2.stderr);
    const m2 = join(face, 'synth-coco-face-blur.yaml');
    const c2 = await cli(['data', 'check', m2]);
    assert.equal(c2.code, 0, c2.stdout + c2.stderr);
    const s2 = JSON.parse(await readFile(join(face, 'provenance.json'), 'utf8')) as Summary;
    assert.deepEqual(s2.config.params, { sigma: 3, variant: 'native' });
    assert.equal(s2.config.seed, 4);
    assert.ok(s2.counts.instancesAnonymized > 0);
    assert.ok(s2.images.every((i) => i.instances.every((r) => r.kind === 'face')));

    // the same command again: nothing to do
    const r3 = await cli(['anonymize', '--manifest', coco, '--split', 'train', '--region', 'face', '--method', 'blur', '--sigma', '3', '--workers', '1', '--seed', '4', '--out', face]);
    assert.equal(r3.code, 0, r3.stderr);
    assert.match(r3.stdout, /\(0 processed, 3 already done\)/);
    // inside the dataset: refused
    const r5 = await cli(['anonymize', '--manifest', coco, '--split', 'train', '--region', 'body', '--method', 'maskout', '--out', join(src.dir, 'anon')]);
    assert.equal(r5.code, 1);
    assert.match(r5.stderr, /is inside the dataset root .*the original dataset is never written/);
    assert.deepEqual(await snapshot(src.dir), before);
  } finally {
    await src.cleanup();
    await out.cleanup();
  }
});

test('anonymize: option errors name the option', async () => {
  const help = await cli(['anonymize', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--reencode-untouched/);
  // the rest in this process: lib/cli.ts prints the message of what run() throws and exits 1
  const cases: [string[], RegExp][] = [
    [['--split', 'train', '--region', 'body', '--method', 'maskout', '--out', '/tmp/x'], /--manifest is required/],
    [['--manifest', 'm.yaml', '--split', 'train', '--region', 'legs', '--method', 'maskout', '--out', '/tmp/x'], /--region must be one of face, body, plate, face\+plate, body\+plate, got 'legs'/],
    [['--manifest', 'm.yaml', '--split', 'train', '--region', 'body', '--method', 'smudge', '--out', '/tmp/x'], /unknown --method 'smudge'/],
    [['--manifest', 'm.yaml', '--split', 'train', '--region', 'body', '--method', 'maskout', '--sigma', '3', '--out', '/tmp/x'], /--sigma does not apply to method maskout/],
    [['--manifest', 'm.yaml', '--split', 'train', '--region', 'body', '--method', 'maskout', '--on-error', 'retry', '--out', '/tmp/x'], /--on-error must be stop or skip/],
    [['--manifest', 'm.yaml', '--split', 'train', '--region', 'body', '--method', 'maskout', '--jpeg-quality', '101', '--out', '/tmp/x'], /--jpeg-quality must be an integer in \[1, 100\]/],
    [['--manifest', 'm.yaml', '--split', 'train', '--region', 'body', '--method', 'realistic', '--out', '/tmp/x'], /--method realistic needs --generator: builtin:GEN_DIR \(.*train-generator.*\), onnx:FILE \(.*\) or rerender \(.*\)/],
    [['--manifest', 'm.yaml', '--split', 'train', '--region', 'face', '--method', 'realistic+hmlo', '--out', '/tmp/x'], /--method realistic\+hmlo needs --generator: /],
    [['--manifest', 'm.yaml', '--split', 'train', '--region', 'body', '--method', 'blur', '--generator', 'rerender', '--out', '/tmp/x'], /--generator applies to the realistic methods only/],
  ];
  for (const [args, re] of cases) await assert.rejects(run(args), re, args.join(' '));
});

test('anonymize --on-error skip with a failed image exits 3 (finished but incomplete), and 0 once the image is repaired', async () => {
  const src = await tempDir('anon-cli-src-');
  const out = await tempDir('anon-cli-out-');
  try {
    const manifest = await cocoFixture(src.dir);
    const good = await readFile(join(src.dir, 'images', 'n3.jpg'));
    await writeFile(join(src.dir, 'images', 'n3.jpg'), good.subarray(0, Math.floor(good.length / 2)));
    const args = ['anonymize', '--manifest', manifest, '--split', 'train', '--region', 'body', '--method', 'maskout', '--workers', '0', '--on-error', 'skip', '--out', out.dir];
    const r = await cli(args);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stdout, /^INCOMPLETE: 6\/7 images/);
    assert.match(r.stderr, /skipped images\/n3\.jpg: /);
    const help = await cli(['anonymize', '--help']);
    assert.match(help.stdout, /exit status: 0 .*complete.*\n.*3 .*incomplete/s);
    await writeFile(join(src.dir, 'images', 'n3.jpg'), good);
    const again = await cli(args);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /^wrote 7\/7 images/);
  } finally {
    await src.cleanup();
    await out.cleanup();
  }
});

test('anonymize --method realistic --generator rerender: the generator is a parameter of the run', async () => {
  const src = await tempDir('anon-cli-src-');
  const out = await tempDir('anon-cli-out-');
  try {
    const { coco } = await synthDataset(src.dir, 1, 128, 64);
    const r = await cli(['anonymize', '--manifest', coco, '--split', 'train', '--region', 'body', '--method', 'realistic', '--generator', 'rerender', '--workers', '0', '--out', out.dir]);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(await readFile(join(out.dir, 'provenance.json'), 'utf8')) as Summary;
    assert.equal(s.config.params.generator, 'rerender');
    const help = await cli(['anonymize', '--help']);
    assert.match(help.stdout, /--generator builtin:GEN_DIR\|onnx:FILE\|rerender/);
  } finally {
    await src.cleanup();
    await out.cleanup();
  }
});
