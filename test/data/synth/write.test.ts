import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { decodeImage, decodeImage16 } from '../../../lib/data/image.ts';
import { loadManifest } from '../../../lib/data/manifest.ts';
import { area as rleArea, decode, fromJson, toBbox } from '../../../lib/data/masks/index.ts';
import { readSplit } from '../../../lib/data/open.ts';
import { generateSample } from '../../../lib/data/synth/generate.ts';
import { writeSynthDataset } from '../../../lib/data/synth/write.ts';
import { cocoRecords, KEYPOINT_MIN_AREA } from '../../../lib/data/synth/coco-json.ts';
import { run } from '../../../lib/cli/synth.ts';

let dirA = '';
let dirB = '';
const opts = { train: 3, val: 2, width: 160, height: 96, seed: 7 };

async function tree(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.set(relative(root, p), createHash('sha256').update(await readFile(p)).digest('hex'));
    }
  };
  await walk(root);
  return out;
}

before(async () => {
  dirA = await mkdtemp(join(tmpdir(), 'synth-a-'));
  dirB = await mkdtemp(join(tmpdir(), 'synth-b-'));
  await writeSynthDataset({ out: dirA, ...opts, outLabel: 'DIR' });
  await writeSynthDataset({ out: dirB, ...opts, outLabel: 'DIR' });
});
after(async () => {
  await rm(dirA, { recursive: true, force: true });
  await rm(dirB, { recursive: true, force: true });
});

test('writes the Cityscapes and COCO layouts and two manifests, byte-identical for the same seed', async () => {
  const a = await tree(dirA);
  const b = await tree(dirB);
  assert.deepEqual(a, b);
  const names = [...a.keys()].sort();
  const expect = ['annotations/instances_train.json', 'annotations/instances_val.json', 'annotations/person_keypoints_train.json', 'annotations/person_keypoints_val.json', 'synth-cityscapes.yaml', 'synth-coco.yaml'];
  for (const [split, n] of [
    ['train', 3],
    ['val', 2],
  ] as const) {
    for (let i = 0; i < n; i++) {
      const f = `synth_000000_${String(i).padStart(6, '0')}`;
      expect.push(`leftImg8bit/${split}/synth/${f}_leftImg8bit.png`);
      for (const k of ['labelIds', 'instanceIds', 'labelTrainIds']) expect.push(`gtFine/${split}/synth/${f}_gtFine_${k}.png`);
      expect.push(`gtFine/${split}/synth/${f}_gtFine_polygons.json`); // the licence plates
    }
  }
  assert.deepEqual(names, expect.sort());
});

test('PNGs hold the generated pixels: RGB, 8-bit labelIds and trainIds, 16-bit instanceIds', async () => {
  const s = generateSample({ seed: 7, split: 'val', index: 1, width: 160, height: 96 });
  const base = join(dirA, 'gtFine/val/synth/synth_000000_000001_gtFine_');
  const img = await decodeImage(join(dirA, 'leftImg8bit/val/synth/synth_000000_000001_leftImg8bit.png'), 3);
  assert.deepEqual(img.data, s.rgb);
  // PNG header: bit depth at byte 24, colour type at 25 (0 = greyscale, 2 = RGB)
  const header = async (f: string) => {
    const b = await readFile(f);
    return [b[24], b[25]];
  };
  assert.deepEqual(await header(base + 'labelIds.png'), [8, 0]);
  assert.deepEqual(await header(base + 'labelTrainIds.png'), [8, 0]);
  assert.deepEqual(await header(base + 'instanceIds.png'), [16, 0]);
  assert.deepEqual(await header(join(dirA, 'leftImg8bit/val/synth/synth_000000_000001_leftImg8bit.png')), [8, 2]);
  const lab = await decodeImage(base + 'labelIds.png', 1);
  assert.deepEqual(lab.data, s.labelIds);
  const ins = await decodeImage16(base + 'instanceIds.png');
  assert.deepEqual(ins.data, s.instanceIds);
  const tr = await decodeImage(base + 'labelTrainIds.png', 1);
  for (let i = 0; i < tr.data.length; i++) {
    const l = s.labelIds[i];
    const expected = l === 7 ? 0 : l === 24 ? 11 : l === 26 ? 13 : l === 23 ? 10 : undefined;
    if (expected !== undefined) assert.equal(tr.data[i], expected);
    if (l === 0 || l === 1) assert.equal(tr.data[i], 255);
  }
});

