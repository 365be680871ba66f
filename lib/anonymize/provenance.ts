// Provenance of an anonymized dataset, in two files under the output folder:
//
// provenance.jsonl, the journal: one JSON object per line, appended (and flushed to disk) as the
// run goes, so that it survives the process being killed at any point.
//   line 1  {"type":"run", schema, configHash, config, versions, source}     written once
//   {"type":"start", at, pid, workers}                                       every (re)start
//   {"type":"files", files: [{path, sha256, bytes}]}                         annotation/label copies
//   {"type":"image", id, input, annotations, output, action, metadata, regions, instances, ms}
//   {"type":"error", id, input: {path}, stage, error, ms}                    --on-error skip
//   {"type":"finish", at, complete, counts}
// A line cut short by a kill is the last one; it is dropped when the run is resumed. For a
// sample, the last `image` or `error` line counts. `ms` and the start/finish lines are timing
// and vary from run to run; everything else is a function of the inputs and the configuration.
//
// provenance.json, the summary: written atomically when every image was attempted, with the
// same configuration and versions, one entry per image in dataset order (no timings), the
// errors, counts, and the timings kept apart under `timing` (the only part that differs between
// two runs of the same configuration).
import { createHash } from 'node:crypto';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import type { DatasetFormat } from '../data/types.ts';
import { writeFileAtomic } from '../data/atomic.ts';
import type { InstanceRecord } from '../regions/region.ts';
import type { RegionSelection } from '../regions/selection.ts';

export const PROVENANCE_SCHEMA = 'anon-impact/anonymize-provenance@1';
/**
 * Bumped whenever the same configuration would produce different output bytes.
 * 2: face regions: detector faces only in the person's head part, found on head crops at
 * several scales, and an estimated head for persons >= 32 px tall without a face (lib/regions/head.ts).
 */
export const RUNNER_VERSION = 2;
export const JOURNAL_FILE = 'provenance.jsonl';
export const SUMMARY_FILE = 'provenance.json';

export interface RegionConfig {
  /** What is anonymized: 'face', 'body', 'plate', 'face+plate' or 'body+plate' (regions/selection.ts). */
  kind: RegionSelection;
  categories: string[];
  /** Body: 'dp2' or a disk radius in pixels. */
  dilation: 'dp2' | number;
  minSize: number;
  requireKeypoints: boolean;
  /** Face: detector for persons without a face box or head keypoints. */
  detector: 'blazeface' | 'none';
}

export interface OutputConfig {
  jpegQuality: number;
  pngCompressionLevel: number;
  reencodeUntouched: boolean;
}

/** Everything the output bytes depend on besides the input files. */
export interface RunConfig {
  runner: number;
  dataset: { name: string; format: DatasetFormat; split: string };
  region: RegionConfig;
  method: string;
  params: Record<string, unknown>;
  seed: number;
  output: OutputConfig;
}

/** How an output image came to be. */
export type ImageAction =
  /** at least one region: decoded, anonymized, encoded */
  | 'anonymized'
  /** no region: decoded and encoded (--reencode-untouched, or an ICC profile) */
  | 'reencoded'
  /** no region: the input's metadata segments removed, compressed pixels untouched */
  | 'stripped'
  /** no region, no metadata: the input's bytes */
  | 'copied';

export interface FileRef {
  /** Relative to the dataset root (input) or the output folder (output), forward slashes. */
  path: string;
  sha256: string;
  bytes: number;
}

export interface ImageRecord {
  type: 'image';
  id: string;
  input: FileRef;
  /** sha256 of the sample's annotations as read (process-image.ts annotationHash). */
  annotations: string;
  output: FileRef;
  action: ImageAction;
  /** Metadata found in the input (none of it is in the output), e.g. ['APP1 Exif']. */
  metadata: string[];
  regions: number;
  /** Per candidate instance and licence plate (kind 'plate'): anonymized, or skipped with the reason (lib/regions). */
  instances: InstanceRecord[];
  ms: number;
}

export interface ErrorRecord {
  type: 'error';
  id: string;
  input: { path: string };
  /** read, decode, regions, anonymize, encode, write */
  stage: string;
  error: string;
  ms: number;
}

export interface RunHeader {
  type: 'run';
  schema: string;
  configHash: string;
  config: RunConfig;
  versions: Record<string, string>;
  source: { manifest: string; root: string };
}

export type JournalLine =
  | RunHeader
  | { type: 'start'; at: string; pid: number; workers: number }
  | { type: 'files'; files: FileRef[] }
  | ImageRecord
  | ErrorRecord
  | { type: 'finish'; at: string; complete: boolean; counts: Counts };

export interface Counts {
  images: number;
  anonymized: number;
  reencoded: number;
  stripped: number;
  copied: number;
  failed: number;
  regions: number;
  /** Instances anonymized, licence plates (records of kind 'plate') included. */
  instancesAnonymized: number;
  /** reason -> number of instances (and plates) skipped for it */
  instancesSkipped: Record<string, number>;
  /**
   * '<kind> <source>' -> number of instances (and plates) anonymized from it, e.g. 'face detector',
   * 'face estimated-head', 'face keypoints', 'body mask', 'plate annotation'. Absent in summaries
   * written before runner version 2.
   */
  instancesBySource?: Record<string, number>;
}

