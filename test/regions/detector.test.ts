// BlazeFace from @vladmandic/human's package folder, through our IO handler: real photos, windows
// batched into one call, the graph with a free batch dimension, the choice of backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { decodeImage } from '../../lib/data/image.ts';
import { readCoco } from '../../lib/data/coco.ts';
import { DEFAULT_MAX_BATCH, fileModelHandler, freeBatchDimension, humanModelDir, loadFaceDetector, type FaceDetector } from '../../lib/regions/detector.ts';
import type { FaceDetection } from '../../lib/regions/face-detector.ts';
import { computeRegions } from '../../lib/regions/regions.ts';
import { streetWindows } from './street-windows.ts';

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
  const found = await det.detect(img);
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
  assert.ok((await det.detect(img, { scoreThreshold: 0.2 })).length >= 1);
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
  const { regions, records } = await computeRegions(noKp, img, { kind: 'face', detector: det });
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
  // the others: an estimated head (all five are taller than 32 px); none is skipped
  for (const r of records) assert.ok(r.source === 'detector' || r.source === 'estimated-head', JSON.stringify(r));
});

test('windows batched into one model call give exactly the detections of one call per window', async () => {
  const det = await get();
  // a synthetic street at 512x256: the whole image, the head window of every person, and a
  // square around every other object
  const { img, windows } = streetWindows(true);
  assert.ok(windows.length > 2 * DEFAULT_MAX_BATCH, `${windows.length} windows`);
  const one: FaceDetection[][] = [];
  for (const w of windows) one.push(await det.detect(img, { window: w, scoreThreshold: 0.3 }));
  const batched = await det.detectWindows!(img, windows, { scoreThreshold: 0.3 });
  assert.deepEqual(batched, one);
  assert.ok(one.some((d) => d.length > 0), 'no detection at all: nothing was compared');
  // and a detector with batches of 3 (chunks of 3, 3, ..., rest)
  const det3 = await loadFaceDetector({ maxBatch: 3 });
  try {
    assert.deepEqual(await det3.detectWindows!(img, windows, { scoreThreshold: 0.3 }), one);
  } finally {
    det3.dispose();
  }
  await assert.rejects(loadFaceDetector({ maxBatch: 0 }), /maxBatch must be an integer >= 1/);
});

test('freeBatchDimension: input and Reshape targets to -1, weights copied; other graphs refused by name', async () => {
  const json = path.join(humanModelDir(), 'blazeface.json');
  const art = await fileModelHandler(json).load!();
  const before = new Uint8Array((art.weightData as ArrayBuffer).slice(0));
  const free = freeBatchDimension(art, json);
  const nodes = (free.modelTopology as { node: { op: string; attr?: { shape?: { shape?: { dim?: { size?: string }[] } } } }[] }).node;
  assert.equal(nodes.find((n) => n.op === 'Placeholder')!.attr!.shape!.shape!.dim![0].size, '-1');
  // the input artifacts are left as they were
  assert.deepEqual(new Uint8Array(art.weightData as ArrayBuffer), before);
  const after = new Uint8Array(free.weightData as ArrayBuffer);
  let changed = 0;
  for (let i = 0; i < after.length; i++) if (after[i] !== before[i]) changed++;
  assert.equal(changed, 4 * 4); // four Reshape targets: int32 1 -> -1 (0x01000000 -> 0xffffffff, 4 bytes each)
  const twice = () => freeBatchDimension(free, json);
  assert.throws(twice, /blazeface\.json: expected one input with batch dimension 1/);
  assert.throws(() => freeBatchDimension({ ...art, weightSpecs: art.weightSpecs!.slice(1) }, json), /blazeface\.json: weight specs describe \d+ bytes, the weight data has \d+/);
});

test('backend: a running cpu backend is replaced by wasm unless cpu is asked for', async () => {
  await tf.setBackend('cpu');
  const a = await loadFaceDetector();
  assert.equal(a.backend, 'wasm');
  a.dispose();
  const b = await loadFaceDetector({ backend: 'cpu' });
  assert.equal(b.backend, 'cpu');
  b.dispose();
  // a running wasm backend is kept
  await tf.setBackend('wasm');
  const c = await loadFaceDetector();
  assert.equal(c.backend, 'wasm');
  c.dispose();
});
