// BlazeFace from @vladmandic/human's package folder, through our IO handler, on real photos.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeImage } from '../../lib/data/image.ts';
import { readCoco } from '../../lib/data/coco.ts';
import { fileModelHandler, humanModelDir, loadFaceDetector, type FaceDetector } from '../../lib/regions/detector.ts';
import { computeRegions } from '../../lib/regions/regions.ts';

const shared = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'data');
const astronaut = path.join(shared, 'photos', 'astronaut.png');
const cocoMini = path.join(shared, 'coco-mini');

let detector: FaceDetector | undefined;
async function get(): Promise<FaceDetector> {
  detector ??= await loadFaceDetector();
  return detector;
}

test('the IO handler reads the model JSON and concatenates its weight shards', async () => {
  const dir = humanModelDir();
  const art = await fileModelHandler(path.join(dir, 'blazeface.json')).load!();
  assert.equal(art.format, 'graph-model');
  assert.ok(art.modelTopology);
  assert.equal(art.weightSpecs!.length, 112);
  assert.equal((art.weightData as ArrayBuffer).byteLength, statSync(path.join(dir, 'blazeface.bin')).size);
  await assert.rejects(fileModelHandler(path.join(dir, 'no-such-model.json')).load!(), /no-such-model\.json: cannot read model JSON/);
});

test('finds exactly the astronaut face', async (t) => {
  if (!existsSync(astronaut)) return t.skip(`../shared/data not found: ${astronaut}`);
  const det = await get();
  assert.ok(['wasm', 'cpu', 'tensorflow'].includes(det.backend), det.backend);
  const img = await decodeImage(astronaut, 3);
  const found = det.detect(img);
  assert.equal(found.length, 1, JSON.stringify(found));
  const [x, y, w, h] = found[0].box;
  // the face (hairline to chin, cheek to cheek) spans about x 175..278, y 75..180 in the 512x512 photo
  assert.ok(Math.abs(x + w / 2 - 225) < 8 && Math.abs(y + h / 2 - 127) < 8, `centre ${x + w / 2}, ${y + h / 2}`);
  assert.ok(w > 90 && w < 125 && h > 90 && h < 125, `size ${w} x ${h}`);
  assert.ok(found[0].score > 0.8, `score ${found[0].score}`);
  // eyes (landmarks 0, 1) inside the box, right eye left of the left eye in the image
  const [re, le] = found[0].landmarks!;
  for (const [px, py] of [re, le]) assert.ok(px > x && px < x + w && py > y && py < y + h);
  assert.ok(re[0] < le[0]);
  // a lower threshold lets through more, never fewer
  assert.ok(det.detect(img, { scoreThreshold: 0.2 }).length >= 1);
});

test('coco-mini: faces found in person crops and matched one-to-one to the person masks', async (t) => {
  if (!existsSync(path.join(cocoMini, 'test_coco.json'))) return t.skip(`../shared/data not found: ${cocoMini}`);
  const det = await get();
  const ds = await readCoco({ root: cocoMini, annotations: 'test_coco.json' });
  const s = ds.samples.find((x) => x.file.endsWith('000000197388.jpg'));
  assert.ok(s);
  const img = await decodeImage(path.join(cocoMini, s.file), 3);
  // without keypoints every face has to come from the detector
  const noKp = { ...s, instances: s.instances.map((i) => ({ ...i, keypoints: undefined })) };
  const { regions, records } = computeRegions(noKp, img, { kind: 'face', detector: det });
  assert.equal(records.length, 5);
  const fromDetector = regions.filter((r) => r.source === 'detector');
  assert.ok(fromDetector.length >= 3, JSON.stringify(records));
  assert.equal(new Set(fromDetector.map((r) => r.instanceId)).size, fromDetector.length);
  for (const r of fromDetector) {
    const inst = s.instances.find((i) => i.id === r.instanceId)!;
    const [bx, by, bw, bh] = inst.bbox;
    const cx = r.box[0] + r.box[2] / 2;
    const cy = r.box[1] + r.box[3] / 2;
    // the face centre lies in the upper half of its person's box, and the face is small
    assert.ok(cx >= bx && cx <= bx + bw && cy >= by && cy <= by + bh / 2, `instance ${r.instanceId}: face ${r.box} person ${inst.bbox}`);
    assert.ok(r.box[2] < 60 && r.box[3] < 60);
  }
  for (const r of records) if (r.status === 'skipped') assert.equal(r.reason, 'no face box, no head keypoints, no detection matched');
});