test('COCO JSON is what pycocotools expects', async () => {
  for (const split of ['train', 'val']) {
    const inst = JSON.parse(await readFile(join(dirA, `annotations/instances_${split}.json`), 'utf8'));
    const kp = JSON.parse(await readFile(join(dirA, `annotations/person_keypoints_${split}.json`), 'utf8'));
    assert.deepEqual(
      inst.categories.map((c: { id: number; name: string }) => [c.id, c.name]),
      [
        [1, 'person'],
        [2, 'bicycle'],
        [3, 'car'],
        [91, 'license plate'],
      ],
    );
    assert.equal(kp.categories.length, 1);
    assert.equal(kp.categories[0].keypoints.length, 17);
    assert.equal(kp.categories[0].keypoints[0], 'nose');
    assert.equal(kp.categories[0].skeleton.length, 19);
    const imageIds = new Set<number>();
    for (const im of inst.images) {
      assert.ok(Number.isInteger(im.id) && im.id >= 1);
      assert.match(im.file_name, /^synth\/synth_000000_\d{6}_leftImg8bit\.png$/);
      await stat(join(dirA, 'leftImg8bit', split, im.file_name));
      assert.equal(im.width, 160);
      assert.equal(im.height, 96);
      imageIds.add(im.id);
    }
    assert.deepEqual(kp.images, inst.images);
    const ids = new Set<number>();
    for (const a of inst.annotations) {
      assert.ok(Number.isInteger(a.id) && a.id >= 1 && !ids.has(a.id));
      ids.add(a.id);
      assert.ok(imageIds.has(a.image_id));
      assert.ok(a.iscrowd === 0 || a.iscrowd === 1);
      assert.ok([1, 2, 3, 91].includes(a.category_id));
      assert.equal(a.keypoints, undefined);
      const rle = fromJson(a.segmentation, 96, 160);
      assert.equal(typeof a.segmentation.counts, 'string');
      assert.equal(a.area, rleArea(rle));
      assert.deepEqual(a.bbox, [...toBbox(rle)]);
      assert.ok(a.area > 0 && a.bbox.length === 4);
      if (a.iscrowd) assert.equal(a.category_id, 1);
    }
    const persons = inst.annotations.filter((a: { category_id: number }) => a.category_id === 1);
    assert.equal(kp.annotations.length, persons.length);
    // licence plates: boxes, iscrowd 0, after every object annotation (test/data/synth/plates.test.ts)
    for (const a of inst.annotations.filter((x: { category_id: number }) => x.category_id === 91)) assert.equal(a.iscrowd, 0);
    for (const a of kp.annotations) {
      assert.equal(a.category_id, 1);
      assert.ok(ids.has(a.id), 'keypoint annotations share the instance ids');
      assert.equal(a.keypoints.length, 51);
      assert.ok(a.keypoints.every((v: number) => typeof v === 'number' && Number.isFinite(v)));
      let n = 0;
      for (let j = 0; j < 17; j++) if (a.keypoints[3 * j + 2] > 0) n++;
      assert.equal(a.num_keypoints, n);
      if (a.iscrowd) assert.equal(a.num_keypoints, 0);
      // COCO labels keypoints on medium and large persons only
      if (a.area < KEYPOINT_MIN_AREA) assert.equal(a.num_keypoints, 0);
      // visible keypoints on the mask
      const m = decode(fromJson(a.segmentation, 96, 160));
      for (let j = 0; j < 17; j++) {
        if (a.keypoints[3 * j + 2] !== 2) continue;
        assert.equal(m[Math.floor(a.keypoints[3 * j + 1]) * 160 + Math.floor(a.keypoints[3 * j])], 1);
      }
      if (a.face_box) {
        assert.equal(a.face_box.length, 4);
        assert.ok(a.face_box[0] >= a.bbox[0] && a.face_box[0] + a.face_box[2] <= a.bbox[0] + a.bbox[2] + 1e-9);
      }
    }
  }
});

