// scripts/slurm-local.sh starts a one-node Slurm cluster that runs what the project submits: a chain
// held by afterok, an array, a failing job whose FAILED state and exit code 3 scontrol reports (no
// slurmdbd, so no sacct), and a dependant of that failure that never runs. Skipped unless root with
// Debian's slurm-wlm installed; stops the cluster afterwards unless it was running before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/tmp-dir.ts';

const script = fileURLToPath(new URL('../../scripts/slurm-local.sh', import.meta.url));
const PATH = `${process.env.PATH ?? ''}:/usr/sbin:/sbin`;
const DONE = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'PREEMPTED']);

function slurmLocal(cmd: string) {
  const r = spawnSync('bash', [script, cmd], { encoding: 'utf8', env: { ...process.env, PATH } });
  return { rc: r.status, out: r.stdout, err: r.stderr };
}

type Job = Record<string, string>;

/** The records `scontrol -o show job id` prints (one per array task), as key=value maps. */
function showJob(env: NodeJS.ProcessEnv, id: string): Job[] {
  const out = execFileSync('scontrol', ['-o', 'show', 'job', id], { encoding: 'utf8', env });
  return out.trim().split('\n').map((line) => {
    const rec: Job = {};
    for (const m of line.matchAll(/(\S+?)=(\S*)/g)) rec[m[1]!] ??= m[2]!;
    return rec;
  });
}

/** Polls `scontrol show job id` until `ok` holds for its records; fails after timeoutMs. */
async function waitFor(env: NodeJS.ProcessEnv, id: string, ok: (recs: Job[]) => boolean, timeoutMs = 20_000): Promise<Job[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const recs = showJob(env, id);
    if (ok(recs)) return recs;
    if (Date.now() > end) assert.fail(`job ${id} still ${recs.map((r) => `${r.JobState}(${r.Reason})`).join(' ')} after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

/** Waits until all n records of `id` (n array tasks, or 1) have finished. */
const waitJob = (env: NodeJS.ProcessEnv, id: string, n = 1) =>
  waitFor(env, id, (recs) => recs.length === n && recs.every((r) => DONE.has(r.JobState!)));

test('slurm-local.sh: afterok chain, array, failing job exit code', { timeout: 60_000 }, async (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root (scripts/slurm-local.sh starts munged and slurmd)');
  if (spawnSync('sh', ['-c', 'command -v slurmctld'], { env: { ...process.env, PATH } }).status !== 0) {
    return t.skip('slurmctld not installed (apt-get install slurm-wlm munge, or SLURM_LOCAL_INSTALL=1 scripts/slurm-local.sh start)');
  }
  const wasRunning = slurmLocal('status').rc === 0;
  const dir = await tempDir(t, 'slurm-local-');
  try {
    const started = slurmLocal('start');
    assert.equal(started.rc, 0, `slurm-local.sh start failed:\n${started.err}`);
    const conf = /^export SLURM_CONF=(\S+)$/m.exec(started.out)?.[1];
    assert.ok(conf, `no SLURM_CONF line in: ${started.out}`);
    const env = { ...process.env, PATH, SLURM_CONF: conf };
    const sbatch = (...args: string[]) =>
      execFileSync('sbatch', ['--parsable', `--chdir=${dir}`, ...args], { encoding: 'utf8', env }).trim().split(';')[0]!;

    const a = sbatch('--output=a.out', '--wrap', 'echo hi');
    const b = sbatch(`--dependency=afterok:${a}`, '--output=b.out', '--wrap', 'echo "after $(cat a.out)"');
    const arr = sbatch('--array=0-2', '--output=arr-%a.out', '--wrap', 'echo task $SLURM_ARRAY_TASK_ID');
    const f = sbatch('--output=f.out', '--wrap', 'exit 3');
    const never = sbatch(`--dependency=afterok:${f}`, '--wrap', 'echo never');

    const [jb] = await waitJob(env, b);
    assert.equal(jb!.JobState, 'COMPLETED');
    assert.equal((await readFile(join(dir, 'b.out'), 'utf8')).trim(), 'after hi');
    const tasks = await waitJob(env, arr, 3);
    assert.deepEqual(tasks.map((r) => r.JobState), ['COMPLETED', 'COMPLETED', 'COMPLETED']);
    for (const i of [0, 1, 2]) assert.equal((await readFile(join(dir, `arr-${i}.out`), 'utf8')).trim(), `task ${i}`);
    const [jf] = await waitJob(env, f);
    assert.equal(jf!.JobState, 'FAILED');
    assert.equal(jf!.ExitCode, '3:0');
    // afterok on a failed job: pending forever (Slurm does not cancel it by itself)
    const [jn] = await waitFor(env, never, ([r]) => r!.Reason === 'DependencyNeverSatisfied');
    assert.equal(jn!.JobState, 'PENDING');
    execFileSync('scancel', [never], { env });
    assert.equal((await waitJob(env, never))[0]!.JobState, 'CANCELLED');
  } finally {
    if (!wasRunning) {
      const stopped = slurmLocal('stop');
      assert.equal(stopped.rc, 0, `slurm-local.sh stop failed:\n${stopped.err}`);
      assert.notEqual(slurmLocal('status').rc, 0, 'cluster still running after stop');
    }
  }
});
