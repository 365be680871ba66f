// One image anonymized in memory equals what the dataset runner writes for it with the same options
// (regions, method, parameters, seed), for a method that reads the region, one that does not, and
// one that draws random numbers. Its regions, and the runner's records, are computeRegions' own;
// the image and the face detector are left out only where detectorNeeded says nobody needs them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { anonymizeSample, pickSample } from '../../lib/anonymize/anonymize-sample.ts';
import { createAnonymizer } from '../../lib/anonymize/anonymizer.ts';
import { createImageProcessor, lean, regionOptions } from '../../lib/anonymize/process-image.ts';
import type { RegionConfig } from '../../lib/anonymize/provenance.ts';
import { anonymizeDataset } from '../../lib/anonymize/runner.ts';
import { decodeImage } from '../../lib/data/image.ts';
import { loadManifest } from '../../lib/data/manifest.ts';
import { readSplit } from '../../lib/data/open.ts';
import { loadFaceDetector } from '../../lib/regions/detector.ts';
import { computeRegions, detectorNeeded } from '../../lib/regions/regions.ts';
import { synthDataset, tempDir } from './runner-fixtures.ts';

test('same image as the runner: body blur with a fixed dilation, face mask-out, realistic re-render (seeded)', async () => {
  const src = await tempDir('anon-sample-src-');
  const out = await tempDir('anon-sample-out-');
  try {
    const { cityscapes, coco } = await synthDataset(src.dir, 3);
    const m = await loadManifest(cityscapes);
    const ds = await readSplit(m, 'train');
    // faces: the COCO layout carries the face boxes and keypoints
    const mc = await loadManifest(coco);
    const dsc = await readSplit(mc, 'train');
    const cases = [
      { region: 'body' as const, method: 'blur', params: { sigma: 3 }, dilation: 2, m, ds },
      { region: 'face' as const, method: 'maskout', params: { fill: 0 }, m: mc, ds: dsc },
      { region: 'body' as const, method: 'realistic', params: { generator: 'rerender', bodySize: [72, 40] }, m, ds },
    ];
    for (const [k, { m, ds, ...c }] of cases.entries()) {
      const dir = join(out.dir, String(k));
      await anonymizeDataset({ manifest: m, split: 'train', region: c.region, method: c.method, params: c.params, dilation: c.dilation, seed: 5, workers: 0, faceDetector: 'none', out: dir });
      let anonymizedSomewhere = false;
      for (const s of ds.samples) {
        const r = await anonymizeSample(ds, s.id, { region: c.region, method: c.method, params: c.params, dilation: c.dilation, categories: m.anonymize, seed: 5, faceDetector: 'none' });
        const written = await decodeImage(join(dir, s.file));
        assert.deepEqual([r.image.width, r.image.height, r.image.channels], [written.width, written.height, written.channels]);
        assert.ok(Buffer.from(r.image.data).equals(Buffer.from(written.data)), `${c.region} ${c.method}: ${s.id} differs from the runner's output`);
        assert.equal(r.method, c.method);
        if (r.regions.length) {
          anonymizedSomewhere = true;
          assert.ok(!Buffer.from(r.image.data).equals(Buffer.from(r.original.data)));
        }
        assert.ok(r.records.length >= r.regions.length);
      }
      assert.ok(anonymizedSomewhere, `${c.region} ${c.method}: some image has a region`);
    }
    // another seed changes a random method's output; an anonymizer made once serves many images
    const s0 = ds.samples.find((s) => s.instances.some((i) => i.category === 'person' && !i.iscrowd))!;
    const a = await anonymizeSample(ds, s0, { region: 'body', method: 'realistic', params: { generator: 'rerender', bodySize: [72, 40] }, categories: m.anonymize, seed: 5 });
    const b = await anonymizeSample(ds, s0, { region: 'body', method: 'realistic', params: { generator: 'rerender', bodySize: [72, 40] }, categories: m.anonymize, seed: 6 });
    assert.ok(!Buffer.from(a.image.data).equals(Buffer.from(b.image.data)));
    const blur = await createAnonymizer('blur', { sigma: 3 });
    const viaShared = await anonymizeSample(ds, 0, { region: 'body', method: 'blur', params: { sigma: 3 }, categories: m.anonymize, anonymizer: blur });
    const own = await anonymizeSample(ds, 0, { region: 'body', method: 'blur', params: { sigma: 3 }, categories: m.anonymize });
    assert.ok(Buffer.from(viaShared.image.data).equals(Buffer.from(own.image.data)));
    await assert.rejects(anonymizeSample(ds, 0, { region: 'body', method: 'maskout', anonymizer: blur }), /anonymizer given is for 'blur'/);
    await blur.dispose();
  } finally {
    await src.cleanup();
    await out.cleanup();
  }
});

