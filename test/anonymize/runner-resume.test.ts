// Killed and started again: the run finishes, redoes nothing its journal shows done (and still
// matching on disk), leaves no temporary or truncated file, and ends with the bytes of an
// uninterrupted run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JournalLine, Summary } from '../../lib/anonymize/provenance.ts';
import { anonymizeDataset } from '../../lib/anonymize/runner.ts';
import { checkManifest } from '../../lib/data/check.ts';
import { decodeImage } from '../../lib/data/image.ts';
import { cocoFixture, readTree, snapshot, synthDataset, tempDir } from './runner-fixtures.ts';

const BIN = fileURLToPath(new URL('../../bin/anon-impact.js', import.meta.url));

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(relative(dir, p));
    }
  };
  await walk(dir);
  return out.sort();
}

function journalLines(text: string): JournalLine[] {
  assert.ok(text.endsWith('\n'), 'journal ends with a complete line');
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as JournalLine);
}

function withoutTiming(text: string): unknown {
  const { timing: _t, ...rest } = JSON.parse(text) as Summary;
  return rest;
}

/** Every image decodes; all files but the provenance equal the reference run's; no temporary files. */
async function assertSameAsReference(out: string, ref: string): Promise<void> {
  const files = await allFiles(out);
  assert.deepEqual(files.filter((f) => /\.tmp$|\.lock$/.test(f)), [], 'no temporary or lock file left');
  const a = await readTree(out);
  const b = await readTree(ref);
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  for (const [k, v] of a) {
    if (k.endsWith('.png')) await decodeImage(join(out, k)); // throws on a truncated file
    if (k === 'provenance.jsonl') continue;
    if (k === 'provenance.json') assert.deepEqual(withoutTiming(v.toString()), withoutTiming(b.get(k)!.toString()));
    else assert.ok(v.equals(b.get(k)!), `${k} differs from the uninterrupted run`);
  }
}

