// A real one-node Slurm cluster (scripts/slurm-local.sh) and the grid's Slurm executor on it.
// The script: a chain held by afterok, an array, a failing job whose FAILED state and exit code 3
// scontrol reports (no slurmdbd, so no sacct), and a dependant of that failure that never runs.
// The executor: a grid's results CSV byte for byte the local executor's; a stage cancelled with
// scancel is resubmitted alone by the next grid call; a failing stage shows as failed with its log.
// Skipped unless root with Debian's slurm-wlm installed; the tests share one cluster, stopped
// afterwards unless it was running before.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
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

const skip =
  process.getuid?.() !== 0
    ? 'needs root (scripts/slurm-local.sh starts munged and slurmd)'
    : spawnSync('sh', ['-c', 'command -v slurmctld'], { env: { ...process.env, PATH } }).status !== 0
      ? 'slurmctld not installed (apt-get install slurm-wlm munge, or SLURM_LOCAL_INSTALL=1 scripts/slurm-local.sh start)'
      : false;

// one cluster for every test of this file (they run one after another), stopped afterwards unless it ran before
let env: NodeJS.ProcessEnv = {};
let wasRunning = false;
before(() => {
  if (skip) return;
  wasRunning = slurmLocal('status').rc === 0;
  const started = slurmLocal('start');
  assert.equal(started.rc, 0, `slurm-local.sh start failed:\n${started.err}`);
  const conf = /^export SLURM_CONF=(\S+)$/m.exec(started.out)?.[1];
  assert.ok(conf, `no SLURM_CONF line in: ${started.out}`);
  env = { ...process.env, PATH, SLURM_CONF: conf };
});
after(() => {
  if (skip || wasRunning) return;
  const stopped = slurmLocal('stop');
  assert.equal(stopped.rc, 0, `slurm-local.sh stop failed:\n${stopped.err}`);
  assert.notEqual(slurmLocal('status').rc, 0, 'cluster still running after stop');
});

test('slurm-local.sh: afterok chain, array, failing job exit code', { skip, timeout: 60_000 }, async (t) => {
  const dir = await tempDir(t, 'slurm-local-');
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
});

const bin = fileURLToPath(new URL('../../bin/anon-impact.js', import.meta.url));
const grid = (...args: string[]) => spawnSync(process.execPath, [bin, 'grid', ...args], { encoding: 'utf8', env });

// every kind of stage: dataset, the built-in generator, anonymizations, trainings (two seeds: an array), evaluations
const SPEC = (steps: number, seeds: string) => `name: slurm-test
title: Slurm test grid
task: instances
preset: smoke
seeds: ${seeds}
metrics: [segm/AP, segm/AP-person]
budget: { steps: ${steps}, generatorSteps: 2, synth: { train: 4, val: 2, width: 256, height: 128 } }
conditions:
  - { region: none, method: original }
  - { region: body, method: maskout }
  - { region: body, method: realistic }
`;

test('a grid through Slurm: every stage a job, the results CSV byte for byte the local executor\'s', { skip, timeout: 300_000 }, async (t) => {
  const dir = await tempDir(t, 'slurm-grid-');
  await writeFile(join(dir, 'g.yaml'), SPEC(2, '[0, 1]'));
  const common = ['--no-figures', '--backend', 'wasm'];
  const viaSlurm = grid(join(dir, 'g.yaml'), '--cache', join(dir, 'c1'), '--results', join(dir, 'r1'), '--executor', 'slurm', '--wait', ...common);
  assert.equal(viaSlurm.status, 0, viaSlurm.stderr);
  // one job per stage, the two trainings of each condition one array
  const submitted = viaSlurm.stdout.split('\n').filter((l) => l.startsWith('submitted '));
  assert.equal(submitted.length, 1 + 1 + 2 + 6 + 6);
  assert.equal(submitted.filter((l) => /^submitted \d+_[01] +train /.test(l)).length, 6);
  const local = grid(join(dir, 'g.yaml'), '--cache', join(dir, 'c2'), '--results', join(dir, 'r2'), '--concurrency', '2', '--workers', '0', ...common);
  assert.equal(local.status, 0, local.stderr);
  assert.ok((await readFile(join(dir, 'r1', 'slurm-test.csv'))).equals(await readFile(join(dir, 'r2', 'slurm-test.csv'))), 'identical results CSVs');
  const status = grid(join(dir, 'g.yaml'), '--cache', join(dir, 'c1'), '--status');
  assert.match(status.stdout, /16 stages: 16 cached, 0 queued, 0 running, 0 failed, 0 not submitted/);
});

