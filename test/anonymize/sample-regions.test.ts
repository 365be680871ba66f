// The runner leaves the image and the face detector out of computeRegions when no person needs
// the detector (detectorNeeded); that gives exactly what computeRegions gives with them, and the
// runner's records are computeRegions' records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createImageProcessor, lean, regionOptions } from '../../lib/anonymize/process-image.ts';
import type { RegionConfig } from '../../lib/anonymize/provenance.ts';
import { sampleRegions } from '../../lib/anonymize/sample-regions.ts';
import { decodeImage } from '../../lib/data/image.ts';
import { loadManifest } from '../../lib/data/manifest.ts';
import { readSplit } from '../../lib/data/open.ts';
import { loadFaceDetector } from '../../lib/regions/detector.ts';
import { computeRegions, detectorNeeded } from '../../lib/regions/regions.ts';
import { synthDataset, tempDir } from './runner-fixtures.ts';

test('without a needed detector, computeRegions gives the same with or without image and detector; sampleRegions and the runner agree', async () => {
  const src = await tempDir('anon-sr-');
  const out = await tempDir('anon-sr-out-');
  try {
    const { coco, cityscapes } = await synthDataset(src.dir, 2, 192, 96);
    const detector = await loadFaceDetector();
    try {
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
            const want = computeRegions(s, img, { ...opts, detector: withDetector });
            const need = withDetector !== undefined && detectorNeeded(s, opts);
            if (need) needed++;
            else assert.deepEqual(computeRegions(s, undefined, opts), want, `${m.name} ${JSON.stringify(cfg)} sample ${s.id}: without image and detector`);
            let calls = 0;
            const got = await sampleRegions(
              s,
              cfg,
              async () => (calls++, img),
              async () => (calls++, detector),
            );
            assert.deepEqual(got, want, `${m.name} ${JSON.stringify(cfg)} sample ${s.id}`);
            assert.equal(calls, need ? 2 : 0);
          }
        }
        // the synthetic COCO persons have keypoints, the Cityscapes ones do not
        if (file === cityscapes) assert.ok(needed > 0);
        else assert.equal(needed, 0);
      }
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
          const want = computeRegions(s, await decodeImage(await readFile(join(m.rootDir, s.file))), { ...regionOptions(region), detector });
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
