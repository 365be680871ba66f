import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { decodeImage, decodeImage16, encodeImage, encodeImage16 } from '../../lib/data/image.ts';

test('a 1-channel image is written as a greyscale PNG and reads back unchanged', async () => {
  const data = new Uint8Array(6 * 4).map((_, i) => (i * 37) % 256);
  const png = await encodeImage({ width: 6, height: 4, channels: 1, data }, 'png');
  const meta = await sharp(png).metadata();
  assert.equal(meta.channels, 1);
  assert.equal(meta.space, 'b-w');
  const back = await decodeImage(png, 1);
  assert.deepEqual([...back.data], [...data]);
});

test('16-bit images round-trip without scaling', async () => {
  const data = new Uint16Array([0, 1, 999, 1000, 24001, 65535]);
  const back = await decodeImage16(await encodeImage16({ width: 3, height: 2, data }));
  assert.deepEqual([...back.data], [...data]);
});

test('RGB PNG round-trips losslessly and JPEG quality is honoured', async () => {
  const data = new Uint8Array(16 * 16 * 3).map((_, i) => (i * 13) % 256);
  const img = { width: 16, height: 16, channels: 3, data };
  assert.deepEqual([...(await decodeImage(await encodeImage(img, 'png'), 3)).data], [...data]);
  const q50 = await encodeImage(img, 'jpeg', { quality: 50 });
  const q95 = await encodeImage(img, 'jpeg', { quality: 95 });
  assert.ok(q95.length > q50.length);
});

test('outputs carry no EXIF, XMP, ICC or comments even when the input had them', async () => {
  const withMeta = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 10, g: 20, b: 30 } } })
    .withExif({ IFD0: { Copyright: 'someone', ImageDescription: 'secret' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '63/1 25/1 0/1' } })
    .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>')
    .jpeg()
    .toBuffer();
  const m0 = await sharp(withMeta).metadata();
  assert.ok(m0.exif && m0.xmp, 'fixture should carry EXIF and XMP');
  const img = await decodeImage(withMeta, 3);
  for (const fmt of ['png', 'jpeg'] as const) {
    const out = await encodeImage(img, fmt);
    const m = await sharp(out).metadata();
    assert.equal(m.exif, undefined, `${fmt} has EXIF`);
    assert.equal(m.xmp, undefined, `${fmt} has XMP`);
    assert.equal(m.icc, undefined, `${fmt} has ICC`);
    assert.equal(m.comments, undefined, `${fmt} has comments`);
    assert.ok(!out.includes(Buffer.from('secret')) && !out.includes(Buffer.from('someone')));
  }
});

test('truncated and non-image inputs fail with the file named', async () => {
  const png = await encodeImage({ width: 32, height: 32, channels: 3, data: new Uint8Array(32 * 32 * 3).fill(7) }, 'png');
  await assert.rejects(decodeImage(png.subarray(0, png.length - 20)), /<buffer>: cannot decode image/);
  await assert.rejects(decodeImage('/nonexistent/x.png'), /\/nonexistent\/x\.png: cannot decode image/);
});
