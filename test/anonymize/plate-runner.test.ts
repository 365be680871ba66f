// Licence plates through the dataset runner and its CLI on a tiny synthetic set:
// `anonymize --region plate --method blur` changes pixels inside every plate box and none outside,
// and provenance records every plate; 'face+plate' does faces and plates; every traditional
// method anonymizes plates; a realistic method without a plate generator is refused up front.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { anonymizeSample } from '../../lib/anonymize/anonymize-sample.ts';
import { METHOD_NAMES } from '../../lib/anonymize/methods.ts';
import type { ImageRecord, Summary } from '../../lib/anonymize/provenance.ts';
import { run } from '../../lib/cli/anonymize.ts';
import { checkManifest } from '../../lib/data/check.ts';
import { decodeImage, type Image } from '../../lib/data/image.ts';
import { loadManifest } from '../../lib/data/manifest.ts';
import { decode } from '../../lib/data/masks/index.ts';
import { readSplit } from '../../lib/data/open.ts';
import { writeSynthDataset } from '../../lib/data/synth/write.ts';
import type { Box, Dataset, Sample } from '../../lib/data/types.ts';
import type { Region } from '../../lib/regions/region.ts';
import { tempDir } from './runner-fixtures.ts';

let src = { dir: '', cleanup: async () => {} };
let out = { dir: '', cleanup: async () => {} };
before(async () => {
  src = await tempDir('anon-plate-src-');
  out = await tempDir('anon-plate-out-');
  await writeSynthDataset({ out: src.dir, train: 2, val: 0, width: 160, height: 96, seed: 7 });
});
after(async () => {
  await src.cleanup();
  await out.cleanup();
});

/** Runs the CLI in this process, its console output dropped. */
async function cli(args: string[]): Promise<number> {
  const log = console.log;
  console.log = () => {};
  try {
    return await run(args);
  } finally {
    console.log = log;
  }
}

const inBox = (b: Box, x: number, y: number) => x >= b[0] && x < b[0] + b[2] && y >= b[1] && y < b[1] + b[3];

/** Pixels (x, y) whose colour differs between two images of the same size. */
function changed(a: Image, b: Image): [number, number][] {
  const out: [number, number][] = [];
  for (let p = 0; p < a.width * a.height; p++) {
    for (let c = 0; c < a.channels; c++) {
      if (a.data[p * a.channels + c] !== b.data[p * b.channels + c]) {
        out.push([p % a.width, Math.floor(p / a.width)]);
        break;
      }
    }
  }
  return out;
}

/** Whether the image is one colour inside the box (pixelation leaves such a region as it is). */
function uniform(img: Image, b: Box): boolean {
  const at = (x: number, y: number) => Array.from(img.data.subarray((y * img.width + x) * img.channels, (y * img.width + x + 1) * img.channels)).join();
  const first = at(b[0], b[1]);
  for (let y = b[1]; y < b[1] + b[3]; y++) for (let x = b[0]; x < b[0] + b[2]; x++) if (at(x, y) !== first) return false;
  return true;
}

/** Every changed pixel lies in a region; every region not of one colour has a changed pixel. */
function onlyRegionsChanged(original: Image, anonymized: Image, regions: readonly Region[], what: string): void {
  const union = new Uint8Array(original.width * original.height);
  for (const r of regions) decode(r.mask).forEach((v, p) => v && (union[p] = 1));
  const diff = changed(original, anonymized);
  for (const [x, y] of diff) assert.equal(union[y * original.width + x], 1, `${what}: pixel ${x},${y} outside every region changed`);
  for (const r of regions) assert.ok(diff.some(([x, y]) => inBox(r.box, x, y)) || uniform(original, r.box), `${what}: nothing changed in ${r.kind} ${r.instanceId} ${r.box}`);
}

async function imagesOf(root: string, dir: string, s: Sample): Promise<[Image, Image]> {
  return [await decodeImage(join(root, s.file), 3), await decodeImage(join(dir, s.file), 3)];
}

