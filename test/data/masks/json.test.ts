// RLE JSON objects (pycocotools' {size, counts} with compressed or uncompressed counts), their
// validation, and the real compressed strings of the OCHuman sample.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { area, decode, encode, fromJson, fromString, toBbox, toJson, toString } from '../../../lib/data/masks/index.ts';
import { DataError } from '../../../lib/data/types.ts';

const ctx = { file: 'a.json', record: 'annotation 7', field: 'segmentation' };

test('toJson / fromJson round trip, compressed and uncompressed', () => {
  const r = { h: 4, w: 4, counts: Uint32Array.of(0, 2, 2, 2, 10) };
  assert.deepEqual(toJson(r), { size: [4, 4], counts: '02208' });
  assert.deepEqual(fromJson({ size: [4, 4], counts: '02208' }), r);
  assert.deepEqual(fromJson({ size: [4, 4], counts: [0, 2, 2, 2, 10] }, 4, 4), r);
  // size is [h, w]: a 2x3 image (h=2, w=3)
  const r2 = fromJson({ size: [2, 3], counts: [5, 1] });
  assert.equal(r2.h, 2);
  assert.equal(r2.w, 3);
});

test('malformed RLE objects throw DataError naming file, record and field', () => {
  const bad: [unknown, RegExp, number?, number?][] = [
    [null, /expected an RLE object/],
    [[1, 2], /expected an RLE object/],
    [{ counts: '02208' }, /size must be/],
    [{ size: [4], counts: '02208' }, /size must be/],
    [{ size: [4, -4], counts: '02208' }, /size must be/],
    [{ size: [4, 4.5], counts: '02208' }, /size must be/],
    [{ size: [4, 4], counts: '02208' }, /disagrees with the image size/, 4, 5],
    [{ size: [4, 4], counts: '0220' }, /sum to 6 pixels/],
    [{ size: [4, 4], counts: '02209' }, /sum to 17 pixels/],
    [{ size: [4, 4], counts: 'T' }, /ends inside a value/],
    [{ size: [4, 4], counts: '02 08' }, /outside '0'..'o'/],
    [{ size: [4, 4], counts: [0, 2, -2, 2, 14] }, /counts\[2\]/],
    [{ size: [4, 4], counts: [0, 2, 2.5, 2, 9.5] }, /counts\[2\]/],
    [{ size: [4, 4], counts: [0, 2, 2, 2, 9] }, /sum to 15 pixels/],
    [{ size: [4, 4], counts: 5 }, /counts must be a string or a list/],
    [{ size: [4, 4] }, /counts must be a string or a list/],
  ];
  for (const [json, re, h, w] of bad) {
    assert.throws(() => fromJson(json, h, w, ctx), (e: unknown) => {
      assert.ok(e instanceof DataError, String(e));
      assert.equal(e.file, 'a.json');
      assert.equal(e.record, 'annotation 7');
      assert.equal(e.field, 'segmentation');
      assert.match(e.message, re);
      return true;
    }, JSON.stringify(json));
  }
});

// OCHuman sample: 5 person masks as compressed RLE strings.
const ochuman = fileURLToPath(new URL('../../../../shared/data/ochuman-mini/test_ochuman.json', import.meta.url));

test('OCHuman compressed strings: decode, exact re-encoding, areas and boxes', (t) => {
  if (!existsSync(ochuman)) {
    t.skip(`../shared/data not found: ${ochuman}`);
    return;
  }
  const data = JSON.parse(readFileSync(ochuman, 'utf8')) as {
    images: { id: number; width: number; height: number }[];
    annotations: { id: number; image_id: number; segmentation: { size: [number, number]; counts: string } }[];
  };
  // Goldens: an independent Python decoder (written from the C definition, expanding every run
  // to pixel coordinates, taking min/max) gave these pixel counts and pixel bounding boxes. The
  // files' own `area` and `bbox` fields describe a person box, not the mask (area == w*h of
  // bbox), so they are not used.
  const golden: Record<number, { runs: number; area: number; bbox: number[] }> = {
    1: { runs: 1407, area: 91971, bbox: [257, 118, 464, 740] },
    2: { runs: 597, area: 76283, bbox: [162, 184, 197, 677] },
    3: { runs: 625, area: 77639, bbox: [153, 184, 214, 677] },
    4: { runs: 2277, area: 139284, bbox: [0, 47, 598, 849] },
    5: { runs: 2097, area: 77661, bbox: [92, 54, 509, 775] },
  };
  assert.equal(data.annotations.length, 5);
  for (const a of data.annotations) {
    const img = data.images.find((i) => i.id === a.image_id)!;
    const r = fromJson(a.segmentation, img.height, img.width, { file: ochuman, record: `annotation ${a.id}`, field: 'segmentation' });
    const s = a.segmentation.counts;
    assert.equal(toString(fromString(s, r.h, r.w)), s, `annotation ${a.id}: string round trip`);
    assert.deepEqual(toJson(r), a.segmentation);
    const m = decode(r);
    let n = 0;
    for (let i = 0; i < m.length; i++) n += m[i];
    assert.equal(area(r), n, `annotation ${a.id}: area vs decoded pixels`);
    // encode(decode(r)) reproduces the file's string byte for byte
    assert.equal(toString(encode(m, r.h, r.w)), s);
    const g = golden[a.id];
    assert.equal(r.counts.length, g.runs);
    assert.equal(area(r), g.area);
    assert.deepEqual(toBbox(r), g.bbox);
  }
});
