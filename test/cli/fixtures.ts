// The `anon-impact` command run in a child process, as a user runs it (bin/anon-impact.js).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/anon-impact.js', import.meta.url));

export interface CliResult {
  /** Exit code (1 when the process ended without one, e.g. killed). */
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `anon-impact ...args` to the end; never rejects. */
export function cli(args: string[], opts: { cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: opts.cwd }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}