function cli(args: string[]): { child: ReturnType<typeof spawn>; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

test('SIGKILL halfway through, then the same command again: finishes, redoes nothing done, no temp or truncated files, same bytes', async () => {
  const src = await tempDir('anon-kill-src-');
  const out = await tempDir('anon-kill-out-');
  try {
    const { coco } = await synthDataset(src.dir, 12, 512, 256);
    const before = await snapshot(src.dir);
    const ref = join(out.dir, 'ref');
    const killed = join(out.dir, 'killed');
    const common = { split: 'train', region: 'body' as const, method: 'inpaint', seed: 5 };
    await anonymizeDataset({ ...common, manifest: coco, workers: 0, out: ref });

    const args = ['anonymize', '--manifest', coco, '--split', 'train', '--region', 'body', '--method', 'inpaint', '--seed', '5', '--workers', '1', '--out', killed];
    const first = cli(args);
    const journal = join(killed, 'provenance.jsonl');
    let recorded = 0;
    const deadline = Date.now() + 60_000;
    while (recorded < 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
      const text = await readFile(journal, 'utf8').catch(() => '');
      recorded = (text.match(/"type":"image"/g) ?? []).length;
    }
    first.child.kill('SIGKILL');
    const r1 = await first.done;
    assert.equal(r1.signal, 'SIGKILL', `the first run was to be killed halfway; it ended with code ${r1.code}: ${r1.stderr}`);

    const lines = journalLines(await readFile(journal, 'utf8').then((t) => (t.endsWith('\n') ? t : t.slice(0, t.lastIndexOf('\n') + 1))));
    const done = lines.filter((l): l is Extract<JournalLine, { type: 'image' }> => l.type === 'image');
    assert.ok(done.length >= 3 && done.length < 12, `${done.length} images done when killed`);
    await assert.rejects(stat(join(killed, 'provenance.json')), /ENOENT/, 'no summary after a kill');
    const stamps = new Map<string, { mtimeMs: number; ino: number }>();
    for (const d of done) {
      const st = await stat(join(killed, d.output.path));
      stamps.set(d.output.path, { mtimeMs: st.mtimeMs, ino: st.ino });
    }

    const second = await cli(args).done;
    assert.equal(second.code, 0, second.stderr);
    const m = /\((\d+) processed, (\d+) already done\)/.exec(second.stdout);
    assert.ok(m, second.stdout);
    assert.equal(Number(m[2]), done.length, 'every image journaled before the kill is not redone');
    assert.equal(Number(m[1]), 12 - done.length);
    for (const [path, st] of stamps) {
      const now = await stat(join(killed, path));
      assert.equal(now.mtimeMs, st.mtimeMs, `${path} was rewritten`);
      assert.equal(now.ino, st.ino, `${path} was replaced`);
    }
    await assertSameAsReference(killed, ref);
    const all = journalLines(await readFile(journal, 'utf8'));
    assert.equal(all.filter((l) => l.type === 'start').length, 2);
    assert.equal(new Set(all.filter((l) => l.type === 'image').map((l) => (l as { id: string }).id)).size, 12);
    assert.deepEqual((await checkManifest(join(killed, 'synth-coco-body-inpaint.yaml'))).problems, []);
    assert.deepEqual(await snapshot(src.dir), before, 'the source is never written');
  } finally {
    await src.cleanup();
    await out.cleanup();
  }
});

test('resume after a torn journal line, a leftover temporary file, a deleted and a damaged output: exactly those images are redone', async () => {
  const src = await tempDir('anon-torn-src-');
  const out = await tempDir('anon-torn-out-');
  try {
    const { cityscapes } = await synthDataset(src.dir, 4, 128, 64);
    const before = await snapshot(src.dir);
    const opts = { manifest: cityscapes, split: 'train', region: 'face' as const, method: 'maskout', workers: 0, faceDetector: 'none' as const, out: out.dir };
    const first = await anonymizeDataset(opts);
    assert.equal(first.processed, 4);
    const reference = await readTree(out.dir);
    const s = JSON.parse(await readFile(first.provenance, 'utf8')) as Summary;
    const [a, b] = s.images;
    // a kill while appending, while writing a file, and outside damage
    await appendFile(join(out.dir, 'provenance.jsonl'), '{"type":"image","id":"x","inp');
    const tmp = join(out.dir, 'leftImg8bit', 'train', 'synth', '.synth_000000_000009_leftImg8bit.png.12345.0123abcd.tmp');
    await writeFile(tmp, 'partial');
    await writeFile(join(out.dir, a!.output.path), 'damaged');
    await writeFile(join(out.dir, b!.output.path), (await readFile(join(out.dir, b!.output.path))).subarray(0, 100));
    await writeFile(join(out.dir, '.anonymize.lock'), '999999999\n'); // a lock whose process is gone
    const second = await anonymizeDataset(opts);
    assert.equal(second.processed, 2);
    assert.equal(second.resumed, 2);
    await assert.rejects(stat(tmp), /ENOENT/);
    const after = await readTree(out.dir);
    for (const [k, v] of reference) {
      if (k === 'provenance.jsonl') continue;
      if (k === 'provenance.json') assert.deepEqual(withoutTiming(after.get(k)!.toString()), withoutTiming(v.toString()));
      else assert.ok(v.equals(after.get(k)!), k);
    }
    const lines = journalLines(after.get('provenance.jsonl')!.toString());
    assert.ok(!lines.some((l) => (l as { id?: string }).id === 'x'), 'the torn line is gone');
    await assert.rejects(stat(join(out.dir, '.anonymize.lock')), /ENOENT/);
    // killed before the journal's first line: an empty journal starts afresh
    const fresh = join(out.dir, '..', 'fresh-' + Date.now());
    await mkdir(fresh);
    await writeFile(join(fresh, 'provenance.jsonl'), '');
    const third = await anonymizeDataset({ ...opts, out: fresh });
    assert.equal(third.processed, 4);
    await rm(fresh, { recursive: true });
    assert.deepEqual(await snapshot(src.dir), before);
  } finally {
    await src.cleanup();
    await out.cleanup();
  }
});

test('an image whose annotations changed is redone even though its file did not; the annotation copy follows', async () => {
  const src = await tempDir('anon-ann-src-');
  const out = await tempDir('anon-ann-out-');
  try {
    const manifest = await cocoFixture(src.dir);
    const opts = { manifest, split: 'train', region: 'body' as const, method: 'maskout', workers: 0, out: out.dir };
    const first = await anonymizeDataset(opts);
    assert.equal(first.counts.anonymized, 2);
    // the person of image 1 (p1.jpg) removed from the annotations
    const annFile = join(src.dir, 'ann', 'train.json');
    const ann = JSON.parse(await readFile(annFile, 'utf8')) as { annotations: { image_id: number }[] };
    ann.annotations = ann.annotations.filter((a) => a.image_id !== 1);
    await writeFile(annFile, JSON.stringify(ann));
    const second = await anonymizeDataset(opts);
    assert.equal(second.processed, 1);
    assert.equal(second.resumed, 6);
    assert.equal(second.counts.anonymized, 1);
    assert.equal(second.counts.stripped, 3, 'p1.jpg, now without a person, is stripped of its metadata instead');
    assert.deepEqual(await readFile(join(out.dir, 'ann', 'train.json')), await readFile(annFile));
  } finally {
    await src.cleanup();
    await out.cleanup();
  }
});
