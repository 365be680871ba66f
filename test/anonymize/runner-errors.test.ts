// A corrupt, missing or foreign image: the run stops with an error naming it, or with
// onError 'skip' records it, leaves it out, says the output is incomplete, and retries it the
// next time. The source dataset is never written by any of these runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JournalLine, Summary } from '../../lib/anonymize/provenance.ts';
import { anonymizeDataset } from '../../lib/anonymize/runner.ts';
import { checkManifest } from '../../lib/data/check.ts';
import sharp from 'sharp';
import { cocoFixture, FX_H, FX_W, snapshot, tempDir } from './runner-fixtures.ts';

async function journal(dir: string): Promise<JournalLine[]> {
  return (await readFile(join(dir, 'provenance.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as JournalLine);
}

test('a truncated image stops the run naming it; skip records it and leaves it out; a later run retries it', async () => {
  const src = await tempDir('anon-err-src-');
  const out = await tempDir('anon-err-out-');
  try {
    const manifest = await cocoFixture(src.dir);
    const good = await readFile(join(src.dir, 'images', 'n3.jpg'));
    await writeFile(join(src.dir, 'images', 'n3.jpg'), good.subarray(0, Math.floor(good.length / 2)));
    const before = await snapshot(src.dir);
    const opts = { manifest, split: 'train', region: 'body' as const, method: 'cropout', workers: 0, out: out.dir };

    // stop (default): the error names the file; the images before it are kept and journaled
    await assert.rejects(anonymizeDataset(opts), (e: Error) => {
      assert.match(e.message, /images\/n3\.jpg/);
      assert.match(e.message, /sample 5/);
      assert.match(e.message, /run the same command again to resume/);
      return true;
    });
    let lines = await journal(out.dir);
    assert.deepEqual(lines.filter((l) => l.type === 'image').map((l) => (l as { id: string }).id), ['1', '2', '3', '4']);
    assert.equal(lines.filter((l) => l.type === 'error').length, 1);
    await assert.rejects(stat(join(out.dir, 'provenance.json')), /ENOENT/, 'no summary for a stopped run');
    await assert.rejects(stat(join(out.dir, 'fx-body-cropout.yaml')), /ENOENT/, 'no manifest for a stopped run');

    // skip: every other image written, the failure recorded, the output marked incomplete
    const r = await anonymizeDataset({ ...opts, onError: 'skip' });
    assert.equal(r.complete, false);
    assert.equal(r.resumed, 4);
    assert.equal(r.processed, 2);
    assert.deepEqual(r.errors.map((e) => [e.id, e.input.path, e.stage]), [['5', 'images/n3.jpg', 'decode']]);
    assert.match(r.errors[0]!.error, /n3\.jpg/);
    await assert.rejects(stat(join(out.dir, 'images', 'n3.jpg')), /ENOENT/);
    const s = JSON.parse(await readFile(r.provenance, 'utf8')) as Summary;
    assert.equal(s.complete, false);
    assert.equal(s.counts.failed, 1);
    assert.equal(s.images.length, 6);
    assert.deepEqual(s.errors.map((e) => e.input.path), ['images/n3.jpg']);
    // the annotations are unchanged, so data check of the output names the missing image
    assert.deepEqual(await readFile(join(out.dir, 'ann', 'train.json')), await readFile(join(src.dir, 'ann', 'train.json')));
    const check = await checkManifest(r.manifest);
    assert.deepEqual(check.problems.map((p) => p.message), ['images/n3.jpg: image 5: file: missing image file']);
    assert.deepEqual(await snapshot(src.dir), before, 'the source is never written');

    // the image repaired: the next run does it, and only it
    await writeFile(join(src.dir, 'images', 'n3.jpg'), good);
    const fixed = await anonymizeDataset({ ...opts, onError: 'skip' });
    assert.equal(fixed.complete, true);
    assert.equal(fixed.processed, 1);
    assert.equal(fixed.resumed, 6);
    assert.deepEqual(await readFile(join(out.dir, 'images', 'n3.jpg')), good, 'n3 has no person and no metadata: copied');
    assert.deepEqual((await checkManifest(fixed.manifest)).problems, []);
    lines = await journal(out.dir);
    assert.equal(lines.filter((l) => l.type === 'start').length, 3);
  } finally {
    await src.cleanup();
    await out.cleanup();
  }
});

test('a missing image, a file that is no image and a 16-bit PNG are named; with skip all are recorded', async () => {
  const src = await tempDir('anon-err-src-');
  const out = await tempDir('anon-err-out-');
  try {
    const manifest = await cocoFixture(src.dir);
    await rm(join(src.dir, 'images', 'p2.png'));
    await writeFile(join(src.dir, 'images', 'n1.jpg'), 'not an image at all');
    const deep = new Uint16Array(FX_W * FX_H * 3).map((_, i) => (i * 977) % 65536);
    await writeFile(join(src.dir, 'images', 'n4.png'), await sharp(deep, { raw: { width: FX_W, height: FX_H, channels: 3 } }).toColourspace('rgb16').png().toBuffer());
    const before = await snapshot(src.dir);
    const opts = { manifest, split: 'train', region: 'face' as const, method: 'inpaint', workers: 2, out: out.dir };
    await assert.rejects(anonymizeDataset(opts), /images\/p2\.png: image file not found/);
    const r = await anonymizeDataset({ ...opts, onError: 'skip' });
    assert.equal(r.complete, false);
    assert.deepEqual(
      r.errors.map((e) => [e.input.path, e.stage]),
      [
        ['images/p2.png', 'read'],
        ['images/n1.jpg', 'decode'],
        ['images/n4.png', 'decode'],
      ],
    );
    assert.match(r.errors[1]!.error, /n1\.jpg: not a JPEG or PNG file/);
    assert.match(r.errors[2]!.error, /n4\.png: 16-bit PNG images are not supported/);
    assert.equal(r.counts.failed, 3);
    assert.equal(r.counts.images, 7);
    const check = await checkManifest(r.manifest);
    assert.equal(check.problems.length, 3);
    assert.deepEqual(await snapshot(src.dir), before);
  } finally {
    await src.cleanup();
    await out.cleanup();
  }
});
