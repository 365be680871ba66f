// `data check`: every problem of a manifest and its dataset, not just the first.
// Schema problems, checksums, then per split: what the reader reports (unknown category,
// duplicate ids, polygons with < 3 points, RLE sizes, paths escaping the root, ...), then per
// image: missing, unreadable or truncated file (a JPEG or PNG with a broken structure named as
// the anonymizer names it: image-metadata.ts), size disagreeing with the annotation.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readSplit } from './open.ts';
import { decodeImage, imageSize } from './image.ts';
import { findMetadata, sniffFormat } from './image-metadata.ts';
import { resolveRoot, validateManifest, type Manifest } from './manifest.ts';
import { checkRelativePath, insideRoot } from './problems.ts';
import { DataError, type Dataset } from './types.ts';

export interface CheckOptions {
  /** Decode every image fully (finds truncated files); false reads headers only. Default true. */
  decode?: boolean;
  /** Only these splits (default: all in the manifest). */
  splits?: string[];
  /** Called after each image with (done, total) for progress display. */
  onProgress?: (done: number, total: number) => void;
  env?: NodeJS.ProcessEnv;
}

export interface CheckReport {
  manifest: string;
  problems: DataError[];
  /** Samples per split that were read. */
  samples: Record<string, number>;
  images: number;
}

async function sha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Runs every check; never throws for data problems (they are in the report). */
export async function checkManifest(file: string, opts: CheckOptions = {}): Promise<CheckReport> {
  const path = resolve(file);
  const report: CheckReport = { manifest: path, problems: [], samples: {}, images: 0 };
  const add = (e: DataError) => report.problems.push(e);

  let value: unknown;
  try {
    value = parseYaml(await readFile(path, 'utf8'));
  } catch (e) {
    add(new DataError(file, 'manifest', '(file)', (e as Error).message.split('\n')[0]));
    return report;
  }
  const { manifest: m, problems } = validateManifest(file, value);
  problems.forEach(add);
  if (!m) return report;
  const manifest: Manifest = { ...m, path, rootDir: resolveRoot(path, m, opts.env ?? process.env) };
  const root = manifest.rootDir;
  const rootStat = await stat(root).catch(() => undefined);
  if (!rootStat?.isDirectory()) {
    add(new DataError(file, 'manifest', manifest.rootEnv ? `root (or $${manifest.rootEnv})` : 'root', `dataset root ${root} is not a folder`));
    return report;
  }

  for (const [rel, want] of Object.entries(manifest.checksums ?? {})) {
    const p = checkRelativePath(rel);
    if ('reason' in p) {
      add(new DataError(file, 'manifest', `checksums.${rel}`, p.reason));
      continue;
    }
    const got = await sha256(insideRoot(root, p.path)).catch((e: Error) => e);
    if (got instanceof Error) add(new DataError(file, 'manifest', `checksums.${rel}`, `cannot read ${p.path}: ${got.message}`));
    else if (got !== want) add(new DataError(p.path, 'file', 'sha256', `is ${got}, manifest says ${want}`));
  }

  const splits = opts.splits ?? Object.keys(manifest.splits);
  const datasets: Dataset[] = [];
  for (const split of splits) {
    if (!manifest.splits[split]) {
      add(new DataError(file, 'manifest', `splits.${split}`, 'no such split'));
      continue;
    }
    try {
      const ds = await readSplit(manifest, split, { onProblem: add });
      report.samples[split] = ds.samples.length;
      datasets.push(ds);
    } catch (e) {
      add(e instanceof DataError ? e : new DataError(file, `split ${split}`, '(read)', (e as Error).message));
    }
  }

  const total = datasets.reduce((n, d) => n + d.samples.length, 0);
  let done = 0;
  for (const ds of datasets) {
    for (const s of ds.samples) {
      const record = `image ${s.id}`;
      const p = checkRelativePath(s.file);
      if ('reason' in p) add(new DataError(s.file, record, 'file', p.reason));
      else {
        const abs = resolve(root, p.path);
        const problem = await checkImage(abs, s.width, s.height, opts.decode ?? true);
        if (problem) add(new DataError(p.path, record, problem.field, problem.message));
      }
      report.images++;
      opts.onProgress?.(++done, total);
    }
  }
  return report;
}

async function checkImage(abs: string, width: number, height: number, decode: boolean): Promise<{ field: string; message: string } | undefined> {
  const st = await stat(abs).catch(() => undefined);
  if (!st) return { field: 'file', message: 'missing image file' };
  if (!st.isFile()) return { field: 'file', message: 'not a regular file' };
  try {
    let size: { width: number; height: number };
    if (decode) {
      const bytes = await readFile(abs);
      // a JPEG or PNG whose segment or chunk structure is broken (a truncated file): named as
      // the anonymizer names it, with the marker or chunk and the byte offset
      const format = sniffFormat(bytes);
      if (format) {
        try {
          findMetadata(bytes, format, abs);
        } catch (e) {
          return { field: 'file', message: withoutPath((e as Error).message, abs) };
        }
      }
      size = await decodeImage(bytes);
    } else size = await imageSize(abs);
    if (size.width !== width || size.height !== height) {
      return { field: 'width/height', message: `image is ${size.width}x${size.height}, annotation says ${width}x${height}` };
    }
  } catch (e) {
    return { field: 'file', message: `unreadable or truncated image (${withoutPath((e as Error).message, abs).replace(/^<buffer>: /, '')})` };
  }
  return undefined;
}

/** The message without the leading "<path>: " (the problem names the file already). */
function withoutPath(message: string, path: string): string {
  return message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
}