/** JSON with object keys sorted at every level (a stable text to hash). */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortKeys(v));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .filter((k) => o[k] !== undefined)
        .sort()
        .map((k) => [k, sortKeys(o[k])]),
    );
  }
  return v;
}

/** sha256 of the canonical JSON of the configuration and the versions. */
export function configHash(config: RunConfig, versions: Record<string, string>): string {
  return createHash('sha256').update(canonicalJson({ config, versions })).digest('hex');
}

/** Dotted paths where two JSON values differ (for the error when an output folder holds another run). */
export function jsonDiff(a: unknown, b: unknown, path = ''): string[] {
  if (canonicalJson(a) === canonicalJson(b)) return [];
  const isObj = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
  if (isObj(a) && isObj(b)) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(ao), ...Object.keys(bo)])].sort();
    return keys.flatMap((k) => jsonDiff(ao[k], bo[k], path ? `${path}.${k}` : k));
  }
  return [`${path || '(top)'}: ${JSON.stringify(a)} here, ${JSON.stringify(b)} requested`];
}

/**
 * Reads a journal. A last line without its newline (a write cut short) is dropped and
 * reported as `torn`; a complete line that does not parse is an error naming the line.
 */
export async function readJournal(file: string): Promise<{ lines: JournalLine[]; torn: boolean }> {
  const text = await readFile(file, 'utf8');
  const parts = text.split('\n');
  const last = parts.pop()!; // '' when the file ends with a newline
  const torn = last.length > 0;
  const lines: JournalLine[] = [];
  for (let i = 0; i < parts.length; i++) {
    try {
      const v = JSON.parse(parts[i]!) as JournalLine;
      if (!v || typeof v !== 'object' || typeof (v as { type?: unknown }).type !== 'string') throw new Error('not a journal record');
      lines.push(v);
    } catch (e) {
      throw new Error(`${file}: line ${i + 1}: ${(e as Error).message}`);
    }
  }
  return { lines, torn };
}

/** Appends journal lines, each flushed to disk before the next is written. */
export class Journal {
  private fh: FileHandle | undefined;
  private chain: Promise<void> = Promise.resolve();

  private constructor(fh: FileHandle) {
    this.fh = fh;
  }

  /** Opens for appending; `keep` (the valid lines of a torn journal) replaces the file first. */
  static async open(file: string, keep?: readonly JournalLine[]): Promise<Journal> {
    if (keep) await writeFileAtomic(file, keep.map((l) => JSON.stringify(l) + '\n').join(''));
    return new Journal(await open(file, 'a'));
  }

  append(line: JournalLine): Promise<void> {
    const text = JSON.stringify(line) + '\n';
    this.chain = this.chain.then(async () => {
      if (!this.fh) throw new Error('journal is closed');
      await this.fh.write(text);
      await this.fh.datasync();
    });
    return this.chain;
  }

  async close(): Promise<void> {
    await this.chain.catch(() => undefined);
    const fh = this.fh;
    this.fh = undefined;
    await fh?.close();
  }
}

/** The latest image or error record per sample id. */
export function latestRecords(lines: readonly JournalLine[]): Map<string, ImageRecord | ErrorRecord> {
  const m = new Map<string, ImageRecord | ErrorRecord>();
  for (const l of lines) if (l.type === 'image' || l.type === 'error') m.set(l.id, l);
  return m;
}

export function countRecords(total: number, records: Iterable<ImageRecord | ErrorRecord>): Counts {
  const c: Counts = { images: total, anonymized: 0, reencoded: 0, stripped: 0, copied: 0, failed: 0, regions: 0, instancesAnonymized: 0, instancesSkipped: {}, instancesBySource: {} };
  const bySource: Record<string, number> = {};
  for (const r of records) {
    if (r.type === 'error') {
      c.failed++;
      continue;
    }
    c[r.action]++;
    c.regions += r.regions;
    for (const i of r.instances) {
      if (i.status === 'anonymized') {
        c.instancesAnonymized++;
        const k = `${i.kind} ${i.source ?? 'unknown'}`;
        bySource[k] = (bySource[k] ?? 0) + 1;
      } else {
        const why = i.reason ?? 'unknown';
        c.instancesSkipped[why] = (c.instancesSkipped[why] ?? 0) + 1;
      }
    }
  }
  const sorted = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  c.instancesSkipped = sorted(c.instancesSkipped);
  c.instancesBySource = sorted(bySource);
  return c;
}

export interface Summary {
  schema: string;
  configHash: string;
  config: RunConfig;
  versions: Record<string, string>;
  source: { manifest: string; root: string };
  /** Every image was written; false when images failed (--on-error skip): the output is incomplete. */
  complete: boolean;
  /** The manifest of the output dataset, relative to the output folder. */
  manifest: string;
  counts: Counts;
  /** Annotation and label files, copied byte for byte. */
  files: FileRef[];
  /** One entry per image written, in dataset order (no timings). */
  images: Omit<ImageRecord, 'type' | 'ms'>[];
  /** Images that failed and are missing from the output, in dataset order. */
  errors: Omit<ErrorRecord, 'type' | 'ms'>[];
  /** Everything that varies between two runs of the same configuration. */
  timing: {
    runs: { at: string; pid: number; workers: number; finishedAt?: string }[];
    /** sample id -> milliseconds of its latest processing */
    imageMs: Record<string, number>;
  };
}
