// Face regions on real photos, faces from the BlazeFace detector on head crops (no face boxes,
// head keypoints hidden): every visible face is covered, no face region lies outside its
// person's head part, and each record states its source.
// Data: ../shared/data (photos/astronaut.png, coco-mini); the tests skip when it is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeImage } from '../../lib/data/image.ts';
import { readCoco } from '../../lib/data/coco.ts';
import { decode, encode, toBbox } from '../../lib/data/masks/index.ts';
import type { Instance, Sample } from '../../lib/data/types.ts';
import { loadFaceDetector, type FaceDetector } from '../../lib/regions/detector.ts';
import { headPart } from '../../lib/regions/head.ts';
import { computeRegions } from '../../lib/regions/regions.ts';

const shared = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'data');
const astronaut = path.join(shared, 'photos', 'astronaut.png');
const cocoMini = path.join(shared, 'coco-mini');
const SOURCES = new Set(['annotation', 'keypoints', 'detector', 'estimated-head']);

let detector: FaceDetector | undefined;
test.after(() => detector?.dispose());
async function get(): Promise<FaceDetector> {
  detector ??= await loadFaceDetector();
  return detector;
}

/** The astronaut as one person: head and hair [150, 15, 305, 190), suit and arms [20, 150, 365, 512). */
function astronautSample(): Sample {
  const w = 512;
  const h = 512;
  const m = new Uint8Array(w * h);
  for (const [x0, y0, x1, y1] of [
    [150, 15, 305, 190],
    [20, 150, 365, 512],
  ]) {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m[y * w + x] = 1;
  }
  const mask = encode(m, h, w);
  const inst: Instance = { id: 1, categoryId: 1, category: 'person', mask, bbox: toBbox(mask), iscrowd: false, ignore: false, area: m.reduce((a, b) => a + b, 0) };
  return { id: 'astronaut', file: 'astronaut.png', width: w, height: h, instances: [inst] };
}
/** Eyes and nose of the astronaut, read off the photo. */
const ASTRONAUT_FACE_POINTS: [number, number][] = [
  [200, 120],
  [246, 120],
  [223, 142],
];

const inside = (mask: Uint8Array, w: number, [x, y]: [number, number]) => mask[Math.floor(y) * w + Math.floor(x)] === 1;

test('astronaut: the detector face covers eyes and nose and lies in the head part; without a detector the estimated head does', async (t) => {
  if (!existsSync(astronaut)) return t.skip(`../shared/data not found (${astronaut}): real-photo face test skipped`);
  const s = astronautSample();
  const img = await decodeImage(astronaut, 3);
  const { regions, records } = await computeRegions(s, img, { kind: 'face', detector: await get() });
  assert.deepEqual(records, [{ instanceId: 1, kind: 'face', status: 'anonymized', source: 'detector' }]);
  const px = decode(regions[0].mask);
  for (const p of ASTRONAUT_FACE_POINTS) assert.ok(inside(px, 512, p), `face ${regions[0].box} misses ${p}`);
  const part = headPart(s.instances[0], [20, 15, 365, 512], 512);
  const [x, y, w, h] = regions[0].box;
  assert.ok(x + w / 2 >= part.box[0] && x + w / 2 < part.box[2] && y + h / 2 >= part.box[1] && y + h / 2 < part.box[3]);
  assert.ok(w < 140 && h < 140, `a face, not the head part: ${regions[0].box}`);
  // no detector: the estimated head (top 40% of a person cut by the bottom edge) covers the face too
  const est = await computeRegions(s, undefined, { kind: 'face' });
  assert.deepEqual(est.records, [{ instanceId: 1, kind: 'face', status: 'anonymized', source: 'estimated-head' }]);
  const epx = decode(est.regions[0].mask);
  for (const p of ASTRONAUT_FACE_POINTS) assert.ok(inside(epx, 512, p), `estimated head ${est.regions[0].box} misses ${p}`);
});

test('coco-mini, head keypoints hidden: every visible face (nose and an eye labelled) is covered by a detector face in its head part', async (t) => {
  if (!existsSync(path.join(cocoMini, 'test_coco.json'))) return t.skip(`../shared/data not found (${cocoMini}): real-photo face test skipped`);
  const det = await get();
  const ds = await readCoco({ root: cocoMini, annotations: 'test_coco.json' });
  const tally = { persons: 0, visibleFaces: 0, coveredByDetector: 0, bySource: {} as Record<string, number> };
  for (const s of ds.samples) {
    const img = await decodeImage(path.join(cocoMini, s.file), 3);
    const hidden: Sample = { ...s, instances: s.instances.map((i) => ({ ...i, keypoints: undefined })) };
    const { regions, records } = await computeRegions(hidden, img, { kind: 'face', detector: det });
    assert.equal(records.length, s.instances.length);
    // one region per 'anonymized' record, of that person
    assert.deepEqual(
      regions.map((r) => r.instanceId),
      records.filter((r) => r.status === 'anonymized').map((r) => r.instanceId),
    );
    for (const r of records) {
      tally.persons++;
      const key = r.source ?? r.reason!;
      tally.bySource[key] = (tally.bySource[key] ?? 0) + 1;
      if (r.status === 'anonymized') assert.ok(SOURCES.has(r.source!), `instance ${r.instanceId}: source ${r.source}`);
      else assert.ok(r.reason && r.reason.length > 0);
      const inst = s.instances.find((i) => i.id === r.instanceId)!;
      const reg = regions.find((x) => x.instanceId === r.instanceId);
      const mb = toBbox(inst.mask);
      const tight: [number, number, number, number] = [mb[0], mb[1], mb[0] + mb[2], mb[1] + mb[3]];
      if (reg?.source === 'detector') {
        // the face lies in its person's head part (from the mask: the keypoints are hidden)
        const part = headPart({ mask: inst.mask }, tight, s.height);
        const cx = reg.box[0] + reg.box[2] / 2;
        const cy = reg.box[1] + reg.box[3] / 2;
        assert.ok(cx >= part.box[0] && cx < part.box[2] && cy >= part.box[1] && cy < part.box[3], `${s.file} ${r.instanceId}: face ${reg.box} outside head part ${part.box}`);
      }
      const k = inst.keypoints!;
      const visibleFace = k[2] > 0 && (k[5] > 0 || k[8] > 0);
      if (!visibleFace) continue;
      tally.visibleFaces++;
      assert.ok(reg, `${s.file} ${r.instanceId}: visible face, no region (${r.reason})`);
      const px = decode(reg.mask);
      for (const i of [0, 1, 2]) {
        if (k[3 * i + 2] > 0) assert.ok(inside(px, s.width, [k[3 * i], k[3 * i + 1]]), `${s.file} ${r.instanceId}: keypoint ${i} outside its ${reg.source} face ${reg.box}`);
      }
      if (reg.source === 'detector') tally.coveredByDetector++;
    }
  }
  t.diagnostic(JSON.stringify(tally));
  assert.equal(tally.persons, 14);
  assert.equal(tally.visibleFaces, 10);
  // measured: all 10 from the detector (before head crops and the head-part rule: 8)
  assert.ok(tally.coveredByDetector >= 9, JSON.stringify(tally));
});
