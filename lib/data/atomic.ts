// Nothing is half-written: every output goes to a temporary name in the same folder,
// is flushed to disk, then renamed over the target (rename is atomic on POSIX file systems).
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The temporary name used for `file`; a reader never sees it under the final name. */
export function tempName(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = tempName(file);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** JSON with a trailing newline, written atomically. */
export async function writeJsonAtomic(file: string, value: unknown, indent = 0): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(value, null, indent || undefined) + '\n');
}
