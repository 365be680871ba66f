// Metadata in JPEG and PNG files: found, and removed without touching the compressed pixels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { findMetadata, jpegMetadata, pngMetadata, sniffFormat, stripMetadata } from '../../lib/data/image-metadata.ts';
import { lcgBytes } from '../anonymize/fixtures.ts';
import { afterIhdr, afterSoi, jpegSegment, pngChunk } from '../anonymize/metadata-fixtures.ts';

const W = 48;
const H = 32;
const raw = () => sharp(Buffer.from(lcgBytes(5, W * H * 3)), { raw: { width: W, height: H, channels: 3 } });
const XMP = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>SECRET-XMP</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>';
const EXIF = { IFD0: { Copyright: 'SECRET-EXIF', Artist: 'SECRET-ARTIST' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '59/1 54/1 12/1' } };

async function pixels(b: Buffer): Promise<Buffer> {
  return sharp(b).raw().toBuffer();
}

test('JPEG: Exif (with GPS), XMP, COM, IPTC, a JFXX thumbnail and bytes after EOI are found and removed; the pixels decode the same', async () => {
  for (const progressive of [false, true]) {
    let j = await raw().withExif(EXIF).withXmp(XMP).jpeg({ quality: 90, progressive }).toBuffer();
    const clean = await raw().jpeg({ quality: 90, progressive }).toBuffer();
    j = afterSoi(j, jpegSegment(0xfe, Buffer.from('SECRET-COMMENT')));
    j = afterSoi(j, jpegSegment(0xed, Buffer.from('Photoshop 3.0\0SECRET-IPTC')));
    j = afterSoi(j, jpegSegment(0xe0, Buffer.from('JFXX\0\x13SECRET-THUMB', 'latin1')));
    j = Buffer.concat([j, Buffer.from('SECRET-TRAILER')]);
    assert.equal(sniffFormat(j), 'jpeg');
    const found = jpegMetadata(j).map((m) => m.name);
    assert.deepEqual(found.sort(), ['APP0 JFXX', 'APP1 Exif', 'APP1 XMP', 'APP13', 'COM', 'after EOI'].sort(), `progressive ${progressive}`);
    assert.ok((await sharp(j).metadata()).exif?.includes(Buffer.from([0x88, 0x25])) || (await sharp(j).metadata()).exif?.includes(Buffer.from([0x25, 0x88])), 'input has a GPS IFD pointer');
    const { data, removed } = stripMetadata(j, 'jpeg');
    assert.equal(removed.length, 6);
    assert.deepEqual(findMetadata(data, 'jpeg'), []);
    for (const s of ['SECRET-EXIF', 'SECRET-ARTIST', 'SECRET-XMP', 'SECRET-COMMENT', 'SECRET-IPTC', 'SECRET-THUMB', 'SECRET-TRAILER', 'Exif\0', 'http://ns.adobe.com/xap']) {
      assert.ok(!data.includes(s), `${s} left in the output`);
    }
    const m = await sharp(data).metadata();
    assert.equal(m.exif, undefined);
    assert.equal(m.xmp, undefined);
    assert.equal(m.iptc, undefined);
    assert.deepEqual(await pixels(data), await pixels(j));
    // what is left is the metadata-free encoding itself
    assert.deepEqual(data, clean);
  }
});

test('JPEG: a clean sharp JPEG has no metadata; a JFIF thumbnail and an ICC profile are reported', async () => {
  const clean = await raw().jpeg().toBuffer();
  assert.deepEqual(jpegMetadata(clean), []);
  assert.deepEqual(stripMetadata(clean, 'jpeg').data, clean);
  const icc = await raw().withIccProfile('p3').jpeg().toBuffer();
  assert.deepEqual(jpegMetadata(icc).map((m) => `${m.kind}:${m.name}`), ['icc:APP2 ICC_PROFILE']);
  // JFIF APP0 with a 1x1 RGB thumbnail: identifier, version 1.02, units, densities, 1, 1, 3 bytes
  const jfifThumb = jpegSegment(0xe0, Buffer.from([...Buffer.from('JFIF\0', 'latin1'), 1, 2, 0, 0, 1, 0, 1, 1, 1, 9, 9, 9]));
  const withThumb = afterSoi(clean, jfifThumb);
  const jfifPlain = jpegSegment(0xe0, Buffer.from([...Buffer.from('JFIF\0', 'latin1'), 1, 2, 0, 0, 1, 0, 1, 0, 0]));
  assert.deepEqual(jpegMetadata(afterSoi(clean, jfifPlain)), [], 'JFIF without thumbnail is kept');
  assert.deepEqual(jpegMetadata(withThumb).map((m) => m.kind), ['thumbnail']);
});

test('JPEG and PNG: malformed or truncated files are errors naming the file', async () => {
  const j = await raw().jpeg().toBuffer();
  assert.throws(() => jpegMetadata(j.subarray(0, j.length - 2), 'x.jpg'), /x\.jpg: not a well-formed JPEG: file ends before EOI/);
  assert.throws(() => jpegMetadata(j.subarray(0, 40), 'x.jpg'), /x\.jpg: not a well-formed JPEG/);
  assert.throws(() => jpegMetadata(Buffer.from('GIF89a'), 'x.jpg'), /no SOI/);
  const p = await raw().png().toBuffer();
  assert.throws(() => pngMetadata(p.subarray(0, p.length - 12), 'x.png'), /x\.png: not a well-formed PNG: file ends before IEND/);
  assert.throws(() => pngMetadata(p.subarray(0, 60), 'x.png'), /x\.png: not a well-formed PNG/);
  assert.equal(sniffFormat(Buffer.from('hello world')), undefined);
});

test('PNG: tEXt/eXIf (sharp Exif and XMP), iCCP, tIME, zTXt, private chunks and bytes after IEND are found and removed; pixels decode the same', async () => {
  let p = await raw().withExif(EXIF).withXmp(XMP).png().toBuffer();
  const clean = await raw().png().toBuffer();
  p = afterIhdr(p, pngChunk('tIME', Buffer.from([0x07, 0xe8, 1, 2, 3, 4, 5])));
  p = afterIhdr(p, pngChunk('zTXt', Buffer.from('Comment\0\0x', 'latin1')));
  p = afterIhdr(p, pngChunk('prVt', Buffer.from('SECRET-PRIVATE')));
  p = Buffer.concat([p, Buffer.from('SECRET-TRAILER')]);
  assert.equal(sniffFormat(p), 'png');
  const kinds = pngMetadata(p).map((m) => m.name).sort();
  assert.deepEqual(kinds, ['after IEND', 'eXIf', 'prVt', 'tEXt', 'tIME', 'zTXt']);
  const { data } = stripMetadata(p, 'png');
  assert.deepEqual(pngMetadata(data), []);
  for (const s of ['SECRET-EXIF', 'SECRET-XMP', 'SECRET-PRIVATE', 'SECRET-TRAILER']) assert.ok(!data.includes(s), s);
  const m = await sharp(data).metadata();
  assert.equal(m.exif, undefined);
  assert.equal(m.xmp, undefined);
  assert.deepEqual(await pixels(data), await pixels(p));
  assert.deepEqual(data, clean);
  const icc = await raw().withIccProfile('p3').png().toBuffer();
  assert.deepEqual(pngMetadata(icc).map((x) => `${x.kind}:${x.name}`), ['icc:iCCP']);
  assert.deepEqual(pngMetadata(clean), []);
});
