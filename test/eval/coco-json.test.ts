// Reading JSON files: errors name the file; Python's bare NaN / Infinity tokens are read as
// markers so that validation can name the record and field holding them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, parseJsonText, readJsonFile } from '../../lib/eval/coco-json.ts';
import { tempDir } from '../helpers/tmp-dir.ts';

test('bare NaN and Infinity outside strings become markers; inside strings they stay text', () => {
  const v = parseJsonText('[{"score": NaN, "s": "NaN Infinity", "x": -Infinity, "y": Infinity}]', 'r.json') as Record<string, unknown>[];
  assert.equal(describe(v[0].score), 'NaN');
  assert.equal(v[0].s, 'NaN Infinity');
  assert.equal(describe(v[0].x), '-Infinity');
  assert.equal(describe(v[0].y), 'Infinity');
  // escaped quotes do not end a string
  const w = parseJsonText('["a\\"NaN", NaN]', 'r.json') as unknown[];
  assert.equal(w[0], 'a"NaN');
  assert.equal(describe(w[1]), 'NaN');
});

test('invalid JSON and unreadable files are errors naming the file', async (t) => {
  assert.throws(() => parseJsonText('[1, 2', 'broken.json'), /broken\.json: \(file\): \(json\): not valid JSON/);
  const dir = await tempDir(t, 'coco-json-');
  await assert.rejects(readJsonFile(join(dir, 'missing.json')), /missing\.json: \(file\): \(json\): cannot read/);
  await writeFile(join(dir, 'ok.json'), '{"a": [1, 2]}');
  assert.deepEqual(await readJsonFile(join(dir, 'ok.json')), { a: [1, 2] });
});
