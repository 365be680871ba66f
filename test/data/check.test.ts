import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkManifest } from '../../lib/data/check.ts';
import { encodeImage } from '../../lib/data/image.ts';
import { tempDir } from '../helpers/tmp-dir.ts';

const repo = new URL('../..', import.meta.url).pathname;
const shared = join(repo, '..', 'shared', 'data');

async function png(w: number, h: number): Promise<Buffer> {
  return encodeImage({ width: w, height: h, channels: 3, data: new Uint8Array(w * h * 3).fill(90) }, 'png');
}

/** A COCO dataset with one problem of every kind `data check` must report. */
async function brokenCoco(t: TestContext): Promise<string> {
  const dir = await tempDir(t, 'check-');
  await mkdir(join(dir, 'img'));
  await writeFile(join(dir, 'img', 'ok.png'), await png(40, 30));
  await writeFile(join(dir, 'img', 'wrongsize.png'), await png(20, 30));
  const full = await png(40, 30);
  await writeFile(join(dir, 'img', 'truncated.png'), full.subarray(0, Math.floor(full.length / 2)));
  await writeFile(join(dir, 'img', 'garbage.png'), 'not an image at all');
  const poly = [[5, 5, 20, 5, 20, 20, 5, 20]];
  const ann = {
    images: [
      { id: 1, file_name: 'ok.png', width: 40, height: 30 },
      { id: 2, file_name: 'wrongsize.png', width: 40, height: 30 },
      { id: 3, file_name: 'truncated.png', width: 40, height: 30 },
      { id: 4, file_name: 'garbage.png', width: 40, height: 30 },
      { id: 5, file_name: 'missing.png', width: 40, height: 30 },
      { id: 6, file_name: '../../etc/passwd', width: 40, height: 30 },
      { id: 1, file_name: 'ok.png', width: 40, height: 30 },
    ],
    categories: [{ id: 1, name: 'person' }],
    annotations: [
      { id: 10, image_id: 1, category_id: 1, segmentation: poly, bbox: [5, 5, 15, 15], area: 225, iscrowd: 0 },
      { id: 11, image_id: 1, category_id: 1, segmentation: [[1, 1, 5, 5]], bbox: [1, 1, 4, 4], area: 1, iscrowd: 0 },
      { id: 12, image_id: 1, category_id: 1, segmentation: { size: [31, 40], counts: [0, 1240] }, bbox: [0, 0, 40, 31], area: 1240, iscrowd: 1 },
      { id: 13, image_id: 1, category_id: 99, segmentation: poly, bbox: [5, 5, 15, 15], area: 225, iscrowd: 0 },
      { id: 10, image_id: 1, category_id: 1, segmentation: poly, bbox: [5, 5, 15, 15], area: 225, iscrowd: 0 },
    ],
  };
  await writeFile(join(dir, 'ann.json'), JSON.stringify(ann));
  await writeFile(join(dir, 'm.yaml'), `name: broken\nformat: coco\nroot: .\nlicence: test\nobtain: test\nsplits:\n  val: { annotations: ann.json, images: img }\n`);
  return join(dir, 'm.yaml');
}

test('data check reports every problem with file, record and field', async (t) => {
  const report = await checkManifest(await brokenCoco(t));
  const lines = report.problems.map((p) => p.message);
  const has = (re: RegExp, what: string) => assert.ok(lines.some((l) => re.test(l)), `expected ${what} in:\n${lines.join('\n')}`);
  has(/wrongsize\.png: image 2: width\/height: image is 20x30, annotation says 40x30/, 'size mismatch');
  has(/truncated\.png: image 3: file: not a well-formed PNG: chunk 'IDAT' of \d+ bytes runs past the end of the file at byte \d+/, 'truncated image');
  has(/garbage\.png: image 4: file: unreadable or truncated/, 'unreadable image');
  has(/missing\.png: image 5: file: missing image file/, 'missing file');
  has(/\.\.\/\.\.\/etc\/passwd.*escapes the dataset root|escapes the dataset root.*etc\/passwd/, 'path escaping the root');
  has(/ann\.json: annotation (id )?11: segmentation.*(at least 3|fewer than 3)/i, 'polygon with < 3 points');
  has(/ann\.json: annotation (id )?12: segmentation.*size/i, 'RLE size disagreeing with the image');
  has(/ann\.json: annotation (id )?13: category_id.*99/i, 'unknown category');
  has(/ann\.json: .*(duplicate|twice).*\b10\b|ann\.json: annotation (id )?10: id: duplicate/i, 'duplicate annotation id');
  has(/ann\.json: image (id )?1: id: duplicate|ann\.json: .*duplicate image id 1/i, 'duplicate image id');
  for (const p of report.problems) {
    assert.ok(p.file && p.record && p.field, `problem without file/record/field: ${p.message}`);
  }
});