test('samples by index, id or object; a missing one is named', async () => {
  const src = await tempDir('anon-sample-pick-');
  try {
    const { cityscapes } = await synthDataset(src.dir, 2);
    const ds = await readSplit(await loadManifest(cityscapes), 'train');
    const s1 = ds.samples[1]!;
    assert.equal(pickSample(ds, 1), s1);
    assert.equal(pickSample(ds, s1.id), s1);
    assert.equal(pickSample(ds, s1), s1);
    assert.throws(() => pickSample(ds, 5), /split train: sample: no sample at index 5 \(2 samples\)/);
    assert.throws(() => pickSample(ds, 'nope'), /no sample with id 'nope'/);
  } finally {
    await src.cleanup();
  }
});

test('regions: without a needed detector, computeRegions gives the same with or without image and detector; anonymizeSample and the runner use what it gives', async () => {
  const src = await tempDir('anon-sr-');
  const out = await tempDir('anon-sr-out-');
  try {
    const { coco, cityscapes } = await synthDataset(src.dir, 2, 192, 96);
    const detector = await loadFaceDetector();
    try {
      const neededBy = new Map<string, number>();
      for (const file of [coco, cityscapes]) {
        const m = await loadManifest(file);
        const ds = await readSplit(m, 'train');
        const configs: RegionConfig[] = [
          { kind: 'body', categories: m.anonymize, dilation: 'dp2', minSize: 0, requireKeypoints: false, detector: 'none' },
          { kind: 'body', categories: m.anonymize, dilation: 3, minSize: 16, requireKeypoints: file === coco, detector: 'none' },
          { kind: 'face', categories: m.anonymize, dilation: 'dp2', minSize: 0, requireKeypoints: false, detector: 'none' },
          { kind: 'face', categories: m.anonymize, dilation: 'dp2', minSize: 0, requireKeypoints: false, detector: 'blazeface' },
        ];
        let needed = 0;
        for (const cfg of configs) {
          for (const s of ds.samples) {
            const img = await decodeImage(join(m.rootDir, s.file));
            const opts = regionOptions(cfg);
            const withDetector = cfg.detector === 'blazeface' ? detector : undefined;
            const want = await computeRegions(s, img, { ...opts, detector: withDetector });
            const need = withDetector !== undefined && detectorNeeded(s, opts);
            if (need) needed++;
            else assert.deepEqual(await computeRegions(s, undefined, opts), want, `${m.name} ${JSON.stringify(cfg)} sample ${s.id}: without image and detector`);
            const got = await anonymizeSample(ds, s, {
              region: cfg.kind,
              method: 'maskout',
              categories: cfg.categories,
              dilation: cfg.dilation,
              minSize: cfg.minSize,
              requireKeypoints: cfg.requireKeypoints,
              faceDetector: cfg.detector,
              image: img,
            });
            assert.deepEqual({ regions: got.regions, records: got.records }, want, `${m.name} ${JSON.stringify(cfg)} sample ${s.id}`);
          }
        }
        neededBy.set(file, needed);
      }
      // the synthetic Cityscapes persons have no face boxes and no keypoints; the COCO ones have
      // face boxes where enough of the face shows (and keypoints from 32x32 pixels up), so never more need it
      assert.ok(neededBy.get(cityscapes)! > 0);
      assert.ok(neededBy.get(coco)! <= neededBy.get(cityscapes)!, `COCO ${neededBy.get(coco)}, Cityscapes ${neededBy.get(cityscapes)}`);
      // the runner's per-image step (the same code in workers) records what computeRegions gives
      const m = await loadManifest(cityscapes);
      const ds = await readSplit(m, 'train');
      const region: RegionConfig = { kind: 'face', categories: m.anonymize, dilation: 'dp2', minSize: 0, requireKeypoints: false, detector: 'blazeface' };
      const p = await createImageProcessor({
        root: m.rootDir,
        out: out.dir,
        region,
        method: 'maskout',
        params: {},
        seed: 0,
        output: { jpegQuality: 95, pngCompressionLevel: 6, reencodeUntouched: false },
      });
      try {
        for (const s of ds.samples) {
          const o = await p.process({ sample: lean(s) });
          assert.equal(o.type, 'image', JSON.stringify(o));
          if (o.type !== 'image') continue;
          const want = await computeRegions(s, await decodeImage(await readFile(join(m.rootDir, s.file))), { ...regionOptions(region), detector });
          assert.deepEqual(o.record.instances, want.records, `sample ${s.id}`);
          assert.equal(o.record.regions, want.regions.length);
        }
      } finally {
        await p.dispose();
      }
    } finally {
      detector.dispose();
    }
  } finally {
    await src.cleanup();
    await out.cleanup();
  }
});
