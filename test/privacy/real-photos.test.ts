// The face figures on real photos (../shared/data: astronaut.png, one frontal face; coco-mini,
// four COCO val2017 photos): a face re-identifies with itself, a masked-out face does not, a
// blurred one lies between; a masked-out face is found less often by the face detector than the
// original. The anonymized versions are made with the project's own anonymizers (lib/anonymize).
// Each test skips with a message where ../shared/data is absent. The figures it sees are printed
// as test diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { decodeImage } from '../../lib/data/image.ts';
import { loadManifest } from '../../lib/data/manifest.ts';
import { readSplit } from '../../lib/data/open.ts';
import { anonymizeSample } from '../../lib/anonymize/anonymize-sample.ts';
import { createAnonymizer } from '../../lib/anonymize/anonymizer.ts';
import { methods } from '../../lib/anonymize/methods.ts';
import { anonymizeDataset } from '../../lib/anonymize/runner.ts';
import { loadFaceDetector } from '../../lib/regions/detector.ts';
import { faceCorners } from '../../lib/regions/face.ts';
import type { Box } from '../../lib/data/types.ts';
import { cosineSimilarity, humanMatch, humanSimilarity, loadFaceEmbedder } from '../../lib/privacy/face-embedding.ts';
import { facesFound } from '../../lib/privacy/face-detectability.ts';
import { privacyReport } from '../../lib/privacy/privacy-report.ts';
import { maskFrom } from '../anonymize/fixtures.ts';
import { tempDir } from '../helpers/tmp-dir.ts';

const shared = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data');
const astronaut = join(shared, 'photos', 'astronaut.png');
const cocoMini = join(shared, 'coco-mini');
const noAstronaut = existsSync(astronaut) ? false : `../shared/data not found: ${astronaut} (see ../shared/data/README.md)`;
const noCoco = existsSync(join(cocoMini, 'test_coco.json')) ? false : `../shared/data not found: ${cocoMini} (see ../shared/data/README.md)`;
const r3 = (v: number) => v.toFixed(3);

test('astronaut: the face re-identifies with itself, not masked out, a blur between; the masked-out face is not detected', { skip: noAstronaut }, async (t) => {
  const photo = await decodeImage(astronaut, 3);
  const detector = await loadFaceDetector();
  const embedder = await loadFaceEmbedder();
  try {
    const found = await detector.detect(photo);
    assert.equal(found.length, 1, 'one face in the astronaut photo');
    // the face region as lib/regions makes it from a detection: corners rounded, clipped
    const c = faceCorners(found[0]!.box, photo.width, photo.height)!;
    const box: Box = [c[0], c[1], c[2] - c[0], c[3] - c[1]];
    const mask = maskFrom(photo.width, photo.height, (x, y) => x >= c[0] && x < c[2] && y >= c[1] && y < c[3]);
    const blurred = methods.blur.apply(photo, mask);
    const masked = methods.maskout.apply(photo, mask);
    const [o, again, b, m] = [...(await embedder.embed(photo, [box, box])), ...(await embedder.embed(blurred, [box])), ...(await embedder.embed(masked, [box]))];
    const cos = { original: cosineSimilarity(o!, again!), blur: cosineSimilarity(o!, b!), maskout: cosineSimilarity(o!, m!) };
    const sim = { original: humanSimilarity(o!, again!), blur: humanSimilarity(o!, b!), maskout: humanSimilarity(o!, m!) };
    const det = { original: (await facesFound(detector, photo, [{ box }]))[0], blur: (await facesFound(detector, blurred, [{ box }]))[0], maskout: (await facesFound(detector, masked, [{ box }]))[0] };
    t.diagnostic(`astronaut face box ${box.join(',')}: cosine original ${r3(cos.original)}, blur ${r3(cos.blur)}, maskout ${r3(cos.maskout)}; Human similarity ${sim.original}, ${sim.blur}, ${sim.maskout}; BlazeFace finds original ${det.original}, blur ${det.blur}, maskout ${det.maskout}`);
    assert.ok(cos.original > 0.999, `self-similarity ${cos.original}`);
    assert.ok(humanMatch(o!, again!), 'the original matches itself by Human\'s rule');
    assert.ok(!humanMatch(o!, m!), 'the masked-out face does not match');
    assert.ok(cos.maskout < cos.blur && cos.blur < cos.original, `ordering maskout < blur < original: ${JSON.stringify(cos)}`);
    assert.ok(sim.maskout <= sim.blur && sim.blur < sim.original, `Human similarity ordering: ${JSON.stringify(sim)}`);
    assert.equal(det.original, true);
    assert.equal(det.maskout, false);
  } finally {
    detector.dispose();
    embedder.dispose();
  }
});

/** A manifest of ../shared/data/coco-mini (val split) in `dir`; the data stays where it is. */
async function cocoMiniManifest(dir: string): Promise<string> {
  const file = join(dir, 'coco-mini.yaml');
  const split = { annotations: 'test_coco.json', images: '.' };
  await writeFile(file, stringify({ name: 'coco-mini', description: 'four COCO val2017 photos (mmpose test data)', format: 'coco', root: cocoMini, licence: 'Flickr licences as listed in test_coco.json', obtain: 'shipped in ../shared/data', anonymize: ['person'], splits: { val: split } }));
  return file;
}