test('data check CLI exits non-zero and prints one line per problem', async (t) => {
  const m = await brokenCoco(t);
  const r = spawnSync(process.execPath, [join(repo, 'bin/anon-impact.js'), 'data', 'check', m, '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.ok, false);
  assert.ok(out.problems.length >= 9);
});

test('a truncated PNG or JPEG is reported as anonymize reports it: the chunk or the end, and the byte offset', async (t) => {
  const dir = await tempDir(t, 'check-');
  await mkdir(join(dir, 'img'));
  const p = await png(40, 30);
  const j = await encodeImage({ width: 40, height: 30, channels: 3, data: new Uint8Array(40 * 30 * 3).fill(90) }, 'jpeg');
  await writeFile(join(dir, 'img', 'cut.png'), p.subarray(0, Math.floor(p.length / 2)));
  await writeFile(join(dir, 'img', 'cut.jpg'), j.subarray(0, j.length - 2));
  const images = [
    { id: 1, file_name: 'cut.png', width: 40, height: 30 },
    { id: 2, file_name: 'cut.jpg', width: 40, height: 30 },
  ];
  await writeFile(join(dir, 'ann.json'), JSON.stringify({ images, categories: [{ id: 1, name: 'person' }], annotations: [] }));
  await writeFile(join(dir, 'm.yaml'), `name: cut\nformat: coco\nroot: .\nlicence: test\nobtain: test\nsplits:\n  val: { annotations: ann.json, images: img }\n`);
  const report = await checkManifest(join(dir, 'm.yaml'));
  const lines = report.problems.map((x) => x.message);
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.match(lines[0]!, /^img\/cut\.png: image 1: file: not a well-formed PNG: chunk 'IDAT' of \d+ bytes runs past the end of the file at byte (\d+)$/);
  assert.equal(Number(/at byte (\d+)$/.exec(lines[0]!)![1]), p.indexOf('IDAT') - 4, 'the offset of the IDAT chunk');
  assert.equal(lines[1], `img/cut.jpg: image 2: file: not a well-formed JPEG: file ends before EOI at byte ${j.length - 2}`);
});

test('a manifest whose root is missing is one clear problem', async (t) => {
  const dir = await tempDir(t, 'check-');
  await writeFile(join(dir, 'm.yaml'), `name: gone\nformat: cityscapes\nroot: nowhere\nlicence: t\nobtain: t\nsplits:\n  val: {}\n`);
  const report = await checkManifest(join(dir, 'm.yaml'));
  assert.equal(report.problems.length, 1);
  assert.match(report.problems[0].message, /m\.yaml: manifest: root: dataset root .*nowhere is not a folder/);
});

test('checksums are verified', async (t) => {
  const m = await brokenCoco(t);
  const dir = join(m, '..');
  const text = await readFile(m, 'utf8');
  await writeFile(m, text + `checksums:\n  ann.json: '${'0'.repeat(64)}'\n`);
  const report = await checkManifest(m);
  assert.ok(report.problems.some((p) => p.file === 'ann.json' && p.field === 'sha256'), report.problems.map((p) => p.message).join('\n'));
  assert.ok(existsSync(dir));
});

test('the shared real samples pass data check', async (t) => {
  if (!existsSync(shared)) return t.skip('../shared/data not found: the real-sample check needs it');
  const dir = await tempDir(t, 'check-');
  await writeFile(join(dir, 'cs.yaml'), `name: cs\nformat: cityscapes\nroot: ${join(shared, 'cityscapes-mini')}\nlicence: t\nobtain: t\nsplits:\n  val: {}\n`);
  await writeFile(join(dir, 'coco.yaml'), `name: coco\nformat: coco\nroot: ${join(shared, 'coco-mini')}\nlicence: t\nobtain: t\nsplits:\n  val: { annotations: test_coco.json, images: . }\n`);
  for (const f of ['cs.yaml', 'coco.yaml']) {
    const r = await checkManifest(join(dir, f));
    assert.deepEqual(r.problems.map((p) => p.message), []);
    assert.ok(r.images > 0);
  }
});

test('a BDD100K manifest over the shared Scalabel sample is read through data check', async (t) => {
  if (!existsSync(shared)) return t.skip('../shared/data not found: the BDD100K sample check needs it');
  const dir = await tempDir(t, 'check-');
  await writeFile(join(dir, 'bdd.yaml'), `name: bdd\nformat: bdd100k\nroot: ${join(shared, 'bdd100k-labels')}\nlicence: t\nobtain: t\nsplits:\n  val: { annotations: scalabel/example_annotation.json, images: photos }\n`);
  const r = await checkManifest(join(dir, 'bdd.yaml'));
  // The sample has labels but no photos: every image is reported missing, nothing else.
  assert.ok(r.samples.val > 0);
  assert.ok(r.problems.length > 0);
  for (const p of r.problems) assert.equal(p.field, 'file', p.message);
  for (const p of r.problems) assert.match(p.message, /missing image file/);
});