test('a stage cancelled with scancel is resubmitted alone by the next grid call', { skip, timeout: 300_000 }, async (t) => {
  const dir = await tempDir(t, 'slurm-cancel-');
  await writeFile(join(dir, 'g.yaml'), SPEC(150, '[0]'));
  const args = [join(dir, 'g.yaml'), '--cache', join(dir, 'c'), '--results', join(dir, 'r'), '--no-figures', '--backend', 'wasm'];
  assert.equal(grid(...args, '--executor', 'slurm').status, 0);
  // the original's training, once it runs
  let job = '';
  for (const end = Date.now() + 120_000; !job && Date.now() < end; await new Promise((r) => setTimeout(r, 500))) {
    job = /^running +train +\S+ +train instances \(smoke\) on original, seed 0 +\[job (\S+)\]/m.exec(grid(...args, '--status').stdout)?.[1] ?? '';
  }
  assert.ok(job, 'the training of the original never ran');
  execFileSync('scancel', [job], { env });
  // the rest finishes; the cancelled training and the evaluation waiting on it (cancelled by Slurm: its dependency can never be met) fail
  let status = '';
  for (const end = Date.now() + 180_000; Date.now() < end; await new Promise((r) => setTimeout(r, 1000))) {
    status = grid(...args, '--status').stdout;
    if (/ 0 queued, 0 running,/.test(status)) break;
  }
  assert.match(status, /^failed +train .* on original, seed 0 .*CANCELLED/m);
  assert.match(status, /^failed +evaluate .*: original, seed 0 /m);
  assert.match(status, /10 stages: 8 cached, 0 queued, 0 running, 2 failed/);
  const again = grid(...args, '--executor', 'slurm', '--wait');
  assert.equal(again.status, 0, again.stderr);
  const resubmitted = again.stdout.split('\n').filter((l) => l.startsWith('submitted '));
  assert.equal(resubmitted.length, 2, again.stdout);
  assert.match(resubmitted[0]!, /train +\S+ +train instances \(smoke\) on original, seed 0$/);
  assert.match(resubmitted[1]!, /evaluate +\S+ +predict \+ evaluate on the original val split: original, seed 0$/);
});

test('a failing stage shows as failed with its exit code and its log, and --wait exits non-zero', { skip, timeout: 120_000 }, async (t) => {
  const dir = await tempDir(t, 'slurm-fail-');
  const synth = spawnSync(process.execPath, [bin, 'synth', '--out', join(dir, 'data'), '--train', '2', '--val', '1', '--width', '128', '--height', '64'], { encoding: 'utf8' });
  assert.equal(synth.status, 0, synth.stderr);
  // a training image gone: the anonymization cannot read it
  const gone = (await readFile(join(dir, 'data', 'synth-cityscapes.yaml'), 'utf8')) && join(dir, 'data', 'leftImg8bit', 'train', 'synth', 'synth_000000_000000_leftImg8bit.png');
  await rm(gone);
  await writeFile(join(dir, 'g.yaml'), SPEC(2, '[0]').replace('  - { region: body, method: realistic }\n', ''));
  const args = [join(dir, 'g.yaml'), '--manifest', join(dir, 'data', 'synth-cityscapes.yaml'), '--cache', join(dir, 'c'), '--results', join(dir, 'r'), '--no-figures', '--backend', 'wasm'];
  const r = grid(...args, '--executor', 'slurm', '--wait');
  assert.equal(r.status, 1, r.stderr);
  const log = /^failed +anonymize .* FAILED exit 1:0, log (\S+)$/m.exec(r.stderr)?.[1];
  assert.ok(log, r.stderr);
  assert.match(await readFile(log, 'utf8'), /synth_000000_000000_leftImg8bit\.png/);
  const status = grid(...args, '--status').stdout;
  assert.match(status, /^failed +anonymize .* FAILED exit 1:0, log /m);
  assert.match(status, /^failed +train .* on body \/ maskout/m);
});
