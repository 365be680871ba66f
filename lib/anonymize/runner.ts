// The dataset-level anonymization runner: a complete copy of one split of a dataset, in its own
// format and layout, with every region of the chosen kind anonymized by one method (kinds:
// lib/regions/selection.ts; with licence plates, every plate is recorded like an instance).
//
// Under `out`:
//   <the split's images, same relative paths>   anonymized / re-encoded / stripped / copied (process-image.ts)
//   <the split's annotation and label files>    copied byte for byte
//   provenance.jsonl                            the journal, appended as images are done (provenance.ts)
//   provenance.json                             the summary, once every image was attempted
//   <dataset>-<region>-<method>.yaml            the output's manifest (root '.'; output-manifest.ts)
//
// Guarantees:
// - the dataset is only read: an `out` that is the dataset root, lies inside it or contains it
//   (symlinks followed) is refused, and every output folder is checked to resolve inside `out`;
// - nothing is half-written: files go to a temporary name and are renamed; a killed run leaves
//   temporary files that the next run removes;
// - a killed run started again with the same arguments resumes: an image whose journal record
//   still matches (sha256 of its input file, of its annotations and of its output) is not redone;
// - an `out` holding a run of another configuration (method, parameters, seed, regions, output
//   options, runner or library versions) is refused rather than mixed;
// - same configuration, same bytes: an image's output depends only on its input file, its
//   annotations, the configuration and (through its random stream) the seed and its sample id,
//   not on the number of workers or the order they finish in;
// - `onError: 'stop'` (default): the first image that fails stops the run with an error naming
//   it (the images already written stay, a later run resumes); `'skip'`: the failure is recorded
//   (journal `error` line, summary `errors`), the image is missing from the output, the summary
//   says `complete: false`, and `data check` on the output manifest reports the missing image
//   files. The annotations are never edited, so such an output is incomplete, not smaller; a
//   later run with the same arguments retries the failed images.
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../data/atomic.ts';
import { loadManifest, splitSpec, type Manifest } from '../data/manifest.ts';
import { readSplit } from '../data/open.ts';
import { checkRelativePath } from '../data/problems.ts';
import type { Dataset } from '../data/types.ts';
import { checkDilation, type Dilation } from '../regions/body.ts';
import { DEFAULT_CATEGORIES } from '../regions/candidates.ts';
import { checkRegionSelection, personKind, type RegionSelection } from '../regions/selection.ts';
import { realisticPlateProblem } from './realistic/plate-generator.ts';
import { resolveAnonymizerParams } from './anonymizer.ts';
import { checkOutDir, LOCK_FILE, lockOutDir, OutTree, removeTempFiles } from './out-dir.ts';
import { outputManifest } from './output-manifest.ts';
import { lean, type ImageOutcome, type ImageTask, type ProcessConfig } from './process-image.ts';
import {
  configHash,
  countRecords,
  Journal,
  JOURNAL_FILE,
  jsonDiff,
  latestRecords,
  PROVENANCE_SCHEMA,
  readJournal,
  RUNNER_VERSION,
  SUMMARY_FILE,
  type Counts,
  type ErrorRecord,
  type FileRef,
  type ImageRecord,
  type JournalLine,
  type RunConfig,
  type RunHeader,
  type Summary,
} from './provenance.ts';
import { runtimeVersions } from './versions.ts';
import { createPool, defaultWorkers } from './workers.ts';

