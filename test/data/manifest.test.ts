import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadManifest, validateManifest } from '../../lib/data/manifest.ts';
import { tempDir } from '../helpers/tmp-dir.ts';

const good = `name: mini
format: coco
root: data
rootEnv: MINI_ROOT
licence: test only
obtain: made by the test
splits:
  val: { annotations: ann.json, images: img }
`;

test('a valid manifest loads with its root resolved against the manifest folder', async (t) => {
  const dir = await tempDir(t, 'manifest-');
  await writeFile(join(dir, 'm.yaml'), good);
  const m = await loadManifest(join(dir, 'm.yaml'), {});
  assert.equal(m.rootDir, resolve(dir, 'data'));
  assert.deepEqual(m.anonymize, ['person']);
  assert.equal(m.splits.val.annotations, 'ann.json');
});

test('rootEnv overrides root', async (t) => {
  const dir = await tempDir(t, 'manifest-');
  await writeFile(join(dir, 'm.yaml'), good);
  const m = await loadManifest(join(dir, 'm.yaml'), { MINI_ROOT: '/somewhere/else' });
  assert.equal(m.rootDir, '/somewhere/else');
});

test('every schema problem is reported with its field', () => {
  const { manifest, problems } = validateManifest('bad.yaml', {
    name: 'has space',
    format: 'kitti',
    root: '',
    licence: 'x',
    splits: { val: { annotations: 'a.json', extra: 1 } },
    checksums: { 'a.json': 'nothex' },
  });
  assert.equal(manifest, undefined);
  const fields = problems.map((p) => p.field).sort();
  for (const f of ['name', 'format', 'root', 'obtain', 'splits.val', 'checksums.a.json']) {
    assert.ok(fields.includes(f), `expected a problem for ${f}, got ${fields.join(', ')}`);
  }
  for (const p of problems) assert.match(p.message, /^bad\.yaml: manifest: /);
});

test('a YAML syntax error names the file', async (t) => {
  const dir = await tempDir(t, 'manifest-');
  await writeFile(join(dir, 'm.yaml'), 'name: [unclosed\n');
  await assert.rejects(loadManifest(join(dir, 'm.yaml')), /m\.yaml: manifest: \(yaml\)/);
});

test('the shipped manifests are valid', async () => {
  for (const f of ['cityscapes', 'coco2017', 'bdd100k']) {
    const m = await loadManifest(new URL(`../../data-manifests/${f}.yaml`, import.meta.url).pathname, {});
    assert.equal(m.name, f);
  }
});
