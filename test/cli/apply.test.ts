// `anon-impact apply` end to end: PNG in, mask PNG, PNG/JPEG out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeImage, encodeImage } from '../../lib/data/image.ts';
import { methods } from '../../lib/anonymize/methods.ts';
import { lcgImage, maskFrom } from '../anonymize/fixtures.ts';
import { cli } from './fixtures.ts';

test('apply: each method through the CLI equals the library, mask > 0 is the region', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'anon-apply-'));
  try {
    const img = lcgImage(61, 40, 30, 3);
    const region = maskFrom(40, 30, (x, y) => x > 10 && x < 25 && y > 5);
    // mask file: grey levels 0 outside, various nonzero values inside
    const maskImg = { width: 40, height: 30, channels: 1, data: region.map((v, i) => (v ? 1 + (i % 255) : 0)) };
    await writeFile(join(dir, 'in.png'), await encodeImage(img, 'png'));
    await writeFile(join(dir, 'mask.png'), await encodeImage(maskImg, 'png'));
    const runs: [string, string[], Record<string, unknown>][] = [
      ['maskout', ['--fill', '10,20,30'], { fill: [10, 20, 30] }],
      ['blur', ['--sigma', '3', '--ksize', '9'], { sigma: 3, ksize: 9 }],
      ['pixelate', ['--block', '4'], { block: 4 }],
      ['cropout', [], {}],
      ['inpaint', ['--radius', '3'], { radius: 3 }],
    ];
    for (const [name, flags, params] of runs) {
      const out = join(dir, `${name}.png`);
      const r = await cli(['apply', '--image', join(dir, 'in.png'), '--mask', join(dir, 'mask.png'), '--method', name, ...flags, '--out', out]);
      assert.equal(r.code, 0, r.stderr);
      const got = await decodeImage(out);
      assert.deepEqual(got.data, methods[name as 'blur'].apply(img, region, params).data, name);
      const meta = await sharp(await readFile(out)).metadata();
      assert.equal(meta.exif, undefined);
      assert.equal(meta.icc, undefined);
    }
    const jpg = await cli(['apply', '--image', join(dir, 'in.png'), '--mask', join(dir, 'mask.png'), '--method', 'maskout', '--out', join(dir, 'o.jpg')]);
    assert.equal(jpg.code, 0, jpg.stderr);
    assert.equal((await sharp(await readFile(join(dir, 'o.jpg'))).metadata()).format, 'jpeg');
    // no temporary files left behind
    assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.tmp')), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('apply: clear errors for a mask of another size, a wrong option, an unknown method', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'anon-apply-'));
  try {
    await writeFile(join(dir, 'in.png'), await encodeImage(lcgImage(62, 20, 10, 3), 'png'));
    await writeFile(join(dir, 'mask.png'), await encodeImage({ width: 10, height: 10, channels: 1, data: new Uint8Array(100) }, 'png'));
    const base = ['apply', '--image', join(dir, 'in.png'), '--mask', join(dir, 'mask.png'), '--out', join(dir, 'o.png')];
    const size = await cli([...base, '--method', 'blur']);
    assert.equal(size.code, 1);
    assert.match(size.stderr, /mask\.png: mask is 10x10, image .*in\.png is 20x10; they must be the same size/);
    const opt = await cli([...base, '--method', 'maskout', '--sigma', '3']);
    assert.equal(opt.code, 1);
    assert.match(opt.stderr, /--sigma does not apply to method maskout/);
    const unknown = await cli([...base, '--method', 'smudge']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /unknown anonymization method 'smudge'/);
    const missing = await cli(['apply', '--image', join(dir, 'in.png'), '--method', 'blur', '--out', join(dir, 'o.png')]);
    assert.match(missing.stderr, /--mask is required/);
    assert.deepEqual((await readdir(dir)).sort(), ['in.png', 'mask.png']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
