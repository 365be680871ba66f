// Loading ground truth and results (COCO() and COCO.loadRes semantics), and the errors for bad
// input: each names the file, the record and the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encode, toJson } from '../../lib/data/masks/index.ts';
import { evaluateCocoJson } from '../../lib/eval/coco.ts';
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
  assert.throws(bad(a, 'keypoints'), /annotations\[0\] \(id 1\): num_keypoints: missing: pycocotools' keypoint evaluation reads it for every annotation/);
  assert.throws(() => loadCocoGt({ ...GT, images: [{ id: 1 }, { id: 1 }] }, 'gt.json', 'bbox'), /gt\.json: images\[1\]: id: duplicate image id 1/);
  assert.throws(() => loadCocoGt({ images: [] }, 'gt.json', 'bbox'), /gt\.json: \(file\): categories: expected a list/);
});

// Keypoint evaluation of a ground truth with persons (keypoints) and cars (none), as pycocotools
// 2.0.11 does it: COCOeval(gt, dt, 'keypoints') evaluates every category of the ground truth; its
// _prepare reads num_keypoints of every annotation (KeyError without it), computeOks reads keypoints
// and bbox only of the annotations of an (image, category) that has results (KeyError there
// without them). Goldens: pycocotools 2.0.11 on these JSONs; per-category AP as detectron2 takes it
// (precision[:, :, k, 0, -1] over entries > -1), as a fraction.
const person = (x0: number, y0: number) => Array.from({ length: 17 }, (_, k) => [x0 + 2 * (k % 5), y0 + 4 * k, 2]).flat();
const shift = (kps: number[], dx: number, dy: number) => kps.map((v, i) => v + (i % 3 === 0 ? dx : i % 3 === 1 ? dy : 0));
const P1 = person(10, 10);
const P2 = person(60, 5);
function personsAndCars(car: Record<string, unknown>) {
  return {
    images: [1, 2].map((id) => ({ id, width: 100, height: 100 })),
    categories: [
      { id: 1, name: 'person' },
      { id: 3, name: 'car' },
    ],
    annotations: [
      { id: 1, image_id: 1, category_id: 1, bbox: [10, 10, 10, 64], area: 1500, iscrowd: 0, keypoints: P1, num_keypoints: 17 },
      { id: 2, image_id: 1, category_id: 3, area: 600, iscrowd: 0, ...car },
      { id: 3, image_id: 2, category_id: 1, bbox: [60, 5, 10, 64], area: 1200, iscrowd: 0, keypoints: P2, num_keypoints: 17 },
      { id: 4, image_id: 2, category_id: 3, area: 900, iscrowd: 0, ...car },
    ],
  };
}
const PERSON_RESULTS = [
  { image_id: 1, category_id: 1, keypoints: shift(P1, 1, 0), score: 0.9 },
  { image_id: 2, category_id: 1, keypoints: shift(P2, 2, 3), score: 0.8 },
  { image_id: 2, category_id: 1, keypoints: P1, score: 0.95 },
];
function closeAll(got: (number | null)[], want: (number | null)[]) {
  assert.equal(got.length, want.length);
  got.forEach((g, i) => (want[i] === null ? assert.equal(g, null) : assert.ok(Math.abs(g! - want[i]!) < 1e-12, `[${i}]: ${g} vs ${want[i]}`)));
}

test('keypoints: cars without keypoints or bbox (num_keypoints 0) are accepted and ignored, as pycocotools does', () => {
  const s = evaluateCocoJson(personsAndCars({ num_keypoints: 0 }), PERSON_RESULTS, 'keypoints');
  closeAll(s.stats, [0.37673267326732673, 0.6666666666666669, 0.2524752475247525, 0.6534653465346535, -1, 0.65, 1, 0.5, 0.65, -1]);
  closeAll(Object.values(s.perCategory).map((v) => (v === null ? null : v / 100)), [0.37673267326732673, null]);
  // the same numbers as with the cars' keypoints and boxes present
  const full = evaluateCocoJson(personsAndCars({ num_keypoints: 0, keypoints: new Array(51).fill(0), bbox: [40, 40, 30, 20] }), PERSON_RESULTS, 'keypoints');
  assert.deepEqual(full.stats, s.stats);
});

test('keypoints: a car with num_keypoints > 0 but no keypoints counts as a ground truth nobody found, as in pycocotools', () => {
  const s = evaluateCocoJson(personsAndCars({ num_keypoints: 2 }), PERSON_RESULTS, 'keypoints');
  closeAll(s.stats, [0.18836633663366337, 0.3333333333333333, 0.12623762376237624, 0.6534653465346535, -1, 0.325, 0.5, 0.25, 0.65, -1]);
  assert.deepEqual(Object.keys(s.perCategory), ['person', 'car']);
  assert.equal(s.perCategory.car, 0);
});

test('keypoints: where pycocotools fails with KeyError, the error names the file, the annotation and the field', () => {
  // a car result in image 1: its cars' keypoints are needed (pycocotools: KeyError 'keypoints')
  const carResult = { image_id: 1, category_id: 3, keypoints: P1, score: 0.5 };
  assert.throws(
    () => evaluateCocoJson(personsAndCars({ num_keypoints: 0 }), [...PERSON_RESULTS, carResult], 'keypoints', { gt: 'gt.json' }),
    /^DataError: gt\.json: annotations\[1\] \(id 2\): keypoints: expected 51 numbers .*got nothing; needed because results of category 3 \(car\) in image 1 are compared with it$/,
  );
  // no num_keypoints (pycocotools: KeyError 'num_keypoints' in _prepare, whatever the results)
  assert.throws(
    () => evaluateCocoJson(personsAndCars({}), PERSON_RESULTS, 'keypoints', { gt: 'gt.json' }),
    /gt\.json: annotations\[1\] \(id 2\): num_keypoints: missing: pycocotools' keypoint evaluation reads it for every annotation of every category of the ground truth \(0 for one without labelled keypoints\)/,
  );
});
