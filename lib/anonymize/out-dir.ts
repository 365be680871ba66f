// The output folder of an anonymization run: never the dataset, never inside it, never holding
// it; one run at a time; no temporary file left behind by a killed run.
import { mkdir, open, readdir, readFile, realpath, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { processAlive } from '../data/process-alive.ts';

/** True when `child` is `parent` or lies below it (both absolute, resolved). */
export function isWithin(parent: string, child: string): boolean {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..' + sep) && r !== '..' && !isAbsolute(r));
}

/** The real path of `p`, following symlinks in the part that exists; the rest appended as given. */
export async function realPathOf(p: string): Promise<string> {
  const abs = resolve(p);
  const rest: string[] = [];
  let cur = abs;
  for (;;) {
    try {
      const real = await realpath(cur);
      return rest.length ? join(real, ...rest.reverse()) : real;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
      const up = dirname(cur);
      if (up === cur) return abs;
      rest.push(basename(cur));
      cur = up;
    }
  }
}

/**
 * Refuses an output folder that is the dataset root, lies inside it or contains it (after
 * following symlinks on both sides). Returns the output folder's real path.
 */
export async function checkOutDir(out: string, datasetRoot: string): Promise<string> {
  const realOut = await realPathOf(out);
  const realRoot = await realPathOf(datasetRoot);
  const shown = (given: string, real: string) => (resolve(given) === real ? real : `${given} (resolves to ${real})`);
  if (realOut === realRoot) {
    throw new Error(`--out ${shown(out, realOut)} is the dataset root: the original dataset is never written; choose a folder outside ${realRoot}`);
  }
  if (isWithin(realRoot, realOut)) {
    throw new Error(`--out ${shown(out, realOut)} is inside the dataset root ${realRoot}: the original dataset is never written; choose a folder outside it`);
  }
  if (isWithin(realOut, realRoot)) {
    throw new Error(`--out ${shown(out, realOut)} contains the dataset root ${realRoot}: the output would be written among the original files; choose a folder outside it`);
  }
  return realOut;
}

/**
 * Creates the folders of output files, checking that each really lies inside the output
 * folder (a symlinked sub-folder pointing elsewhere, e.g. into the dataset, is refused).
 */
export class OutTree {
  readonly root: string;
  private readonly checked = new Map<string, Promise<void>>();

  /** `root` must be a real path (checkOutDir's result). */
  constructor(root: string) {
    this.root = root;
  }

  /** Absolute path of the output file `rel` (forward slashes), its folder created and checked. */
  async file(rel: string): Promise<string> {
    const abs = join(this.root, ...rel.split('/'));
    if (!isWithin(this.root, abs) || abs === this.root) throw new Error(`output path '${rel}' is not inside ${this.root}`);
    const dir = dirname(abs);
    let p = this.checked.get(dir);
    if (!p) {
      p = (async () => {
        await mkdir(dir, { recursive: true });
        const real = await realpath(dir);
        if (!isWithin(this.root, real)) throw new Error(`output folder ${dir} resolves to ${real}, outside the output folder ${this.root} (a symlink?): refusing to write there`);
      })();
      this.checked.set(dir, p);
    }
    await p;
    return abs;
  }
}

/** Temporary names written by lib/data/atomic.ts (`.<name>.<pid>.<8 hex>.tmp`). */
const TEMP = /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/;

/** Removes temporary files left under `dir` by a killed run; returns their paths. */
export async function removeTempFiles(dir: string): Promise<string[]> {
  const removed: string[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && TEMP.test(e.name)) {
        await rm(p, { force: true });
        removed.push(p);
      }
    }
  };
  await walk(dir);
  return removed;
}

export const LOCK_FILE = '.anonymize.lock';

/**
 * Takes the output folder's lock (a file holding the owner's pid). A lock whose process is
 * gone (a killed run) is taken over; a live one is an error.
 */
export async function lockOutDir(dir: string): Promise<() => Promise<void>> {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(file, 'wx');
      await fh.writeFile(`${process.pid}\n`);
      await fh.close();
      return async () => {
        await rm(file, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && (pid === process.pid || processAlive(pid))) {
        throw new Error(`${dir} is being written by another anonymize run (process ${pid}, lock ${file})`);
      }
      await rm(file, { force: true });
    }
  }
  throw new Error(`cannot take the lock ${file}`);
}
