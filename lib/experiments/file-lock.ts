// An advisory lock beside a file (`<file>.lock`), so that read-modify-write updates of one file by
// several processes on one machine (the workers of an experiment grid appending their results) do
// not lose each other's rows. The lock file is created with O_EXCL and holds the owner's pid; a lock
// whose owner process no longer exists is stale and is taken over.
import { open, readFile, rm } from 'node:fs/promises';
import { processAlive } from '../data/process-alive.ts';

export interface LockOptions {
  /** Give up after this many milliseconds (default 60 000). */
  timeoutMs?: number;
  /** Wait between attempts (default 20 ms, doubling up to 200 ms). */
  retryMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` while holding the lock of `file`; the lock is released however `fn` ends. */
export async function withFileLock<T>(file: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lock = `${file}.lock`;
  const timeout = options.timeoutMs ?? 60_000;
  let wait = options.retryMs ?? 20;
  const started = Date.now();
  for (;;) {
    try {
      const fh = await open(lock, 'wx');
      try {
        await fh.writeFile(String(process.pid));
      } finally {
        await fh.close();
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    // a lock left behind by a process that has ended is taken over
    const owner = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && !processAlive(owner)) {
      await rm(lock, { force: true });
      continue;
    }
    if (Date.now() - started > timeout) throw new Error(`${file}: could not lock it within ${timeout} ms (${lock} is held by pid ${owner || 'unknown'})`);
    await sleep(wait);
    wait = Math.min(wait * 2, 200);
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}
