// Loading ground truth and results (COCO() and COCO.loadRes semantics), and the errors for bad
// input: each names the file, the record and the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encode, toJson } from '../../lib/data/masks/index.ts';
import { parseJsonText } from '../../lib/eval/coco-json.ts';
import { loadCocoGt, loadCocoResults } from '../../lib/eval/coco-load.ts';

const GT = {
  images: [
    { id: 9, width: 8, height: 6 },
    { id: 3, width: 8, height: 6 },
  ],
  categories: [
    { id: 4, name: 'b' },
    { id: 1, name: 'a' },
  ],
  annotations: [{ id: 1, image_id: 3, category_id: 1, bbox: [1, 1, 2, 2], area: 4, iscrowd: 0, segmentation: [[1, 1, 3, 1, 3, 3, 1, 3]] }],
};

/** A 6x8 mask with the given (x, y) pixels set, as a compressed RLE object. */
function rle(pixels: [number, number][]) {
  const m = new Uint8Array(6 * 8);
  for (const [x, y] of pixels) m[y * 8 + x] = 1;
  return toJson(encode(m, 6, 8));
}

test('ground truth: image and category ids sorted, annotations kept in file order with their ignore flag', () => {
  const gt = loadCocoGt(GT, 'gt.json', 'bbox');
  assert.deepEqual(gt.imgIds, [3, 9]);
  assert.deepEqual(gt.catIds, [1, 4]);
  assert.deepEqual(gt.catNames, ['a', 'b']);
  assert.equal(gt.anns.img[0], 0);
  assert.equal(gt.anns.cat[0], 0);
  assert.deepEqual([...gt.anns.bbox!], [1, 1, 2, 2]);
});

test('loadRes branches: bbox first -> box area; segmentation first -> mask area and box; keypoints first -> extent', () => {
  const gt = loadCocoGt(GT, 'gt.json', 'segm');
  // bbox branch, even with a mask given: area = w * h = 2 * 3 = 6 (the mask has 1 pixel)
  let dt = loadCocoResults([{ image_id: 3, category_id: 1, score: 0.5, bbox: [0, 0, 2, 3], segmentation: rle([[5, 5]]) }], gt, 'segm', 'r.json');
  assert.equal(dt.branch, 'bbox');
  assert.equal(dt.area[0], 6);
  // bbox branch without a mask: the box's polygon stands in for it in segm evaluation
  dt = loadCocoResults([{ image_id: 3, category_id: 1, score: 0.5, bbox: [0, 0, 2, 3] }], gt, 'segm', 'r.json');
  assert.deepEqual(dt.segmentation![0], [[0, 0, 0, 3, 2, 3, 2, 0]]);
  // segmentation branch: area = 3 pixels; bbox from the mask: x 2..4, y 1..1 -> [2, 1, 3, 1]
  dt = loadCocoResults([{ image_id: 3, category_id: 1, score: 0.5, segmentation: rle([[2, 1], [3, 1], [4, 1]]) }], gt, 'segm', 'r.json');
  assert.equal(dt.branch, 'segm');
  assert.equal(dt.area[0], 3);
  assert.deepEqual([...dt.bbox], [2, 1, 3, 1]);
  // keypoints branch: x over all 17 (zeros included) 0..30, y 0..40 -> area 1200, bbox [0, 0, 30, 40]
  const kps = Array.from({ length: 17 }, (_, k) => (k === 3 ? [30, 40, 1] : k === 4 ? [10, 5, 0] : [0, 0, 0])).flat();
  const kgt = loadCocoGt({ ...GT, annotations: [] }, 'gt.json', 'keypoints');
  dt = loadCocoResults([{ image_id: 3, category_id: 1, score: 0.5, keypoints: kps }], kgt, 'keypoints', 'r.json');
  assert.equal(dt.branch, 'keypoints');
  assert.equal(dt.area[0], 1200);
  assert.deepEqual([...dt.bbox], [0, 0, 30, 40]);
});

test('results naming an unknown image or category, or with a missing / NaN score, are errors naming file, record and field', () => {
  const gt = loadCocoGt(GT, 'gt.json', 'bbox');
  const ok = { image_id: 3, category_id: 1, bbox: [0, 0, 1, 1], score: 0.5 };
  assert.throws(() => loadCocoResults([ok, { ...ok, image_id: 7 }], gt, 'bbox', 'res.json'), /^DataError: res\.json: results\[1\]: image_id: 7 is not an image of the ground truth gt\.json/);
  assert.throws(() => loadCocoResults([{ ...ok, category_id: 2 }], gt, 'bbox', 'res.json'), /res\.json: results\[0\]: category_id: 2 is not a category of the ground truth gt\.json/);
  assert.throws(() => loadCocoResults([{ ...ok, image_id: '3' }], gt, 'bbox', 'res.json'), /results\[0\]: image_id: "3" is not an image/);
  const { score: _omit, ...noScore } = ok;
  assert.throws(() => loadCocoResults([noScore], gt, 'bbox', 'res.json'), /res\.json: results\[0\]: score: expected a finite number, got nothing/);
  const nan = parseJsonText('[{"image_id": 3, "category_id": 1, "bbox": [0, 0, 1, 1], "score": NaN}]', 'res.json');
  assert.throws(() => loadCocoResults(nan, gt, 'bbox', 'res.json'), /res\.json: results\[0\]: score: expected a finite number, got NaN/);
  assert.throws(() => loadCocoResults({ results: [] }, gt, 'bbox', 'res.json'), /res\.json: \(file\): \(top level\): expected a list of results/);
});