test('coco-mini: face blur and mask-out by the project\'s anonymizers: maskout < blur < original, fewer masked-out faces detected', { skip: noCoco }, async (t) => {
  const dir = await tempDir(t, 'privacy-coco-');
  const ds = await readSplit(await loadManifest(await cocoMiniManifest(dir)), 'val');
  const blur = await createAnonymizer('blur');
  const maskout = await createAnonymizer('maskout');
  const detector = await loadFaceDetector();
  const embedder = await loadFaceEmbedder();
  const cos: Record<'original' | 'blur' | 'maskout', number[]> = { original: [], blur: [], maskout: [] };
  const found: Record<'original' | 'blur' | 'maskout', number> = { original: 0, blur: 0, maskout: 0 };
  let faces = 0;
  try {
    for (const sample of ds.samples) {
      const b = await anonymizeSample(ds, sample, { region: 'face', method: 'blur', anonymizer: blur });
      const m = await anonymizeSample(ds, sample, { region: 'face', method: 'maskout', anonymizer: maskout, image: b.original });
      assert.deepEqual(m.regions.map((r) => r.instanceId), b.regions.map((r) => r.instanceId));
      const boxes = b.regions.map((r) => r.box);
      if (boxes.length === 0) continue;
      faces += boxes.length;
      const o = await embedder.embed(b.original, boxes);
      const again = await embedder.embed(b.original, boxes);
      const eb = await embedder.embed(b.image, boxes);
      const em = await embedder.embed(m.image, boxes);
      boxes.forEach((_, k) => {
        cos.original.push(cosineSimilarity(o[k]!, again[k]!));
        cos.blur.push(cosineSimilarity(o[k]!, eb[k]!));
        cos.maskout.push(cosineSimilarity(o[k]!, em[k]!));
        assert.ok(humanMatch(o[k]!, again[k]!));
      });
      const targets = boxes.map((box) => ({ box }));
      for (const [name, img] of [['original', b.original], ['blur', b.image], ['maskout', m.image]] as const) found[name] += (await facesFound(detector, img, targets)).filter(Boolean).length;
    }
  } finally {
    detector.dispose();
    embedder.dispose();
  }
  const mean = (xs: number[]) => xs.reduce((a, v) => a + v, 0) / xs.length;
  const perFace = cos.blur.filter((v, k) => cos.maskout[k]! < v).length;
  t.diagnostic(`coco-mini: ${faces} face regions; mean cosine to the original face: original ${r3(mean(cos.original))}, blur ${r3(mean(cos.blur))}, maskout ${r3(mean(cos.maskout))} (maskout below blur for ${perFace} of ${faces} faces); BlazeFace finds original ${found.original}, blur ${found.blur}, maskout ${found.maskout} of ${faces}`);
  assert.equal(faces, 14); // 11 from keypoints, 3 estimated heads (persons >= 32 px without head keypoints)
  assert.ok(cos.original.every((v) => v > 0.999));
  assert.ok(mean(cos.maskout) < mean(cos.blur) && mean(cos.blur) < mean(cos.original), JSON.stringify({ maskout: mean(cos.maskout), blur: mean(cos.blur) }));
  assert.ok(found.maskout < found.original, `masked-out faces found ${found.maskout}, original ${found.original}`);
});

test('coco-mini: privacyReport of a face mask-out copy written by the dataset runner', { skip: noCoco }, async (t) => {
  const dir = await tempDir(t, 'privacy-coco-report-');
  const manifest = await cocoMiniManifest(dir);
  const out = join(dir, 'face-maskout');
  await anonymizeDataset({ manifest, split: 'val', region: 'face', method: 'maskout', out, workers: 0 });
  const r = await privacyReport({ manifest, split: 'val', anonymized: out, region: 'face' });
  const fr = r.faceReidentification;
  t.diagnostic(
    `coco-mini face maskout: ${fr.n} faces, cosine median ${r3(fr.cosine.median!)} (different people ${r3(fr.baseline.cosine.median!)}), Human match ${fr.matched.found}/${fr.n} (different people ${fr.baseline.matched.found}/${fr.baseline.pairs}), calibrated cosine > ${r3(fr.calibrated.threshold!)}: ${fr.calibrated.matched.found}/${fr.n}; faces detected ${r.faceDetectability.anonymized.found} vs original ${r.faceDetectability.original.found}; persons detected ${r.personDetectability.anonymized.found}/${r.personDetectability.n} vs ${r.personDetectability.original.found}; appearance median ${r3(r.appearanceLeak.bhattacharyya.median!)} over ${r.appearanceLeak.n} (${r.appearanceLeak.achromatic} greyscale left out)`,
  );
  assert.equal(r.images.anonymized, 4);
  assert.equal(fr.n, 14);
  assert.equal(fr.baseline.pairs, 91); // 14 faces: 14 * 13 / 2 pairs
  assert.equal(r.pixelIndependence.independent, true);
  assert.ok(r.faceDetectability.anonymized.found < r.faceDetectability.original.found);
  assert.equal(r.personDetectability.n, 14);
  assert.equal(r.appearanceLeak.n + r.appearanceLeak.achromatic, 14);
  assert.ok(r.appearanceLeak.achromatic > 0, 'the greyscale photo 000000040083.jpg is left out of the colour distance');
});