test('both manifests load and read back through the dataset readers', async () => {
  const city = await loadManifest(join(dirA, 'synth-cityscapes.yaml'));
  assert.equal(city.format, 'cityscapes');
  assert.deepEqual(city.anonymize, ['person', 'rider']);
  assert.equal(city.obtain, 'npx anon-impact synth --out DIR --train 3 --val 2 --width 160 --height 96 --seed 7');
  assert.deepEqual(city.synth, { seed: 7, width: 160, height: 96, train: 3, val: 2, version: 2 });
  const coco = await loadManifest(join(dirA, 'synth-coco.yaml'));
  assert.equal(coco.format, 'coco');
  const cv = await readSplit(city, 'val');
  const kv = await readSplit(coco, 'val');
  assert.equal(cv.samples.length, 2);
  assert.equal(kv.samples.length, 2);
  // the same persons (non-crowd, incl. riders) in both formats
  const cityPersons = cv.samples.flatMap((s) => s.instances.filter((i) => (i.category === 'person' || i.category === 'rider') && !i.iscrowd).map((i) => i.area)).sort((x, y) => x - y);
  const cocoPersons = kv.samples.flatMap((s) => s.instances.filter((i) => !i.iscrowd).map((i) => i.area)).sort((x, y) => x - y);
  assert.deepEqual(cityPersons, cocoPersons);
  // root override through the environment
  const moved = await loadManifest(join(dirA, 'synth-coco.yaml'), { ANON_IMPACT_SYNTH_ROOT: dirB });
  assert.equal(moved.rootDir, dirB);
});

test('the CLI writes a dataset and rejects bad options', async () => {
  const d = await mkdtemp(join(tmpdir(), 'synth-cli-'));
  try {
    const log = console.log;
    const lines: string[] = [];
    console.log = (...a: unknown[]) => void lines.push(a.join(' '));
    let code: number;
    try {
      code = await run(['--out', d, '--train', '1', '--val', '0', '--width', '64', '--height', '48', '--seed', '3']);
    } finally {
      console.log = log;
    }
    assert.equal(code, 0);
    assert.match(lines.join('\n'), /wrote 1 images/);
    const m = await loadManifest(join(d, 'synth-cityscapes.yaml'));
    assert.deepEqual(Object.keys(m.splits), ['train']);
    await assert.rejects(run(['--out', d, '--train', 'x']), /--train must be an integer/);
    await assert.rejects(run(['--train', '1']), /--out is required/);
    await assert.rejects(run(['--out', d, '--train', '0', '--val', '0']), /nothing to generate/);
  } finally {
    await rm(d, { recursive: true, force: true });
  }
});

test('COCO records label keypoints on persons of at least 32x32 mask pixels only, as COCO does', () => {
  let large = 0;
  let small = 0;
  for (let index = 0; index < 6; index++) {
    const s = generateSample({ seed: 3, split: 'train', index, width: 512, height: 256 });
    for (const a of cocoRecords(s, 1).annotations) {
      if (a.category_id !== 1 || a.iscrowd) continue;
      if (a.area >= KEYPOINT_MIN_AREA) {
        large++;
        assert.ok(a.num_keypoints! > 0, `annotation ${a.id} (area ${a.area}) has keypoints`);
      } else {
        small++;
        assert.equal(a.num_keypoints, 0);
        assert.ok(a.keypoints!.every((v) => v === 0));
      }
    }
  }
  assert.ok(large > 0 && small > 0, `${large} large and ${small} small persons`);
});
