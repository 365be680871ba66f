// The runner on BDD100K layouts: Scalabel JSON and RGBA bitmasks are copied unchanged, JPEG
// images anonymized, and the output passes data check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Summary } from '../../lib/anonymize/provenance.ts';
import { anonymizeDataset } from '../../lib/anonymize/runner.ts';
import { writeBitmasks } from '../../lib/data/bdd100k.ts';
import { checkManifest } from '../../lib/data/check.ts';
import { readDataset } from '../../lib/data/dataset.ts';
import { lcgBytes } from './fixtures.ts';
import { readTree, snapshot, tempDir } from './runner-fixtures.ts';

const W = 64;
const H = 48;
const rect = (x0: number, y0: number, x1: number, y1: number) => [{ vertices: [[x0, y0], [x1, y0], [x1, y1], [x0, y1]], types: 'LLLL', closed: true }];

test('BDD100K: Scalabel JSON and bitmask layouts anonymized; labels copied byte for byte; data check passes', async () => {
  const src = await tempDir('anon-bdd-src-');
  const staging = await tempDir('anon-bdd-stage-');
  const out = await tempDir('anon-bdd-out-');
  try {
    await mkdir(join(src.dir, 'images'));
    const frames = [];
    for (const [k, name] of ['a.jpg', 'b.jpg', 'c.jpg'].entries()) {
      const img = await sharp(Buffer.from(lcgBytes(50 + k, W * H * 3)), { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
      await writeFile(join(src.dir, 'images', name), img);
      const labels =
        name === 'c.jpg'
          ? []
          : [
              { id: `${k}-1`, category: 'pedestrian', attributes: { occluded: false, truncated: false, crowd: false }, poly2d: rect(8 + k, 6, 26, 44) },
              { id: `${k}-2`, category: 'car', attributes: { occluded: false, truncated: false, crowd: false }, poly2d: rect(36, 28, 60, 46) },
              { id: `${k}-3`, category: 'rider', attributes: { occluded: false, truncated: false, crowd: true }, poly2d: rect(30, 4, 40, 20) },
            ];
      frames.push({ name, size: { width: W, height: H }, labels });
    }
    await writeFile(join(src.dir, 'labels.json'), JSON.stringify(frames, null, 2));
    // the same labels as RGBA bitmasks (written elsewhere, then moved into the dataset)
    const ds = await readDataset({ format: 'bdd100k', root: src.dir, split: 'train', annotations: 'labels.json', images: 'images' });
    await writeBitmasks({ ...ds, root: staging.dir }, { root: src.dir, bitmasks: 'bitmasks' });
    const common = 'format: bdd100k\nroot: .\nlicence: t\nobtain: t\nanonymize: [pedestrian, rider]\n';
    await writeFile(join(src.dir, 'scalabel.yaml'), `name: bdd-json\n${common}splits:\n  train: { annotations: labels.json, images: images }\n`);
    await writeFile(join(src.dir, 'bitmask.yaml'), `name: bdd-bitmask\n${common}splits:\n  train: { bitmasks: bitmasks, images: images }\n`);
    const before = await snapshot(src.dir);

    for (const [manifest, labelFiles] of [
      ['scalabel.yaml', ['labels.json']],
      ['bitmask.yaml', ['bitmasks/a.png', 'bitmasks/b.png', 'bitmasks/c.png']],
    ] as const) {
      const dir = join(out.dir, manifest);
      const r = await anonymizeDataset({ manifest: join(src.dir, manifest), split: 'train', region: 'body', method: 'maskout', workers: 0, out: dir });
      assert.equal(r.complete, true);
      assert.equal(r.counts.anonymized, 2, manifest);
      assert.equal(r.counts.copied, 1, manifest);
      assert.equal(r.counts.instancesAnonymized, 2);
      assert.deepEqual(r.counts.instancesSkipped, { crowd: 2 });
      const tree = await readTree(dir);
      const srcTree = await readTree(src.dir);
      for (const f of labelFiles) assert.ok(tree.get(f)?.equals(srcTree.get(f)!), `${manifest}: ${f} copied byte for byte`);
      const s = JSON.parse(await readFile(r.provenance, 'utf8')) as Summary;
      assert.deepEqual(s.files.map((f) => f.path), labelFiles);
      assert.ok(!tree.get('images/a.jpg')!.equals(srcTree.get('images/a.jpg')!));
      assert.ok(tree.get('images/c.jpg')!.equals(srcTree.get('images/c.jpg')!));
      const check = await checkManifest(r.manifest);
      assert.deepEqual(check.problems.map((p) => p.message), [], manifest);
      assert.equal(check.images, 3);
    }
    assert.deepEqual(await snapshot(src.dir), before);
  } finally {
    await src.cleanup();
    await staging.cleanup();
    await out.cleanup();
  }
});
