// An advisory lock beside a file (`<file>.lock`), so that read-modify-write updates of one file by
// several processes on one machine (the workers of an experiment grid appending their results) do
// not lose each other's rows, or a stage of a grid is not run twice at once. The lock file is
// created with O_EXCL and holds the owner's host and pid; a lock whose owner process on this host no
// longer exists is stale and is taken over. A lock held from another host (a cluster node sharing
// the folder) is never taken over: whether its owner lives cannot be known from here.
import { open, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
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
        await fh.writeFile(`${hostname()}:${process.pid}`);
      } finally {
        await fh.close();
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    // a lock left behind by a process that has ended is taken over
    const held = (await readFile(lock, 'utf8').catch(() => '')).trim();
    const colon = held.lastIndexOf(':');
    const host = colon < 0 ? hostname() : held.slice(0, colon);
    const owner = Number(held.slice(colon + 1));
    if (host === hostname() && Number.isInteger(owner) && owner > 0 && owner !== process.pid && !processAlive(owner)) {
      await rm(lock, { force: true });
      continue;
    }
    if (Date.now() - started > timeout) throw new Error(`${file}: could not lock it within ${timeout} ms (${lock} is held by ${held || 'an unknown process'})`);
    await sleep(wait);
    wait = Math.min(wait * 2, 200);
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}
