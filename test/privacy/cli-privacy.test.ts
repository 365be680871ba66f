// `anon-impact privacy` end to end on a tiny synthetic set: a face mask-out and a body blur copy
// written by `anon-impact anonymize`, their figures as a table and as JSON, and bad input as exit 1
// with an error naming the file, the record and the field. (On synthetic data the face models see
// drawn faces a few pixels wide: the numbers are checked for consistency, not for meaning;
// docs/privacy.md says which figures mean something there.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Summary } from '../../lib/anonymize/provenance.ts';
import { writeSynthDataset } from '../../lib/data/synth/write.ts';
import type { PrivacyReport } from '../../lib/privacy/privacy-report.ts';
import { cli } from '../cli/fixtures.ts';
import { tempDir } from '../helpers/tmp-dir.ts';

type Summary2 = Omit<PrivacyReport, 'records'>;

test('privacy on a face mask-out and a body blur copy of a synthetic set; bad input exits 1 naming file, record and field', async (t) => {
  const dir = await tempDir(t, 'privacy-cli-');
  const src = join(dir, 'synth');
  await writeSynthDataset({ out: src, train: 2, val: 0, width: 256, height: 128, seed: 1 });
  const manifest = join(src, 'synth-coco.yaml');
  const face = join(dir, 'face-maskout');
  const body = join(dir, 'body-blur');
  for (const [region, method, out] of [['face', 'maskout', face], ['body', 'blur', body]] as const) {
    const r = await cli(['anonymize', '--manifest', manifest, '--split', 'train', '--region', region, '--method', method, '--workers', '0', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
  }

  // face mask-out: JSON
  const fs = JSON.parse(await readFile(join(face, 'provenance.json'), 'utf8')) as Summary;
  const rf = await cli(['privacy', '--manifest', manifest, '--split', 'train', '--anonymized', face, '--region', 'face', '--json']);
  assert.equal(rf.code, 0, rf.stderr);
  const f = JSON.parse(rf.stdout) as Summary2;
  assert.equal(f.schema, 'anon-impact/privacy@1');
  assert.equal((f as { records?: unknown }).records, undefined, 'per-record values only with --records');
  assert.deepEqual([f.copy.region, f.copy.method, f.copy.split, f.copy.complete], ['face', 'maskout', 'train', true]);
  assert.deepEqual(f.images, { split: 2, anonymized: 2, measured: 2, untouched: 0, failed: 0, missing: 0 });
  const faces = fs.counts.instancesAnonymized;
  assert.ok(faces >= 2, `${faces} faces anonymized`);
  assert.equal(f.faceReidentification.n, faces);
  assert.equal(f.faceReidentification.cosine.n, faces);
  assert.equal(f.faceReidentification.baseline.pairs, (faces * (faces - 1)) / 2);
  assert.equal(f.faceDetectability.n, faces);
  assert.equal(f.personDetectability.n, faces);
  assert.equal(f.appearanceLeak.n + f.appearanceLeak.achromatic, faces);
  assert.equal(f.pixelIndependence.independent, true);
  assert.match(f.models.faceRecognition.name, /faceres/);
  assert.match(f.models.faceRecognition.thresholdSource, /match\.ts/);
  assert.match(f.models.faceDetector.name, /BlazeFace/);
  assert.match(f.models.personDetector.name, /CenterNet/);
  // the grey fill shares no colour with the drawn faces
  assert.ok(f.appearanceLeak.bhattacharyya.min! > 0.9, JSON.stringify(f.appearanceLeak));
  for (const s of [f.faceDetectability.original, f.faceDetectability.anonymized, f.personDetectability.original, f.personDetectability.anonymized, f.faceReidentification.matched]) {
    assert.ok(s.found >= 0 && s.found <= s.n && s.share === s.found / s.n, JSON.stringify(s));
  }
  assert.match(rf.stderr, /privacy.*2\/2/);

  // body blur: the table
  const rb = await cli(['privacy', '--manifest', manifest, '--split', 'train', '--anonymized', body, '--region', 'body', '--quiet']);
  assert.equal(rb.code, 0, rb.stderr);
  assert.equal(rb.stderr, '');
  assert.match(rb.stdout, /synth-coco split train: body regions, method blur/);
  assert.match(rb.stdout, /^face re-identification: share matched \(Human similarity > 0\.5\)\s+\d+/m);
  assert.match(rb.stdout, /^person detectability \(box IoU >= 0\.5\)\s+\d+/m);
  assert.match(rb.stdout, /^pixel-independent .*\s+no\s+method blur$/m);
  assert.match(rb.stdout, /face recognition: faceres \(HSE-FaceRes\), @vladmandic\/human [\d.]+ models\/faceres\.json/);
  const bodies = (JSON.parse(await readFile(join(body, 'provenance.json'), 'utf8')) as Summary).counts.instancesAnonymized;
  assert.match(rb.stdout, new RegExp(`^appearance leak: H-S histogram Bhattacharyya distance\\s+${bodies}\\s`, 'm'));

  // --max-images: one of the two anonymized images, the first (evenly spaced in split order)
  const one = await cli(['privacy', '--manifest', manifest, '--split', 'train', '--anonymized', body, '--region', 'body', '--max-images', '1', '--json', '--records', '--quiet']);
  assert.equal(one.code, 0, one.stderr);
  const o1 = JSON.parse(one.stdout) as PrivacyReport;
  assert.deepEqual(o1.images, { split: 2, anonymized: 2, measured: 1, untouched: 0, failed: 0, missing: 0 });
  const first = o1.records.persons[0]!.sampleId;
  assert.ok(o1.records.persons.every((p) => p.sampleId === first) && o1.records.regions.every((p) => p.sampleId === first), 'every record is of one image');
  assert.ok(o1.appearanceLeak.n + o1.appearanceLeak.achromatic < bodies, 'fewer regions than the whole split');
  const tableOne = await cli(['privacy', '--manifest', manifest, '--split', 'train', '--anonymized', body, '--region', 'body', '--max-images', '1', '--quiet']);
  assert.match(tableOne.stdout, /images: 2 anonymized \(1 of them measured, evenly spaced\) of 2/);

  // bad input: exit 1, the error names file, record and field
  const journal = join(face, 'provenance.jsonl');
  const bad = async (args: string[], re: RegExp) => {
    const r = await cli(['privacy', '--manifest', manifest, '--split', 'train', ...args, '--quiet']);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, re);
  };
  await bad(['--anonymized', face, '--region', 'body'], new RegExp(`^anon-impact privacy: ${journal}: line 1 \\(run\\): config\\.region\\.kind: the copy anonymized face regions, --region is 'body'`));
  await bad(['--anonymized', face], /--region is required/);
  await bad(['--anonymized', body, '--region', 'body', '--max-images', '0'], /--max-images must be an integer in \[1, Infinity\], got '0'/);
  await bad(['--anonymized', face, '--region', 'hands'], /--region must be face or body/);
  await bad(['--anonymized', join(dir, 'nowhere'), '--region', 'face'], /nowhere: not a folder/);
  await mkdir(join(dir, 'empty'));
  await bad(['--anonymized', join(dir, 'empty'), '--region', 'face'], /empty\/provenance\.jsonl: not found/);
  const r = await cli(['privacy', '--manifest', manifest, '--split', 'val', '--anonymized', face, '--region', 'face']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /config\.dataset\.split: the copy is of split 'train', --split is 'val'/);

  // a journal record whose output no longer matches, and one with a bad field
  const lines = (await readFile(journal, 'utf8')).trimEnd().split('\n');
  const at = lines.findIndex((l) => JSON.parse(l).type === 'image');
  const img = JSON.parse(lines[at]!);
  const tampered = join(dir, 'tampered');
  await cp(face, tampered, { recursive: true });
  await writeFile(join(tampered, 'provenance.jsonl'), lines.map((l, i) => (i === at ? JSON.stringify({ ...img, output: { ...img.output, sha256: '0'.repeat(64) } }) : l)).join('\n') + '\n');
  await bad(['--anonymized', tampered, '--region', 'face'], new RegExp(`provenance\\.jsonl: image ${img.id}: output\\.sha256: .* is not the image the copy wrote`));
  const broken = join(dir, 'broken');
  await cp(face, broken, { recursive: true });
  await writeFile(join(broken, 'provenance.jsonl'), lines.map((l, i) => (i === at ? JSON.stringify({ ...img, instances: [{ instanceId: 1, status: 'done' }] }) : l)).join('\n') + '\n');
  await bad(['--anonymized', broken, '--region', 'face'], new RegExp(`provenance\\.jsonl: line ${at + 1} \\(image ${img.id}\\): instances\\[0\\]\\.status: expected 'anonymized' or 'skipped', got "done"`));
  // the journal says other instances were anonymized than the regions computed from the original
  const other = join(dir, 'other');
  await cp(face, other, { recursive: true });
  const flipped = img.instances.map((x: { status: string }) => (x.status === 'anonymized' ? { ...x, status: 'skipped', reason: 'x' } : x));
  await writeFile(join(other, 'provenance.jsonl'), lines.map((l, i) => (i === at ? JSON.stringify({ ...img, instances: flipped }) : l)).join('\n') + '\n');
  await bad(['--anonymized', other, '--region', 'face'], new RegExp(`image ${img.id}: instances: the journal lists instances \\[\\] as anonymized, the face regions computed from the original are of \\[\\d`));
});
