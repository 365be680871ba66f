// Privacy of the region-blind methods through the whole runner: with the input pixels inside the
// regions replaced by noise, maskout, cropout and inpaint write byte-identical outputs; blur (which
// reads the region) does not, showing the comparison can fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { anonymizeDataset } from '../../lib/anonymize/runner.ts';
import { decodeImage, encodeImage } from '../../lib/data/image.ts';
import { loadManifest } from '../../lib/data/manifest.ts';
import { decode } from '../../lib/data/masks/index.ts';
import { readSplit } from '../../lib/data/open.ts';
import { computeRegions } from '../../lib/regions/regions.ts';
import { lcgBytes } from './fixtures.ts';
import { readTree, synthDataset, tempDir } from './runner-fixtures.ts';

/** A copy of the dataset with every pixel inside the regions replaced by noise. */
async function perturbRegions(srcManifest: string, dstRoot: string, region: 'face' | 'body'): Promise<number> {
  const m = await loadManifest(srcManifest);
  await cp(m.rootDir, dstRoot, { recursive: true });
  const ds = await readSplit(m, 'train');
  let changed = 0;
  for (const [k, s] of ds.samples.entries()) {
    const { regions } = await computeRegions(s, undefined, { kind: region, categories: m.anonymize });
    const file = join(dstRoot, s.file);
    const img = await decodeImage(file);
    const noise = lcgBytes(1000 + k, img.data.length);
    for (const r of regions) {
      const mask = decode(r.mask);
      for (let i = 0; i < mask.length; i++) {
        if (!mask[i]) continue;
        for (let c = 0; c < img.channels; c++) {
          const j = i * img.channels + c;
          if (img.data[j] !== noise[j]) changed++;
          img.data[j] = noise[j]!;
        }
      }
    }
    await writeFile(file, await encodeImage(img, 'png'));
  }
  return changed;
}

const images = (tree: Map<string, Buffer>) => [...tree].filter(([k]) => k.startsWith('leftImg8bit/'));

test('privacy: maskout, cropout and inpaint outputs do not depend on the input pixels inside the regions (blur does)', async () => {
  const a = await tempDir('anon-priv-a-');
  const b = await tempDir('anon-priv-b-');
  const outs = await tempDir('anon-priv-out-');
  try {
    const { coco } = await synthDataset(a.dir, 3);
    for (const region of ['body', 'face'] as const) {
      const rootB = join(b.dir, region);
      const changed = await perturbRegions(coco, rootB, region);
      assert.ok(changed > (region === 'body' ? 5000 : 150), `${region}: ${changed} channel values changed`);
      for (const method of ['maskout', 'cropout', 'inpaint', 'blur']) {
        const oa = join(outs.dir, `${region}-${method}-a`);
        const ob = join(outs.dir, `${region}-${method}-b`);
        const opts = { split: 'train', region, method, workers: 0, faceDetector: 'none' as const };
        const ra = await anonymizeDataset({ ...opts, manifest: coco, out: oa });
        await anonymizeDataset({ ...opts, manifest: join(rootB, 'synth-coco.yaml'), out: ob });
        assert.ok(ra.counts.regions > 10, `${region}: ${ra.counts.regions} regions`);
        const ia = images(await readTree(oa));
        const ib = images(await readTree(ob));
        assert.equal(ia.length, 3);
        const same = ia.every(([k, v], i) => ib[i]![0] === k && v.equals(ib[i]![1]));
        if (method === 'blur') assert.ok(!same, `${region}: blur reads the region, its output must change`);
        else assert.ok(same, `${region} ${method}: outputs differ when only the region's input pixels differ`);
      }
    }
  } finally {
    await a.cleanup();
    await b.cleanup();
    await outs.cleanup();
  }
});
