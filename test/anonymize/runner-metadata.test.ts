// The runner writes no metadata: inputs with EXIF (GPS included), XMP, comments and text chunks
// come out without any, in their own format; untouched images are copied, stripped losslessly or
// re-encoded as process-image.ts documents; annotation files are copied byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { findMetadata, sniffFormat } from '../../lib/data/image-metadata.ts';
import { anonymizeDataset } from '../../lib/anonymize/runner.ts';
import type { Summary } from '../../lib/anonymize/provenance.ts';
import { checkManifest } from '../../lib/data/check.ts';
import { cocoFixture, FX_IMAGES, SECRETS, tempDir, type FxName } from './runner-fixtures.ts';

async function pixels(file: string | Buffer): Promise<Buffer> {
  return sharp(file).raw().toBuffer();
}

async function assertClean(file: string): Promise<void> {
  const b = await readFile(file);
  const m = await sharp(b).metadata();
  assert.equal(m.exif, undefined, `${file}: EXIF`);
  assert.equal(m.xmp, undefined, `${file}: XMP`);
  assert.equal(m.iptc, undefined, `${file}: IPTC`);
  assert.equal(m.icc, undefined, `${file}: ICC`);
  assert.equal(m.comments, undefined, `${file}: comments`);
  assert.deepEqual(findMetadata(b, sniffFormat(b)!, file), [], `${file}: metadata segments`);
  for (const s of [...SECRETS, 'Exif\0\0', 'http://ns.adobe.com/xap']) assert.ok(!b.includes(s), `${file} contains ${JSON.stringify(s)}`);
}

test('every output image is free of EXIF, GPS, XMP, comments and text chunks; formats kept; annotations copied byte for byte', async () => {
  const src = await tempDir('anon-meta-src-');
  const out = await tempDir('anon-meta-out-');
  try {
    const manifest = await cocoFixture(src.dir);
    // the inputs do carry it
    const p1 = await sharp(join(src.dir, 'images', 'p1.jpg')).metadata();
    assert.ok(p1.exif && p1.xmp && (p1.exif.includes(Buffer.from([0x88, 0x25])) || p1.exif.includes(Buffer.from([0x25, 0x88]))), 'input p1.jpg has EXIF with a GPS IFD and XMP');
    assert.ok((await readFile(join(src.dir, 'images', 'n2.png'))).includes('SECRET-TEXT'));

    const r = await anonymizeDataset({ manifest, split: 'train', region: 'body', method: 'maskout', workers: 0, out: out.dir });
    assert.equal(r.complete, true);
    const summary = JSON.parse(await readFile(r.provenance, 'utf8')) as Summary;
    const byPath = new Map(summary.images.map((i) => [i.input.path, i]));
    for (const name of Object.keys(FX_IMAGES) as FxName[]) {
      const rel = `images/${name}`;
      const file = join(out.dir, rel);
      await assertClean(file);
      const b = await readFile(file);
      assert.equal(sniffFormat(b), name.endsWith('.png') ? 'png' : 'jpeg', `${name} keeps its format`);
      const rec = byPath.get(rel)!;
      const { person, meta } = FX_IMAGES[name];
      const expected = person ? 'anonymized' : meta === 'none' ? 'copied' : meta === 'icc' ? 'reencoded' : 'stripped';
      assert.equal(rec.action, expected, name);
      if (meta !== 'none') assert.ok(rec.metadata.length > 0, `${name}: input metadata recorded`);
      const input = await readFile(join(src.dir, rel));
      if (expected === 'copied') assert.deepEqual(b, input, `${name} copied byte for byte`);
      if (expected === 'stripped') assert.deepEqual(await pixels(b), await pixels(input), `${name}: stripping keeps every pixel`);
      if (expected === 'anonymized' && name.endsWith('.png')) {
        // PNG stays lossless: outside the region every pixel is the input's
        const a = await pixels(b);
        const i = await pixels(input);
        assert.deepEqual(a.subarray(0, 3 * 64 * 2), i.subarray(0, 3 * 64 * 2), 'rows 0-1 (above the person, beyond the dilation) unchanged');
      }
    }
    assert.deepEqual(await readFile(join(out.dir, 'ann', 'train.json')), await readFile(join(src.dir, 'ann', 'train.json')));
    const check = await checkManifest(r.manifest);
    assert.deepEqual(check.problems.map((p) => p.message), []);
    assert.equal(check.images, 7);
  } finally {
    await src.cleanup();
    await out.cleanup();
  }
});

test('--reencode-untouched re-encodes images without regions; JPEG quality is a parameter; PNG re-encoding is lossless', async () => {
  const src = await tempDir('anon-meta-src-');
  const q95 = await tempDir('anon-meta-q95-');
  const q40 = await tempDir('anon-meta-q40-');
  try {
    const manifest = await cocoFixture(src.dir);
    const a = await anonymizeDataset({ manifest, split: 'train', region: 'face', method: 'blur', workers: 0, out: q95.dir, reencodeUntouched: true });
    const b = await anonymizeDataset({ manifest, split: 'train', region: 'face', method: 'blur', workers: 0, out: q40.dir, reencodeUntouched: true, jpegQuality: 40 });
    assert.equal(a.counts.reencoded, 5);
    assert.equal(a.counts.anonymized, 2);
    assert.equal(a.counts.copied + a.counts.stripped, 0);
    for (const name of Object.keys(FX_IMAGES) as FxName[]) {
      await assertClean(join(q95.dir, 'images', name));
      await assertClean(join(q40.dir, 'images', name));
      const hi = await readFile(join(q95.dir, 'images', name));
      const lo = await readFile(join(q40.dir, 'images', name));
      if (name.endsWith('.jpg')) assert.ok(lo.length < hi.length, `${name}: quality 40 is smaller than 95`);
      else {
        assert.deepEqual(lo, hi, `${name}: PNG does not depend on the JPEG quality`);
        if (!FX_IMAGES[name].person) assert.deepEqual(await pixels(hi), await pixels(join(src.dir, 'images', name)), `${name}: lossless`);
      }
    }
    const sa = JSON.parse(await readFile(a.provenance, 'utf8')) as Summary;
    assert.deepEqual(sa.config.output, { jpegQuality: 95, pngCompressionLevel: 6, reencodeUntouched: true });
    assert.equal((JSON.parse(await readFile(b.provenance, 'utf8')) as Summary).config.output.jpegQuality, 40);
  } finally {
    await src.cleanup();
    await q95.cleanup();
    await q40.cleanup();
  }
});
