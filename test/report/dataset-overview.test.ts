import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadManifest } from '../../lib/data/manifest.ts';
import { datasetSpec } from '../../lib/data/open.ts';
import { datasetOverview } from '../../lib/report/dataset-overview.ts';
import { synthDataset, tempDir } from '../anonymize/runner-fixtures.ts';

test('found datasets: previews, counts, box sizes; a missing root is skipped with a line; an unreadable one is an error', async () => {
  const src = await tempDir('overview-');
  try {
    const { coco } = await synthDataset(src.dir, 2, 128, 64);
    const spec = datasetSpec(await loadManifest(coco), 'train');
    const missing = join(src.dir, 'not-here');
    const o = await datasetOverview(
      [
        { name: 'synth <coco>', spec },
        { name: 'absent', spec: { format: 'cityscapes', root: missing, split: 'val' } },
      ],
      { previews: 2 },
    );
    assert.deepEqual(o.found.map((f) => [f.name, f.dataset.samples.length]), [['synth <coco>', 2]]);
    assert.deepEqual(o.skipped, [{ name: 'absent', root: missing }]);
    assert.equal(o.html.match(/<img src="data:image\/png;base64,/g)!.length, 2);
    assert.match(o.html, /<h4>synth &lt;coco&gt;<\/h4>/);
    assert.match(o.html, new RegExp(`<h4>absent</h4>\\n<p><i>${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} not found: skipped\\.</i></p>`));
    assert.match(o.html, /<table class="anon-impact-records">/);
    const person = o.counts.find((c) => c.category === 'person')!;
    assert.equal(person.dataset, 'synth <coco>');
    assert.ok(person.instances > 0);
    assert.ok(o.boxSizes.length > 0 && o.boxSizes.every((p) => p.dataset === 'synth <coco>' && p.category === 'person'));
    assert.equal(o.boxSizes.at(-1)!.cdf, 1);
    const empty = join(src.dir, 'empty');
    await mkdir(empty);
    await assert.rejects(datasetOverview([{ name: 'broken', spec: { format: 'coco', root: empty, annotations: 'nope.json', split: 'val' } }]), /nope\.json/);
  } finally {
    await src.cleanup();
  }
});
