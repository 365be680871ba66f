// An anonymized copy written by `anon-impact anonymize` (lib/anonymize/runner.ts), as the privacy
// figures read it: its journal provenance.jsonl (lib/anonymize/provenance.ts) gives the run's
// configuration (dataset, split, region kind and options, method, parameters) and, per image, the
// input and output files with their sha256 and which instances were anonymized. Anything that
// does not have the journal's shape is a DataError naming the file, the record and the field.
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DataError } from '../data/types.ts';
import { JOURNAL_FILE, PROVENANCE_SCHEMA, readJournal, type ErrorRecord, type ImageRecord, type RunHeader } from '../anonymize/provenance.ts';

export interface AnonymizedCopy {
  /** The copy's folder (absolute). */
  dir: string;
  /** Path of its provenance.jsonl. */
  journal: string;
  header: RunHeader;
  /** The latest image record per sample id. */
  images: Map<string, ImageRecord>;
  /** Images whose latest record is an error (missing from the copy). */
  errors: Map<string, ErrorRecord>;
  /** The journal has a `finish` line saying the copy is complete. */
  finished: boolean;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function checkFileRef(file: string, record: string, field: string, v: unknown): void {
  if (!isObj(v)) throw new DataError(file, record, field, `expected an object {path, sha256, bytes}, got ${JSON.stringify(v)}`);
  if (typeof v.path !== 'string' || v.path === '') throw new DataError(file, record, `${field}.path`, `expected a relative path, got ${JSON.stringify(v.path)}`);
  if (typeof v.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(v.sha256)) throw new DataError(file, record, `${field}.sha256`, `expected 64 hex digits, got ${JSON.stringify(v.sha256)}`);
}

function checkHeader(file: string, line: unknown): RunHeader {
  const rec = 'line 1 (run)';
  if (!isObj(line) || line.type !== 'run') throw new DataError(file, 'line 1', 'type', `expected the run header {"type":"run",...}, got ${JSON.stringify(isObj(line) ? line.type : line)}`);
  if (line.schema !== PROVENANCE_SCHEMA) throw new DataError(file, rec, 'schema', `expected '${PROVENANCE_SCHEMA}', got ${JSON.stringify(line.schema)}`);
  const c = line.config;
  if (!isObj(c)) throw new DataError(file, rec, 'config', 'missing');
  if (typeof c.method !== 'string') throw new DataError(file, rec, 'config.method', `expected a method name, got ${JSON.stringify(c.method)}`);
  if (!isObj(c.params)) throw new DataError(file, rec, 'config.params', `expected an object, got ${JSON.stringify(c.params)}`);
  const d = c.dataset;
  if (!isObj(d) || typeof d.name !== 'string' || typeof d.split !== 'string' || typeof d.format !== 'string') throw new DataError(file, rec, 'config.dataset', `expected {name, format, split}, got ${JSON.stringify(d)}`);
  const r = c.region;
  if (!isObj(r)) throw new DataError(file, rec, 'config.region', 'missing');
  // a region selection: face, body, plate, or a person part with plates (face+plate, body+plate)
  if (typeof r.kind !== 'string' || !/^(face|body|plate)(\+plate)?$/.test(r.kind)) throw new DataError(file, rec, 'config.region.kind', `expected face, body, plate, face+plate or body+plate, got ${JSON.stringify(r.kind)}`);
  if (!Array.isArray(r.categories) || !r.categories.every((x) => typeof x === 'string')) throw new DataError(file, rec, 'config.region.categories', `expected a list of category names, got ${JSON.stringify(r.categories)}`);
  if (r.dilation !== 'dp2' && !(Number.isInteger(r.dilation) && (r.dilation as number) >= 0)) throw new DataError(file, rec, 'config.region.dilation', `expected 'dp2' or a radius, got ${JSON.stringify(r.dilation)}`);
  if (typeof r.minSize !== 'number' || !(r.minSize >= 0)) throw new DataError(file, rec, 'config.region.minSize', `expected a number >= 0, got ${JSON.stringify(r.minSize)}`);
  if (typeof r.requireKeypoints !== 'boolean') throw new DataError(file, rec, 'config.region.requireKeypoints', `expected true or false, got ${JSON.stringify(r.requireKeypoints)}`);
  if (r.detector !== 'blazeface' && r.detector !== 'none') throw new DataError(file, rec, 'config.region.detector', `expected 'blazeface' or 'none', got ${JSON.stringify(r.detector)}`);
  return line as unknown as RunHeader;
}

function checkImage(file: string, lineNo: number, line: Record<string, unknown>): ImageRecord {
  const id = typeof line.id === 'string' ? line.id : undefined;
  const rec = `line ${lineNo} (image${id !== undefined ? ` ${id}` : ''})`;
  if (id === undefined) throw new DataError(file, rec, 'id', `expected a sample id string, got ${JSON.stringify(line.id)}`);
  checkFileRef(file, rec, 'input', line.input);
  checkFileRef(file, rec, 'output', line.output);
  if (!Array.isArray(line.instances)) throw new DataError(file, rec, 'instances', `expected a list, got ${JSON.stringify(line.instances)}`);
  line.instances.forEach((x, k) => {
    if (!isObj(x) || !Number.isFinite(x.instanceId)) throw new DataError(file, rec, `instances[${k}].instanceId`, `expected a number, got ${JSON.stringify(isObj(x) ? x.instanceId : x)}`);
    if (x.status !== 'anonymized' && x.status !== 'skipped') throw new DataError(file, rec, `instances[${k}].status`, `expected 'anonymized' or 'skipped', got ${JSON.stringify(x.status)}`);
  });
  if (typeof line.regions !== 'number') throw new DataError(file, rec, 'regions', `expected a number, got ${JSON.stringify(line.regions)}`);
  if (!['anonymized', 'reencoded', 'stripped', 'copied'].includes(line.action as string)) throw new DataError(file, rec, 'action', `expected anonymized, reencoded, stripped or copied, got ${JSON.stringify(line.action)}`);
  return line as unknown as ImageRecord;
}

/** Reads and checks the journal of the anonymized copy in `dir`. */
export async function readAnonymizedCopy(dir: string): Promise<AnonymizedCopy> {
  const abs = resolve(dir);
  const st = await stat(abs).catch(() => null);
  if (!st?.isDirectory()) throw new Error(`${abs}: not a folder (--anonymized must be the --out folder of 'anon-impact anonymize')`);
  const journal = join(abs, JOURNAL_FILE);
  if (!(await stat(journal).catch(() => null))?.isFile()) throw new Error(`${journal}: not found (--anonymized must be the --out folder of 'anon-impact anonymize', which writes ${JOURNAL_FILE})`);
  const { lines } = await readJournal(journal);
  if (lines.length === 0) throw new DataError(journal, 'line 1', 'type', 'the journal is empty');
  const header = checkHeader(journal, lines[0]);
  const images = new Map<string, ImageRecord>();
  const errors = new Map<string, ErrorRecord>();
  let finished = false;
  lines.forEach((l, i) => {
    if (i === 0) return;
    const line = l as unknown as Record<string, unknown>;
    if (line.type === 'run') throw new DataError(journal, `line ${i + 1}`, 'type', 'a second run header: the journal holds more than one run');
    if (line.type === 'image') {
      const r = checkImage(journal, i + 1, line);
      images.set(r.id, r);
      errors.delete(r.id);
    } else if (line.type === 'error') {
      if (typeof line.id !== 'string') throw new DataError(journal, `line ${i + 1} (error)`, 'id', `expected a sample id string, got ${JSON.stringify(line.id)}`);
      errors.set(line.id, line as unknown as ErrorRecord);
      images.delete(line.id);
    } else if (line.type === 'finish') {
      finished = line.complete === true;
    }
  });
  return { dir: abs, journal, header, images, errors, finished };
}

/** The bytes of a file of the copy, by its journal path (forward slashes, relative). */
export async function readCopyFile(copy: AnonymizedCopy, rel: string, record: string): Promise<Buffer> {
  if (rel.startsWith('/') || rel.split('/').includes('..')) throw new DataError(copy.journal, record, 'output.path', `'${rel}' is not a relative path inside the copy`);
  try {
    return await readFile(join(copy.dir, ...rel.split('/')));
  } catch (e) {
    throw new DataError(copy.journal, record, 'output.path', `${join(copy.dir, rel)}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
