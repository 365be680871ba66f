// The content-addressed stage cache. A stage's key is the sha256 of its kind, its inputs' keys,
// its parameters and the library version; its output lives in `<cache>/<kind>/<key>/`. A stage
// is finished when `<dir>/stage.json` exists: it is written last, atomically, so a killed stage
// is never taken for a finished one and is resumed (or redone) on the next run.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeJsonAtomic } from '../data/atomic.ts';

/** Bumped when a stage's outputs change meaning for the same inputs (invalidates that kind only).
 * dataset 2: the synthetic COCO files label keypoints on persons of at least 32x32 pixels only.
 * dataset 3: the synthetic set carries its licence plates (COCO instances_*.json, gtFine polygons.json).
 * evaluate 2: instance predictions are flip-averaged and refined with the image (lib/train/predict.ts). */
export const STAGE_EPOCH: Record<string, number> = { dataset: 3, generator: 1, anonymize: 1, privacy: 1, train: 1, evaluate: 2 };

let version: string | undefined;
/** anon-impact's version, part of every key. */
export function libraryVersion(): string {
  if (!version) {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    version = pkg.version;
  }
  return version;
}

/** JSON with object keys sorted, so equal parameters give equal keys whatever their order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export interface StageInput {
  kind: string;
  /** Keys of the stages this one reads. */
  inputs: string[];
  params: unknown;
}

export function stageKey(s: StageInput): string {
  const body = canonicalJson({ kind: s.kind, epoch: STAGE_EPOCH[s.kind] ?? 1, version: libraryVersion(), inputs: s.inputs, params: s.params });
  return createHash('sha256').update(body).digest('hex').slice(0, 20);
}

export class StageCache {
  readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }
  dir(kind: string, key: string): string {
    return join(this.root, kind, key);
  }
  async isDone(kind: string, key: string): Promise<boolean> {
    return Boolean(await stat(join(this.dir(kind, key), 'stage.json')).catch(() => undefined));
  }
  async record<T = unknown>(kind: string, key: string): Promise<T | undefined> {
    const text = await readFile(join(this.dir(kind, key), 'stage.json'), 'utf8').catch(() => undefined);
    return text === undefined ? undefined : (JSON.parse(text) as { output: T }).output;
  }
  /** Marks a stage finished with its output record (what later stages and the report read). */
  async finish(kind: string, key: string, input: StageInput, output: unknown): Promise<void> {
    await writeJsonAtomic(join(this.dir(kind, key), 'stage.json'), { kind, key, version: libraryVersion(), input, output, finishedAt: new Date().toISOString() }, 2);
  }
}

/** The default cache folder: $ANON_IMPACT_CACHE, else `.cache/stages` in the working directory. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.ANON_IMPACT_CACHE ?? join('.cache', 'stages'));
}