export interface AnonymizeOptions {
  /** A loaded manifest or the path of its YAML file. */
  manifest: Manifest | string;
  split: string;
  /** 'face', 'body', 'plate', 'face+plate' or 'body+plate'. */
  region: RegionSelection;
  method: string;
  /** Method parameters; defaults filled in by the method's schema. */
  params?: Record<string, unknown>;
  /** Seeds each image's random stream together with its sample id (default 0). */
  seed?: number;
  /** Worker threads (default: the number of cores); 0 runs in the calling thread. */
  workers?: number;
  out: string;
  /** JPEG output quality 1..100 (default 95). */
  jpegQuality?: number;
  /** PNG zlib level 0..9 (default 6). */
  pngCompressionLevel?: number;
  /** Re-encode images without any region too (default false: copy them, metadata removed). */
  reencodeUntouched?: boolean;
  onError?: 'stop' | 'skip';
  onProgress?: (p: AnonymizeProgress) => void;
  /** Categories whose instances are anonymized (default: the manifest's `anonymize`). */
  categories?: string[];
  /** Body regions: 'dp2' (default) or a disk radius in pixels. */
  dilation?: Dilation;
  /** Skip instances whose DP2 body crop is below minSize^2 (default 0: none). */
  minSize?: number;
  /** Skip instances without labelled keypoints (default false). */
  requireKeypoints?: boolean;
  /** Face regions: detector for persons without face box or head keypoints (default 'blazeface'). */
  faceDetector?: 'blazeface' | 'none';
}

export interface AnonymizeProgress {
  /** Images finished in this run (processed + resumed + failed). */
  done: number;
  total: number;
  processed: number;
  /** Found done by an earlier run. */
  resumed: number;
  failed: number;
  elapsedSeconds: number;
  /** Processed images per second (resumed ones not counted). */
  imagesPerSecond: number;
  /** Seconds left at the current rate (NaN before the first image). */
  etaSeconds: number;
  /** Dataset-relative path of the image just finished. */
  last?: string;
}