test('anonymize --region plate --method blur: every plate box changes, nothing outside; provenance records every plate', async () => {
  const manifest = join(src.dir, 'synth-cityscapes.yaml');
  const dir = join(out.dir, 'plate-blur');
  assert.equal(await cli(['--manifest', manifest, '--split', 'train', '--region', 'plate', '--method', 'blur', '--workers', '2', '--out', dir]), 0);
  const ds = await readSplit(await loadManifest(manifest), 'train');
  const plates = ds.samples.flatMap((s) => s.plates ?? []);
  assert.ok(plates.length >= 4, `${plates.length} plates`);
  for (const s of ds.samples) {
    const [original, anonymized] = await imagesOf(src.dir, dir, s);
    const diff = changed(original, anonymized);
    for (const [x, y] of diff) assert.ok(s.plates!.some((p) => inBox(p.box, x, y)), `pixel ${x},${y} outside every plate changed`);
    for (const p of s.plates!) assert.ok(diff.some(([x, y]) => inBox(p.box, x, y)), `plate ${p.id} ${p.box} unchanged`);
  }
  const summary = JSON.parse(await readFile(join(dir, 'provenance.json'), 'utf8')) as Summary;
  assert.equal(summary.config.region.kind, 'plate');
  assert.equal(summary.config.region.detector, 'none');
  assert.equal(summary.counts.instancesAnonymized, plates.length);
  assert.deepEqual(
    summary.images.map((i) => i.instances),
    ds.samples.map((s) => s.plates!.map((p) => ({ instanceId: p.id, kind: 'plate', status: 'anonymized', source: 'annotation' }))),
  );
  const journal = (await readFile(join(dir, 'provenance.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { type: string });
  const lines = journal.filter((l): l is ImageRecord => l.type === 'image');
  // with two workers the journal is in the order the images finished: match its records by sample id
  const byId = new Map(lines.map((l) => [l.id, l]));
  assert.equal(byId.size, ds.samples.length);
  assert.deepEqual(ds.samples.map((s) => byId.get(s.id)?.regions), ds.samples.map((s) => s.plates!.length));
  assert.ok(lines.every((l) => l.instances.every((r) => r.kind === 'plate' && r.status === 'anonymized')));
  // the copy carries its plates (polygons.json) and passes data check
  const m = join(dir, 'synth-cityscapes-plate-blur.yaml');
  const copy = await readSplit(await loadManifest(m), 'train');
  assert.deepEqual(copy.samples.map((s) => s.plates), ds.samples.map((s) => s.plates));
  assert.deepEqual((await checkManifest(m)).problems, []);
});

test('anonymize --region face+plate: faces and plates both, recorded by kind; the COCO copy keeps its plates file', async () => {
  const manifest = join(src.dir, 'synth-coco.yaml');
  const dir = join(out.dir, 'face-plate-blur');
  assert.equal(await cli(['--manifest', manifest, '--split', 'train', '--region', 'face+plate', '--method', 'blur', '--face-detector', 'none', '--workers', '0', '--out', dir]), 0);
  const ds = await readSplit(await loadManifest(manifest), 'train');
  const summary = JSON.parse(await readFile(join(dir, 'provenance.json'), 'utf8')) as Summary;
  assert.equal(summary.config.region.kind, 'face+plate');
  let faces = 0;
  for (const [k, s] of ds.samples.entries()) {
    const r = await anonymizeSample(ds, s, { region: 'face+plate', method: 'blur', faceDetector: 'none', categories: ['person'] });
    faces += r.regions.filter((x) => x.kind === 'face').length;
    assert.deepEqual(summary.images[k]!.instances, r.records);
    assert.deepEqual(r.regions.filter((x) => x.kind === 'plate').map((x) => x.box), s.plates!.map((p) => p.box));
    const [original, anonymized] = await imagesOf(src.dir, dir, s);
    onlyRegionsChanged(original, anonymized, r.regions, s.id);
  }
  assert.ok(faces > 0, 'faces were anonymized too');
  const kinds = new Set(summary.images.flatMap((i) => i.instances.map((r) => r.kind)));
  assert.deepEqual([...kinds].sort(), ['face', 'plate']);
  assert.ok(summary.files.some((f) => f.path === 'annotations/instances_train.json'), 'the plates file is copied');
  const copy = await readSplit(await loadManifest(join(dir, 'synth-coco-face-plate-blur.yaml')), 'train');
  assert.deepEqual(copy.samples.map((s) => s.plates), ds.samples.map((s) => s.plates));
});

test('every traditional method anonymizes plates: only the plate boxes change', async () => {
  let changedPlates = 0;
  const ds: Dataset = await readSplit(await loadManifest(join(src.dir, 'synth-cityscapes.yaml')), 'train');
  for (const method of METHOD_NAMES) {
    for (const s of ds.samples) {
      const r = await anonymizeSample(ds, s, { region: 'plate', method });
      assert.equal(r.regions.length, s.plates!.length);
      onlyRegionsChanged(r.original, r.image, r.regions, `${method} ${s.id}`);
      const diff = changed(r.original, r.image);
      changedPlates += r.regions.filter((x) => diff.some(([px, py]) => inBox(x.box, px, py))).length;
    }
  }
  // all but pixelation's one-colour plates (a 3x1 plate of one colour is its own block mean)
  const all = ds.samples.reduce((n, s) => n + s.plates!.length, 0) * METHOD_NAMES.length;
  assert.ok(changedPlates >= all - ds.samples.reduce((n, s) => n + s.plates!.length, 0), `${changedPlates} of ${all} plates changed`);
});

test('a realistic method without a plate generator is refused before anything is written, naming what is possible', async () => {
  const manifest = join(src.dir, 'synth-cityscapes.yaml');
  const dir = join(out.dir, 'refused');
  for (const region of ['plate', 'face+plate']) {
    await assert.rejects(
      cli(['--manifest', manifest, '--split', 'train', '--region', region, '--method', 'realistic', '--generator', 'builtin:/no/such/generator', '--out', dir]),
      /realistic: no generator for licence plates \(region kind 'plate'\): generator builtin:\/no\/such\/generator makes faces or bodies\. Give plateGenerator=rerender .* or generator=rerender, or anonymize the plates with maskout, blur, pixelate, cropout, inpaint/,
    );
  }
  await assert.rejects(readFile(join(dir, 'provenance.jsonl')), /ENOENT/);
  const ds = await readSplit(await loadManifest(manifest), 'train');
  await assert.rejects(anonymizeSample(ds, 0, { region: 'plate', method: 'realistic+hm', params: { generator: 'onnx:/x.onnx' } }), /realistic\+hm: no generator for licence plates/);
});
