// The runner's region step gives exactly what computeRegions gives for the same options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleRegions, detectorNeeded } from '../../lib/anonymize/sample-regions.ts';
import type { RegionConfig } from '../../lib/anonymize/provenance.ts';
import { decodeImage } from '../../lib/data/image.ts';
import { loadManifest } from '../../lib/data/manifest.ts';
import { readSplit } from '../../lib/data/open.ts';
import { join } from 'node:path';
import { loadFaceDetector } from '../../lib/regions/detector.ts';
import { computeRegions } from '../../lib/regions/regions.ts';
import { synthDataset, tempDir } from './runner-fixtures.ts';

test('sampleRegions equals computeRegions: bodies (dp2 and fixed dilation, min size), faces without and with the detector', async () => {
  const src = await tempDir('anon-sr-');
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
        let ranDetector = 0;
        for (const cfg of configs) {
          for (const s of ds.samples) {
            const image = () => decodeImage(join(m.rootDir, s.file));
            if (detectorNeeded(s, cfg)) ranDetector++;
            const got = await sampleRegions(s, cfg, image, async () => detector);
            const { detector: d, ...opts } = cfg;
            const want = computeRegions(s, await image(), { ...opts, detector: d === 'blazeface' ? detector : undefined });
            assert.deepEqual(got, want, `${m.name} ${JSON.stringify(cfg)} sample ${s.id}`);
          }
        }
        // the synthetic COCO persons have keypoints, the Cityscapes ones do not
        if (file === cityscapes) assert.ok(ranDetector > 0);
        else assert.equal(ranDetector, 0);
      }
    } finally {
      detector.dispose();
    }
  } finally {
    await src.cleanup();
  }
});