test('malformed boxes, keypoints and RLEs are errors naming the record and field', () => {
  const gt = loadCocoGt(GT, 'gt.json', 'bbox');
  const r = { image_id: 3, category_id: 1, score: 0.5 };
  assert.throws(() => loadCocoResults([{ ...r, bbox: [0, 0, 1] }], gt, 'bbox', 'res.json'), /res\.json: results\[0\]: bbox: expected \[x, y, width, height\] of 4 finite numbers, got \[0,0,1\]/);
  assert.throws(() => loadCocoResults([{ ...r, bbox: [0, 0, 1, 1] }, { ...r, bbox: [0, 0, -1, 1] }], gt, 'bbox', 'res.json'), /results\[1\]: bbox: width and height must be >= 0/);
  assert.throws(() => loadCocoResults([{ ...r, bbox: [0, 0, 1, 1] }, { ...r, segmentation: rle([]) }], gt, 'bbox', 'res.json'), /results\[1\]: bbox: expected \[x, y, width, height\]/);
  const sgt = loadCocoGt(GT, 'gt.json', 'segm');
  // counts sum to 47, not 6 * 8 = 48
  assert.throws(() => loadCocoResults([{ ...r, segmentation: { size: [6, 8], counts: [40, 7] } }], sgt, 'segm', 'res.json'), /res\.json: results\[0\]: segmentation: counts sum to 47/);
  assert.throws(() => loadCocoResults([{ ...r, segmentation: { size: [6, 8], counts: '0{{' } }], sgt, 'segm', 'res.json'), /res\.json: results\[0\]: segmentation: counts string/);
  assert.throws(() => loadCocoResults([{ ...r, segmentation: { size: [8, 6], counts: [48] } }], sgt, 'segm', 'res.json'), /results\[0\]: segmentation: RLE size \[8, 6\] disagrees with the image size \[6, 8\]/);
  const kgt = loadCocoGt({ ...GT, annotations: [] }, 'gt.json', 'keypoints');
  assert.throws(() => loadCocoResults([{ ...r, keypoints: [1, 2, 3] }], kgt, 'keypoints', 'res.json'), /results\[0\]: keypoints: expected 51 numbers/);
  assert.throws(() => loadCocoResults([{ ...r, bbox: [0, 0, 1, 1] }], kgt, 'keypoints', 'res.json'), /results\[0\]: keypoints: expected 51 numbers .* got nothing/);
});

test('ground-truth problems name the annotation and field', () => {
  const a = GT.annotations[0];
  const bad = (ann: Record<string, unknown>, type: 'bbox' | 'segm' | 'keypoints' = 'bbox') => () => loadCocoGt({ ...GT, annotations: [ann] }, 'gt.json', type);
  assert.throws(bad({ ...a, image_id: 5 }), /gt\.json: annotations\[0\] \(id 1\): image_id: 5 is not an id in images/);
  assert.throws(bad({ ...a, category_id: 7 }), /annotations\[0\] \(id 1\): category_id: 7 is not an id in categories/);
  const { iscrowd: _i, ...noCrowd } = a;
  assert.throws(bad(noCrowd), /annotations\[0\] \(id 1\): iscrowd: expected 0 or 1, got nothing/);
  assert.throws(bad({ ...a, area: 'big' }), /annotations\[0\] \(id 1\): area: expected a finite number/);
  assert.throws(bad({ ...a, bbox: [1, 2] }), /annotations\[0\] \(id 1\): bbox: expected \[x, y, width, height\]/);
  assert.throws(bad(a, 'keypoints'), /annotations\[0\] \(id 1\): keypoints: expected 51 numbers/);
  assert.throws(() => loadCocoGt({ ...GT, images: [{ id: 1 }, { id: 1 }] }, 'gt.json', 'bbox'), /gt\.json: images\[1\]: id: duplicate image id 1/);
  assert.throws(() => loadCocoGt({ images: [] }, 'gt.json', 'bbox'), /gt\.json: \(file\): categories: expected a list/);
});