export interface AnonymizeResult {
  out: string;
  /** Absolute path of the output manifest. */
  manifest: string;
  provenance: string;
  complete: boolean;
  counts: Counts;
  processed: number;
  resumed: number;
  errors: Omit<ErrorRecord, 'type' | 'ms'>[];
  seconds: number;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/**
 * The command that makes this output, from the resolved configuration (so the same
 * configuration gives the same text however it was invoked): every method parameter, and the
 * other options where they differ from their defaults.
 */
function commandLine(c: RunConfig, manifest: Manifest): string {
  const parts = ['npx anon-impact anonymize', `--manifest ${manifest.path}`, `--split ${c.dataset.split}`, `--region ${c.region.kind}`, `--method ${c.method}`];
  const known = new Set(['fill', 'sigma', 'ksize', 'variant', 'block', 'average', 'radius']);
  for (const [k, v] of Object.entries(c.params)) {
    if (v === undefined) continue;
    const text = Array.isArray(v) ? v.join(',') : String(v);
    parts.push(known.has(k) ? `--${k} ${text}` : `--param ${k}=${text}`);
  }
  if (c.region.categories.join(',') !== manifest.anonymize.join(',')) parts.push(`--categories ${c.region.categories.join(',')}`);
  if (personKind(c.region.kind) === 'body' && c.region.dilation !== 'dp2') parts.push(`--dilation ${c.region.dilation}`);
  if (c.region.minSize) parts.push(`--min-size ${c.region.minSize}`);
  if (c.region.requireKeypoints) parts.push('--require-keypoints');
  if (personKind(c.region.kind) === 'face' && c.region.detector !== 'blazeface') parts.push(`--face-detector ${c.region.detector}`);
  parts.push(`--seed ${c.seed}`);
  if (c.output.jpegQuality !== 95) parts.push(`--jpeg-quality ${c.output.jpegQuality}`);
  if (c.output.reencodeUntouched) parts.push('--reencode-untouched');
  // The output folder is named by its role, so that the manifest does not depend on where it was written.
  parts.push('--out <this folder>');
  return parts.join(' ');
}

/** Relative paths of the split's annotation and label files, the licence plates' included (copied unchanged). */
export function labelFiles(m: Manifest, split: string, ds: Dataset): string[] {
  const files = new Set<string>();
  const spec = splitSpec(m, split);
  if (spec.annotations) files.add(spec.annotations);
  if (spec.plates) files.add(spec.plates);
  for (const s of ds.samples) for (const f of Object.values(s.extraFiles ?? {})) files.add(f);
  const out: string[] = [];
  for (const f of files) {
    const r = checkRelativePath(f);
    if ('reason' in r) throw new Error(`${m.path}: split ${split}: label file ${f}: ${r.reason}`);
    out.push(r.path);
  }
  return out.sort();
}

async function copyUnchanged(root: string, tree: OutTree, rel: string): Promise<FileRef> {
  const src = join(root, ...rel.split('/'));
  const data = await readFile(src).catch((e: Error) => {
    throw new Error(`${src}: cannot read annotation/label file: ${e.message}`);
  });
  const hash = sha256(data);
  const dst = await tree.file(rel);
  const existing = await readFile(dst).catch(() => undefined);
  if (!existing || existing.length !== data.length || sha256(existing) !== hash) await writeFileAtomic(dst, data);
  return { path: rel, sha256: hash, bytes: data.length };
}

function checkOptions(o: AnonymizeOptions): void {
  checkRegionSelection(o.region);
  if (o.seed !== undefined && !Number.isSafeInteger(o.seed)) throw new Error(`seed must be an integer, got ${o.seed}`);
  if (o.workers !== undefined && !(Number.isInteger(o.workers) && o.workers >= 0)) throw new Error(`workers must be an integer >= 0, got ${o.workers}`);
  if (o.jpegQuality !== undefined && !(Number.isInteger(o.jpegQuality) && o.jpegQuality >= 1 && o.jpegQuality <= 100)) throw new Error(`jpegQuality must be an integer in [1, 100], got ${o.jpegQuality}`);
  if (o.pngCompressionLevel !== undefined && !(Number.isInteger(o.pngCompressionLevel) && o.pngCompressionLevel >= 0 && o.pngCompressionLevel <= 9)) {
    throw new Error(`pngCompressionLevel must be an integer in [0, 9], got ${o.pngCompressionLevel}`);
  }
  if (o.onError !== undefined && o.onError !== 'stop' && o.onError !== 'skip') throw new Error(`onError must be 'stop' or 'skip', got '${String(o.onError)}'`);
  if (o.minSize !== undefined && !(Number.isFinite(o.minSize) && o.minSize >= 0)) throw new Error(`minSize must be a number >= 0, got ${o.minSize}`);
  if (o.faceDetector !== undefined && o.faceDetector !== 'blazeface' && o.faceDetector !== 'none') throw new Error(`faceDetector must be 'blazeface' or 'none', got '${String(o.faceDetector)}'`);
  if (o.dilation !== undefined) checkDilation(o.dilation);
  if (o.categories !== undefined && (o.categories.length === 0 || o.categories.some((c) => typeof c !== 'string' || c === ''))) throw new Error('categories must be a non-empty list of names');
}

/** Reads what an existing output folder holds; refuses one with another run or unrelated files. */
async function existingRun(out: string, header: RunHeader): Promise<{ lines: JournalLine[]; torn: boolean } | undefined> {
  const entries = await readdir(out).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    if (e.code === 'ENOTDIR') throw new Error(`--out ${out} is a file, not a folder`);
    throw e;
  });
  if (!entries) return undefined;
  if (!entries.includes(JOURNAL_FILE)) {
    const other = entries.filter((e) => e !== LOCK_FILE && !/^\..+\.tmp$/.test(e));
    if (other.length > 0) throw new Error(`--out ${out} is not empty and holds no ${JOURNAL_FILE} of an anonymize run (found ${other.slice(0, 5).join(', ')}${other.length > 5 ? ', ...' : ''}): choose an empty or new folder`);
    return undefined;
  }
  const { lines, torn } = await readJournal(join(out, JOURNAL_FILE));
  // Killed before the first line was written: nothing was done yet.
  if (lines.length === 0) return undefined;
  const first = lines[0];
  if (!first || first.type !== 'run') throw new Error(`${join(out, JOURNAL_FILE)}: does not start with a run record`);
  if (first.configHash !== header.configHash) {
    const diff = jsonDiff({ config: first.config, versions: first.versions }, { config: header.config, versions: header.versions });
    throw new Error(
      `--out ${out} holds an anonymized dataset of another configuration; refusing to mix them. Differences:\n  ${diff.join('\n  ')}\nChoose another --out, or delete ${out} to start over.`,
    );
  }
  return { lines, torn };
}

