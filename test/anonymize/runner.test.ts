// The dataset runner on the synthetic street scenes: same seed same bytes whatever the number of
// workers, every method and region giving a dataset that `data check` passes, and the output
// folders it refuses. Privacy: runner-privacy.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { METHOD_NAMES } from '../../lib/anonymize/methods.ts';
import type { JournalLine, Summary } from '../../lib/anonymize/provenance.ts';
import { anonymizeDataset, type AnonymizeProgress } from '../../lib/anonymize/runner.ts';
import { checkManifest } from '../../lib/data/check.ts';
import { readTree, snapshot, synthDataset, tempDir } from './runner-fixtures.ts';

/** provenance.json without its timing part. */
async function summaryWithoutTiming(dir: string): Promise<Omit<Summary, 'timing'>> {
  const { timing: _t, ...rest } = JSON.parse(await readFile(join(dir, 'provenance.json'), 'utf8')) as Summary;
  return rest;
}

/** Journal image/error lines without timing, sorted by sample id. */
async function journalRecords(dir: string): Promise<string[]> {
  const lines = (await readFile(join(dir, 'provenance.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as JournalLine);
  return lines
    .filter((l) => l.type === 'image' || l.type === 'error' || l.type === 'run' || l.type === 'files')
    .map((l) => JSON.stringify({ ...l, ms: undefined }))
    .sort();
}

test('same seed, same bytes: 0 workers (this thread) and 2 worker threads write identical datasets and provenance (timings apart)', async () => {
  const src = await tempDir('anon-det-src-');
  const out = await tempDir('anon-det-out-');
  try {
    const { cityscapes } = await synthDataset(src.dir, 4);
    const progress: AnonymizeProgress[] = [];
    const run = (dir: string, workers: number) =>
      anonymizeDataset({ manifest: cityscapes, split: 'train', region: 'body', method: 'pixelate', params: { block: 8 }, seed: 7, workers, out: join(out.dir, dir), onProgress: (p) => progress.push(p) });
    const r0 = await run('w0', 0);
    const r2 = await run('w2', 2);
    assert.equal(r0.processed, 4);
    assert.equal(r2.processed, 4);
    const t0 = await readTree(join(out.dir, 'w0'));
    const t2 = await readTree(join(out.dir, 'w2'));
    assert.deepEqual([...t0.keys()].sort(), [...t2.keys()].sort());
    for (const [k, v] of t0) {
      if (k === 'provenance.json' || k === 'provenance.jsonl') continue;
      assert.ok(v.equals(t2.get(k)!), `${k} differs between 0 and 2 workers`);
    }
    assert.deepEqual(await summaryWithoutTiming(join(out.dir, 'w0')), await summaryWithoutTiming(join(out.dir, 'w2')));
    assert.deepEqual(await journalRecords(join(out.dir, 'w0')), await journalRecords(join(out.dir, 'w2')));
    // the label files are copies
    const src0 = await readTree(src.dir);
    for (const [k, v] of t0) if (k.startsWith('gtFine/')) assert.ok(v.equals(src0.get(k)!), `${k} copied byte for byte`);
    assert.equal([...t0.keys()].filter((k) => k.startsWith('gtFine/')).length, 16); // 4 images x (3 label PNGs + polygons.json with the plates)
    // progress: counts up to the total, with a rate and an ETA
    const last = progress.at(-1)!;
    assert.equal(last.done, 4);
    assert.equal(last.total, 4);
    assert.ok(last.imagesPerSecond > 0);
    assert.equal(last.etaSeconds, 0);
    // another seed: the same bytes for these methods (they draw no random numbers), another config
    const r3 = await anonymizeDataset({ manifest: cityscapes, split: 'train', region: 'body', method: 'pixelate', params: { block: 8 }, seed: 8, workers: 0, out: join(out.dir, 's8') });
    const s8 = JSON.parse(await readFile(r3.provenance, 'utf8')) as Summary;
    assert.notEqual(s8.configHash, (await summaryWithoutTiming(join(out.dir, 'w0'))).configHash);
    assert.equal(s8.config.seed, 8);
  } finally {
    await src.cleanup();
    await out.cleanup();
  }
});

test('every method with both regions gives a dataset that data check passes; provenance lists instances and skip reasons', async () => {
  const src = await tempDir('anon-all-src-');
  const out = await tempDir('anon-all-out-');
  try {
    const { coco, cityscapes } = await synthDataset(src.dir, 2, 192, 96);
    const before = await snapshot(src.dir);
    for (const method of METHOD_NAMES) {
      for (const region of ['body', 'face'] as const) {
        const dir = join(out.dir, `${region}-${method}`);
        const r = await anonymizeDataset({ manifest: coco, split: 'train', region, method, workers: 0, out: dir, faceDetector: 'none' });
        assert.equal(r.complete, true);
        assert.equal(r.manifest, join(dir, `synth-coco-${region}-${method}.yaml`));
        const check = await checkManifest(r.manifest);
        assert.deepEqual(check.problems.map((p) => p.message), [], `${region} ${method}`);
        assert.equal(check.samples.train, 2);
        const s = JSON.parse(await readFile(r.provenance, 'utf8')) as Summary;
        assert.equal(s.images.length, 2);
        assert.equal(s.config.method, method);
        const recs = s.images.flatMap((i) => i.instances);
        assert.ok(recs.some((i) => i.status === 'anonymized' && i.kind === region));
        assert.ok(recs.filter((i) => i.status === 'skipped').every((i) => typeof i.reason === 'string' && i.reason.length > 0));
        assert.equal(recs.filter((i) => i.status === 'anonymized').length, s.counts.instancesAnonymized);
      }
    }
    // Cityscapes layout, faces found by the BlazeFace detector (no face boxes or keypoints there)
    const dir = join(out.dir, 'cs-face');
    const r = await anonymizeDataset({ manifest: cityscapes, split: 'train', region: 'face', method: 'maskout', workers: 0, out: dir });
    const check = await checkManifest(r.manifest);
    assert.deepEqual(check.problems.map((p) => p.message), []);
    const s = JSON.parse(await readFile(r.provenance, 'utf8')) as Summary;
    assert.equal(s.config.region.detector, 'blazeface');
    const reasons = s.images.flatMap((i) => i.instances).map((i) => i.source ?? i.reason);
    assert.ok(reasons.length > 0 && reasons.every((x) => x === 'detector' || x === 'estimated-head' || /no detection matched|crowd/.test(x ?? '')), reasons.join(', '));
    // the counts by source add up to the persons anonymized
    assert.equal(Object.values(s.counts.instancesBySource ?? {}).reduce((a, b) => a + b, 0), s.counts.instancesAnonymized);
    assert.deepEqual(await snapshot(src.dir), before, 'the source dataset is unchanged');
  } finally {
    await src.cleanup();
    await out.cleanup();
  }
});

test('an output folder that is the dataset root, lies inside it, links into it or contains it is refused; the dataset stays untouched', async () => {
  const src = await tempDir('anon-refuse-src-');
  const other = await tempDir('anon-refuse-other-');
  try {
    const root = join(src.dir, 'data');
    await mkdir(root);
    const { coco } = await synthDataset(root, 1, 64, 32);
    const before = await snapshot(src.dir);
    await symlink(root, join(other.dir, 'link-to-root'));
    await symlink(join(root, 'leftImg8bit'), join(other.dir, 'link-into-root'));
    const cases: [string, RegExp][] = [
      [root, /is the dataset root/],
      [join(root, '.'), /is the dataset root/],
      [join(root, 'anon'), /is inside the dataset root/],
      [join(root, 'leftImg8bit', 'train'), /is inside the dataset root/],
      [join(other.dir, 'link-to-root'), /is the dataset root/],
      [join(other.dir, 'link-into-root', 'x'), /is inside the dataset root/],
      [src.dir, /contains the dataset root/],
    ];
    const after = await snapshot(src.dir);
    assert.deepEqual(after, before);
    for (const [out, re] of cases) {
      await assert.rejects(anonymizeDataset({ manifest: coco, split: 'train', region: 'body', method: 'maskout', workers: 0, out }), re, out);
    }
    assert.deepEqual(await snapshot(src.dir), before, 'nothing written under the dataset');
  } finally {
    await src.cleanup();
    await other.cleanup();
  }
});

test('an output folder holding another configuration (method, parameters, seed, region) or unrelated files is refused; the same one resumes', async () => {
  const src = await tempDir('anon-cfg-src-');
  const out = await tempDir('anon-cfg-out-');
  try {
    const { coco } = await synthDataset(src.dir, 2, 128, 64);
    const dir = join(out.dir, 'o');
    const base = { manifest: coco, split: 'train', region: 'body' as const, method: 'maskout', workers: 0, out: dir };
    const first = await anonymizeDataset(base);
    assert.equal(first.processed, 2);
    const files = await readTree(dir);
    const refusals: [object, RegExp][] = [
      [{ method: 'blur' }, /another configuration[\s\S]*config\.method: "maskout" here, "blur" requested/],
      [{ params: { fill: 0 } }, /config\.params\.fill: 127 here, 0 requested/],
      [{ seed: 3 }, /config\.seed: 0 here, 3 requested/],
      [{ region: 'face' }, /config\.region\.kind: "body" here, "face" requested/],
      [{ dilation: 2 }, /config\.region\.dilation: "dp2" here, 2 requested/],
      [{ reencodeUntouched: true }, /config\.output\.reencodeUntouched/],
    ];
    for (const [change, re] of refusals) await assert.rejects(anonymizeDataset({ ...base, ...change }), re);
    const again = await anonymizeDataset(base);
    assert.equal(again.processed, 0);
    assert.equal(again.resumed, 2);
    const after = await readTree(dir);
    for (const [k, v] of files) if (k !== 'provenance.json' && k !== 'provenance.jsonl') assert.ok(v.equals(after.get(k)!), k);
    // a folder with other files in it
    const busy = join(out.dir, 'busy');
    await mkdir(busy);
    await writeFile(join(busy, 'notes.txt'), 'mine');
    await assert.rejects(anonymizeDataset({ ...base, out: busy }), /is not empty and holds no provenance\.jsonl/);
    // bad parameters are refused before anything is written
    await assert.rejects(anonymizeDataset({ ...base, out: join(out.dir, 'bad'), params: { sigma: 3 } }), /maskout: bad parameters/);
    await assert.rejects(anonymizeDataset({ ...base, out: join(out.dir, 'bad'), method: 'nope' }), /unknown anonymization method 'nope'/);
    await assert.rejects(readFile(join(out.dir, 'bad', 'provenance.jsonl')), /ENOENT/);
  } finally {
    await src.cleanup();
    await out.cleanup();
  }
});
