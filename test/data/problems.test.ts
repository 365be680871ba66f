// Problems: reporting or throwing DataErrors; dataset-relative paths; JSON files read with their
// problems named (file, record, field), as the COCO and BDD100K readers use them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Problems, checkRelativePath, insideRoot, optionalFolder, readJsonFile } from '../../lib/data/problems.ts';
import { readBdd100k } from '../../lib/data/bdd100k.ts';
import { readCoco } from '../../lib/data/coco.ts';
import { DataError } from '../../lib/data/types.ts';

test('Problems: without a callback the first problem is thrown, with one each is handed on and counted', () => {
  assert.throws(() => new Problems().report('a.json', 'image 3', 'width', 'expected a number'), (e: unknown) => e instanceof DataError && /a\.json.*image 3.*width.*expected a number/.test(e.message));
  const got: DataError[] = [];
  const p = new Problems({ onProblem: (e) => got.push(e) });
  p.report('a.json', 'image 3', 'width', 'expected a number');
  p.report('a.json', 'image 4', 'height', 'expected a number');
  assert.equal(p.count, 2);
  assert.deepEqual(got.map((e) => e.message.includes('image 4') && e.message.includes('height')), [false, true]);
});

test('relative paths: normalised, refused when absolute or escaping; optional folders', () => {
  assert.deepEqual(checkRelativePath('a\\b/../c.png'), { path: 'a/c.png' });
  assert.match((checkRelativePath('/etc/passwd') as { reason: string }).reason, /absolute path/);
  assert.match((checkRelativePath('C:x') as { reason: string }).reason, /absolute path/);
  assert.match((checkRelativePath('a/../../b') as { reason: string }).reason, /escapes the dataset root/);
  assert.match((checkRelativePath('a/..') as { reason: string }).reason, /names the root itself/);
  for (const root of [undefined, '', '.']) assert.deepEqual(optionalFolder(root), { path: '' });
  assert.deepEqual(optionalFolder('images/10k/'), { path: 'images/10k/' });
  assert.match((optionalFolder('../images') as { reason: string }).reason, /escapes the dataset root/);
  assert.equal(insideRoot('/data/x', 'a/b.png'), '/data/x/a/b.png');
  assert.throws(() => insideRoot('/data/x', '../y'), /escapes the dataset root/);
});

test('readJsonFile: the parsed value; a missing file or invalid JSON reported as file/path or file/json', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'problems-'));
  try {
    await writeFile(join(dir, 'ok.json'), '{"a": [1, 2]}');
    await writeFile(join(dir, 'bad.json'), '{"a": ');
    const seen: DataError[] = [];
    const p = new Problems({ onProblem: (e) => seen.push(e) });
    assert.deepEqual(await readJsonFile(join(dir, 'ok.json'), p), { a: [1, 2] });
    assert.equal(await readJsonFile(join(dir, 'none.json'), p), undefined);
    assert.equal(await readJsonFile(join(dir, 'bad.json'), p), undefined);
    assert.equal(seen.length, 2);
    assert.deepEqual(
      seen.map((e) => [e.file, e.record, e.field]),
      [
        [join(dir, 'none.json'), 'file', 'path'],
        [join(dir, 'bad.json'), 'file', 'json'],
      ],
    );
    assert.match(seen[0]!.message, /file not found/);
    assert.match(seen[1]!.message, /invalid JSON/);
    // the readers report them the same way, and refuse an images folder outside the root
    await assert.rejects(readCoco({ root: dir, annotations: 'bad.json' }), /bad\.json.*invalid JSON/);
    await assert.rejects(readBdd100k({ root: dir, split: 'val', annotations: 'none.json' }), /none\.json.*file not found/);
    await assert.rejects(readCoco({ root: dir, annotations: 'ok.json', images: '../up' }), /images.*escapes the dataset root/);
    await assert.rejects(readBdd100k({ root: dir, split: 'val', annotations: 'ok.json', images: '/abs' }), /images.*absolute path/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