export async function anonymizeDataset(o: AnonymizeOptions): Promise<AnonymizeResult> {
  const t0 = performance.now();
  checkOptions(o);
  const manifest = typeof o.manifest === 'string' ? await loadManifest(o.manifest) : o.manifest;
  splitSpec(manifest, o.split);
  const params = await resolveAnonymizerParams(o.method, o.params ?? {});
  const noPlates = realisticPlateProblem(o.method, params, o.region);
  if (noPlates) throw new Error(noPlates);
  const realOut = await checkOutDir(o.out, manifest.rootDir);
  const root = manifest.rootDir;
  if (!(await stat(root).catch(() => undefined))?.isDirectory()) throw new Error(`${manifest.path}: dataset root ${root} is not a folder`);
  const ds = await readSplit(manifest, o.split);

  const seen = new Map<string, string>();
  for (const s of ds.samples) {
    const prev = seen.get(s.file);
    if (prev !== undefined) throw new Error(`${manifest.path}: split ${o.split}: samples ${prev} and ${s.id} share the image ${s.file}`);
    seen.set(s.file, s.id);
  }

  const config: RunConfig = {
    runner: RUNNER_VERSION,
    dataset: { name: manifest.name, format: manifest.format, split: o.split },
    region: {
      kind: o.region,
      categories: [...(o.categories ?? manifest.anonymize ?? DEFAULT_CATEGORIES)],
      dilation: o.dilation ?? 'dp2',
      minSize: o.minSize ?? 0,
      requireKeypoints: o.requireKeypoints ?? false,
      detector: personKind(o.region) === 'face' ? (o.faceDetector ?? 'blazeface') : 'none',
    },
    method: o.method,
    params,
    seed: o.seed ?? 0,
    output: { jpegQuality: o.jpegQuality ?? 95, pngCompressionLevel: o.pngCompressionLevel ?? 6, reencodeUntouched: o.reencodeUntouched ?? false },
  };
  const versions = runtimeVersions();
  const header: RunHeader = {
    type: 'run',
    schema: PROVENANCE_SCHEMA,
    configHash: configHash(config, versions),
    config,
    versions,
    source: { manifest: manifest.path, root },
  };

  const previous = await existingRun(realOut, header);
  const tree = new OutTree(realOut);
  await tree.file(JOURNAL_FILE); // creates and checks the folder
  const unlock = await lockOutDir(realOut);
  let journal: Journal | undefined;
  let pool: Awaited<ReturnType<typeof createPool>> | undefined;
  try {
    await removeTempFiles(realOut);
    const journalPath = join(realOut, JOURNAL_FILE);
    let earlier: JournalLine[] = [];
    if (previous) {
      earlier = previous.lines;
      // A line cut short by a kill: rewrite the journal without it.
      journal = await Journal.open(journalPath, previous.torn ? earlier : undefined);
    } else {
      journal = await Journal.open(journalPath, []);
      await journal.append(header);
    }
    const summaryPath = join(realOut, SUMMARY_FILE);
    const manifestOut = outputManifest(manifest, o.split, o.region, o.method, config.region.categories, commandLine(config, manifest));
    // The summary and the manifest say "finished": gone until this run finishes.
    await rm(summaryPath, { force: true });
    await rm(join(realOut, manifestOut.file), { force: true });

    const workers = o.workers ?? defaultWorkers();
    const startLine = { type: 'start' as const, at: new Date().toISOString(), pid: process.pid, workers };
    await journal.append(startLine);

    const files: FileRef[] = [];
    for (const rel of labelFiles(manifest, o.split, ds)) files.push(await copyUnchanged(root, tree, rel));
    await journal.append({ type: 'files', files });

    const before = latestRecords(earlier);
    const tasks: ImageTask[] = ds.samples.map((s) => {
      const r = before.get(s.id);
      return { sample: lean(s), done: r && r.type === 'image' ? { input: r.input.sha256, annotations: r.annotations, output: r.output.sha256 } : undefined };
    });

    const pcfg: ProcessConfig = { root, out: realOut, region: config.region, method: o.method, params, seed: config.seed, output: config.output };
    pool = await createPool(tasks.length === 0 ? 0 : Math.min(workers, tasks.length), pcfg);

    const fresh: JournalLine[] = [];
    let processed = 0;
    let resumed = 0;
    let failed = 0;
    let stopError: ErrorRecord | undefined;
    const tRun = performance.now();
    const report = (last?: string) => {
      if (!o.onProgress) return;
      const elapsed = (performance.now() - tRun) / 1000;
      const done = processed + resumed + failed;
      const rate = processed / Math.max(elapsed, 1e-3);
      const left = tasks.length - done;
      o.onProgress({ done, total: tasks.length, processed, resumed, failed, elapsedSeconds: elapsed, imagesPerSecond: rate, etaSeconds: processed > 0 ? left / rate : left === 0 ? 0 : NaN, last });
    };
    const handle = async (outcome: ImageOutcome, task: ImageTask) => {
      if (outcome.type === 'resumed') resumed++;
      else if (outcome.type === 'image') {
        processed++;
        fresh.push(outcome.record);
        await journal!.append(outcome.record);
      } else {
        failed++;
        fresh.push(outcome.record);
        await journal!.append(outcome.record);
        if ((o.onError ?? 'stop') === 'stop') stopError ??= outcome.record;
      }
      report(task.sample.file);
    };

    report();
    const p = pool;
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let inflight = 0;
      let fatal: Error | undefined;
      const finish = () => {
        if (inflight > 0) return;
        if (fatal) reject(fatal);
        else if (stopError || next >= tasks.length) resolve();
      };
      const pump = () => {
        while (!fatal && !stopError && inflight < p.capacity && next < tasks.length) {
          const task = tasks[next++]!;
          inflight++;
          p.run(task)
            .then((outcome) => handle(outcome, task))
            .catch((e: Error) => {
              fatal ??= e;
            })
            .finally(() => {
              inflight--;
              pump();
              finish();
            });
        }
        finish();
      };
      pump();
    });
    await pool.close();
    pool = undefined;

    if (stopError) {
      const done = processed + resumed;
      throw new Error(`${stopError.error} [sample ${stopError.id}, stage ${stopError.stage}]; stopped (${done} image(s) written are kept: run the same command again to resume, or use --on-error skip)`);
    }

    // The summary: the latest record of every sample, in dataset order.
    const latest = latestRecords([...earlier, ...fresh]);
    const images: Summary['images'] = [];
    const errors: Summary['errors'] = [];
    const imageMs: Record<string, number> = {};
    for (const s of ds.samples) {
      const r = latest.get(s.id);
      if (!r) throw new Error(`internal: no record for sample ${s.id}`);
      const { type: _t, ms, ...rest } = r;
      imageMs[s.id] = ms;
      if (r.type === 'image') images.push(rest as Omit<ImageRecord, 'type' | 'ms'>);
      else errors.push(rest as Omit<ErrorRecord, 'type' | 'ms'>);
    }
    const counts = countRecords(ds.samples.length, ds.samples.map((s) => latest.get(s.id)!));
    const complete = errors.length === 0;
    const finishedAt = new Date().toISOString();
    const runs: Summary['timing']['runs'] = [];
    for (const l of [...earlier, startLine]) {
      if (l.type === 'start') runs.push({ at: l.at, pid: l.pid, workers: l.workers });
      else if (l.type === 'finish' && runs.length) runs[runs.length - 1]!.finishedAt = l.at;
    }
    runs[runs.length - 1]!.finishedAt = finishedAt;
    const summary: Summary = {
      schema: PROVENANCE_SCHEMA,
      configHash: header.configHash,
      config,
      versions,
      source: header.source,
      complete,
      manifest: manifestOut.file,
      counts,
      files,
      images,
      errors,
      timing: { runs, imageMs },
    };
    await writeJsonAtomic(summaryPath, summary, 1);
    await writeFileAtomic(join(realOut, manifestOut.file), manifestOut.text);
    await journal.append({ type: 'finish', at: finishedAt, complete, counts });
    return {
      out: realOut,
      manifest: join(realOut, manifestOut.file),
      provenance: summaryPath,
      complete,
      counts,
      processed,
      resumed,
      errors,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    if (pool) await pool.close().catch(() => undefined);
    await journal?.close();
    await unlock();
  }
}
