// Input problems: every reader reports each problem it finds as a DataError naming the file,
// the record and the field. With an `onProblem` callback the reader reports and skips the bad
// record; without one it throws the first problem.
import { readFile } from 'node:fs/promises';
import { isAbsolute, posix, relative, resolve, sep } from 'node:path';
import { DataError } from './types.ts';

export interface ReadOptions {
  /** Called once per problem; the bad record is skipped and reading goes on. Without it, the first problem is thrown. */
  onProblem?: (e: DataError) => void;
}

/** Collects the problems of one read. */
export class Problems {
  readonly #onProblem?: (e: DataError) => void;
  count = 0;
  constructor(opts: ReadOptions = {}) {
    this.#onProblem = opts.onProblem;
  }
  /** Reports a problem: throws it when no callback was given, else hands it on. */
  report(file: string, record: string, field: string, problem: string): void {
    this.add(new DataError(file, record, field, problem));
  }
  add(e: DataError): void {
    this.count++;
    if (!this.#onProblem) throw e;
    this.#onProblem(e);
  }
  /**
   * Runs `fn`; a DataError it throws is reported (and `undefined` returned), any other error
   * is turned into a DataError for `file`/`record`/`field`.
   */
  async guard<T>(file: string, record: string, field: string, fn: () => Promise<T> | T): Promise<T | undefined> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof DataError) this.add(e);
      else this.report(file, record, field, e instanceof Error ? e.message : String(e));
      return undefined;
    }
  }
}

/**
 * Normalises a dataset-relative path (forward slashes) and checks that it stays inside the
 * root: no absolute paths, no drive letters, no `..` that climbs out. Returns the normalised
 * relative path, or a reason why it is refused.
 */
export function checkRelativePath(p: unknown): { path: string } | { reason: string } {
  if (typeof p !== 'string' || p.length === 0) return { reason: 'not a non-empty string' };
  if (p.includes('\0')) return { reason: 'contains a NUL character' };
  const slashed = p.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) return { reason: `absolute path '${p}' (must be relative to the dataset root)` };
  const norm = posix.normalize(slashed);
  if (norm === '..' || norm.startsWith('../')) return { reason: `path '${p}' escapes the dataset root` };
  if (norm === '.' ) return { reason: `path '${p}' names the root itself` };
  return { path: norm };
}

/** An optional dataset-relative folder (such as the images folder): absent, '' or '.' is the root itself (''). */
export function optionalFolder(p: string | undefined): { path: string } | { reason: string } {
  if (p === undefined || p === '' || p === '.') return { path: '' };
  return checkRelativePath(p);
}

/**
 * A JSON file, parsed. A missing or unreadable file (field 'path') and invalid JSON (field
 * 'json') are reported for record 'file', and give undefined.
 */
export async function readJsonFile(path: string, problems: Problems): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    problems.report(path, 'file', 'path', code === 'ENOENT' ? 'file not found' : `cannot read: ${(e as Error).message}`);
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    problems.report(path, 'file', 'json', `invalid JSON: ${(e as Error).message}`);
    return undefined;
  }
}

/** Absolute path of `rel` under `root`, refusing anything outside it. */
export function insideRoot(root: string, rel: string): string {
  const abs = resolve(root, rel);
  const back = relative(resolve(root), abs);
  if (back === '' || back.startsWith('..' + sep) || back === '..' || isAbsolute(back)) {
    throw new Error(`path '${rel}' escapes the dataset root ${root}`);
  }
  return abs;
}
