// The Slurm executor: every stage of a planned grid that the (shared) stage cache does not hold
// becomes an sbatch job running `anon-impact stage run KEY --cache DIR` (stage-run.ts), with
// `--dependency=afterok:` on the jobs of the stages it needs, so that Slurm runs the grid in plan
// order on any nodes that see the cache folder. The trainings of one condition, which differ only
// by seed, are one job array. Submitted jobs are recorded in `<cache>/slurm/<grid>-<budget>.json`;
// a later call asks Slurm (`scontrol show job`) what became of them: stages whose job is queued or
// running are left alone, stages finished in the cache are done, and the rest (never submitted,
// failed, cancelled, or forgotten by Slurm without a finished stage) are submitted again, alone.
// Jobs are submitted with --kill-on-invalid-dep=yes: a job whose input failed is cancelled by
// Slurm instead of waiting forever, and is resubmitted with it. One log file per stage, in
// `<cache>/slurm/logs/<kind>-<key>.log`.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeJsonAtomic } from '../data/atomic.ts';
import type { StageCache } from './cache.ts';
import type { Plan, Stage } from './plan.ts';
import { stageRunArgs, writeStageSpecs } from './stage-run.ts';

const run = promisify(execFile);

export interface SlurmOptions {
  partition?: string;
  /** GPUs each training job asks for (--gres=gpu:N); default none. */
  gpusPerTrain?: number;
  cpusPerTask?: number;
  /** --time of every job, e.g. "04:00:00". */
  time?: string;
  /** More sbatch arguments, as given (e.g. ["--account=lab", "--qos=normal"]). */
  sbatchArgs?: readonly string[];
  /** The command a job runs before `stage run ...` arguments: default this Node and this package's bin/anon-impact.js. */
  command?: readonly string[];
  /** Training and inference backend of the jobs (passed to stage run). */
  backend?: string;
}

/** What Slurm says of one job. */
export interface JobInfo {
  state: string;
  exitCode: string;
  reason: string;
}

export type StageStatus = 'cached' | 'queued' | 'running' | 'failed' | 'not submitted';

export interface StageReport {
  stage: Stage;
  status: StageStatus;
  /** The job (id, or arrayId_task) and its log, when submitted. */
  job?: string;
  log?: string;
  /** Slurm's state and exit code of a failed job. */
  slurmState?: string;
  exitCode?: string;
}

interface Record {
  jobs: { [key: string]: { job: string; log: string } };
}

const ACTIVE = new Set(['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING', 'SUSPENDED', 'REQUEUED', 'RESIZING']);
const defaultCommand = () => [process.execPath, new URL('../../bin/anon-impact.js', import.meta.url).pathname];

export function recordFile(plan: Plan, cache: StageCache): string {
  return join(cache.root, 'slurm', `${plan.grid.name}-${plan.budget}.json`);
}

export function logFile(cache: StageCache, s: Stage): string {
  return join(cache.root, 'slurm', 'logs', `${s.kind}-${s.key}.log`);
}

async function readRecord(file: string): Promise<Record> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return { jobs: {} };
  try {
    return JSON.parse(text) as Record;
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

/** Every job Slurm knows, by id (`123`, and `123_4` for array task 4 of array 123). */
export async function slurmJobs(): Promise<Map<string, JobInfo>> {
  const out = new Map<string, JobInfo>();
  let text: string;
  try {
    text = (await run('scontrol', ['-o', 'show', 'job'], { maxBuffer: 64 * 2 ** 20 })).stdout;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new Error('scontrol not found: the Slurm executor needs the Slurm client commands (sbatch, scontrol, scancel) on PATH');
    if (/No jobs in the system/i.test(`${err.stderr ?? ''}`)) return out;
    throw new Error(`scontrol show job failed: ${(err.stderr ?? err.message).trim()}`);
  }
  for (const line of text.split('\n')) {
    const f = Object.fromEntries([...line.matchAll(/(\w+)=(\S*)/g)].map((m) => [m[1], m[2]]));
    if (!f.JobId) continue;
    const info = { state: f.JobState ?? 'UNKNOWN', exitCode: f.ExitCode ?? '', reason: f.Reason ?? '' };
    out.set(f.JobId, info);
    if (f.ArrayJobId && f.ArrayTaskId && /^\d+$/.test(f.ArrayTaskId)) out.set(`${f.ArrayJobId}_${f.ArrayTaskId}`, info);
  }
  return out;
}

/** Where every stage of the plan stands: in the cache, with Slurm, or nowhere. */
export async function gridStatus(plan: Plan, cache: StageCache, jobs?: Map<string, JobInfo>): Promise<StageReport[]> {
  const record = await readRecord(recordFile(plan, cache));
  const known = jobs ?? (Object.keys(record.jobs).length ? await slurmJobs() : new Map<string, JobInfo>());
  const out: StageReport[] = [];
  for (const stage of plan.stages) {
    const r = record.jobs[stage.key];
    if (await cache.isDone(stage.kind, stage.key)) {
      out.push({ stage, status: 'cached', job: r?.job, log: r?.log });
      continue;
    }
    if (!r) {
      out.push({ stage, status: 'not submitted' });
      continue;
    }
    const info = known.get(r.job);
    if (info && ACTIVE.has(info.state)) out.push({ stage, status: info.state === 'PENDING' ? 'queued' : 'running', job: r.job, log: r.log });
    // finished without a finished stage, or forgotten by Slurm: failed
    else out.push({ stage, status: 'failed', job: r.job, log: r.log, slurmState: info?.state ?? 'unknown to Slurm', exitCode: info?.exitCode });
  }
  return out;
}

/** The sbatch arguments every job of this executor gets. */
function commonArgs(o: SlurmOptions): string[] {
  const a = ['--parsable', '--kill-on-invalid-dep=yes'];
  if (o.partition) a.push(`--partition=${o.partition}`);
  if (o.cpusPerTask) a.push(`--cpus-per-task=${o.cpusPerTask}`);
  if (o.time) a.push(`--time=${o.time}`);
  return [...a, ...(o.sbatchArgs ?? [])];
}

const shellQuote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

async function sbatch(args: string[]): Promise<string> {
  try {
    const { stdout } = await run('sbatch', args);
    const id = stdout.trim().split(';')[0]!;
    if (!/^\d+$/.test(id)) throw new Error(`sbatch printed '${stdout.trim()}', not a job id`);
    return id;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new Error('sbatch not found: the Slurm executor needs the Slurm client commands (sbatch, scontrol, scancel) on PATH');
    throw new Error(`sbatch failed: ${(err.stderr ?? err.message).trim()}`);
  }
}

export interface Submission {
  /** Job ids submitted now, by stage key. */
  submitted: Map<string, string>;
  /** Stages left alone: finished, or queued or running already. */
  skipped: number;
}

/** Submits every stage of the plan that is neither finished nor queued or running. */
export async function submitGrid(plan: Plan, cache: StageCache, o: SlurmOptions = {}): Promise<Submission> {
  await writeStageSpecs(plan, cache);
  await mkdir(join(cache.root, 'slurm', 'logs'), { recursive: true });
  const file = recordFile(plan, cache);
  const record = await readRecord(file);
  const status = new Map((await gridStatus(plan, cache)).map((r) => [r.stage.key, r]));
  const command = [...(o.command ?? defaultCommand())];
  const stageCommand = (key: string) => [...command, ...stageRunArgs(key, cache.root, o.backend)].map(shellQuote).join(' ');
  /** The job a stage's dependents wait for (none when it is finished). */
  const jobOf = new Map<string, string>();
  for (const [key, r] of status) if (r.status === 'queued' || r.status === 'running') jobOf.set(key, r.job!);
  const todo = plan.stages.filter((s) => { const st = status.get(s.key)!.status; return st === 'not submitted' || st === 'failed'; });
  const submitted = new Map<string, string>();
  const dependency = (s: Stage) => {
    const ids = s.deps.map((d) => jobOf.get(d)).filter((x): x is string => x !== undefined);
    return ids.length ? [`--dependency=afterok:${ids.join(':')}`] : [];
  };
  const save = async () => writeJsonAtomic(file, record, 2);
  const done = new Set<string>();
  for (const s of todo) {
    if (done.has(s.key)) continue;
    // the trainings of one condition differ only by seed: one array, when their inputs are the same
    const group = s.kind === 'train' ? todo.filter((x) => x.kind === 'train' && !done.has(x.key) && JSON.stringify(x.deps) === JSON.stringify(s.deps) && sameButSeed(x, s)) : [s];
    const gres = s.kind === 'train' && o.gpusPerTrain ? [`--gres=gpu:${o.gpusPerTrain}`] : [];
    const name = `--job-name=anon-impact:${plan.grid.name}:${s.kind}`;
    if (group.length === 1) {
      const log = logFile(cache, s);
      const id = await sbatch([...commonArgs(o), ...gres, name, `--output=${log}`, ...dependency(s), `--wrap=${stageCommand(s.key)}`]);
      jobOf.set(s.key, id);
      submitted.set(s.key, id);
      record.jobs[s.key] = { job: id, log };
    } else {
      // task i runs group[i]; its log is that stage's own file
      const cases = group.map((g, i) => `${i}) exec ${stageCommand(g.key)} >${shellQuote(logFile(cache, g))} 2>&1 ;;`).join(' ');
      const wrap = `case "$SLURM_ARRAY_TASK_ID" in ${cases} *) echo "no stage for array task $SLURM_ARRAY_TASK_ID" >&2; exit 2 ;; esac`;
      const id = await sbatch([...commonArgs(o), ...gres, name, `--array=0-${group.length - 1}`, '--output=/dev/null', ...dependency(s), `--wrap=${wrap}`]);
      group.forEach((g, i) => {
        jobOf.set(g.key, `${id}_${i}`);
        submitted.set(g.key, `${id}_${i}`);
        record.jobs[g.key] = { job: `${id}_${i}`, log: logFile(cache, g) };
      });
    }
    for (const g of group) done.add(g.key);
    await save();
  }
  return { submitted, skipped: plan.stages.length - todo.length };
}

/** Two train stages that differ in their seed alone. */
function sameButSeed(a: Stage, b: Stage): boolean {
  const strip = (s: Stage) => JSON.stringify({ ...(s.input.params as object), seed: undefined });
  return strip(a) === strip(b);
}

/** Cancels the grid's queued and running jobs; returns their ids. */
export async function cancelGrid(plan: Plan, cache: StageCache): Promise<string[]> {
  const active = (await gridStatus(plan, cache)).filter((r) => r.status === 'queued' || r.status === 'running').map((r) => r.job!);
  if (active.length) {
    try {
      await run('scancel', active);
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { stderr?: string };
      throw new Error(err.code === 'ENOENT' ? 'scancel not found on PATH' : `scancel failed: ${(err.stderr ?? err.message).trim()}`);
    }
  }
  return active;
}

export interface WaitOptions {
  /** Seconds between two looks at Slurm (default 2). */
  pollSeconds?: number;
  /** Each stage as it finishes or fails. */
  onStage?: (r: StageReport) => void;
}

/** Waits until every stage is finished (true) or one has failed and nothing is queued or running any more (false). */
export async function waitForGrid(plan: Plan, cache: StageCache, o: WaitOptions = {}): Promise<{ ok: boolean; reports: StageReport[] }> {
  const seen = new Map<string, StageStatus>();
  for (;;) {
    const reports = await gridStatus(plan, cache);
    for (const r of reports) {
      const before = seen.get(r.stage.key);
      if ((r.status === 'cached' || r.status === 'failed') && before !== r.status && before !== undefined) o.onStage?.(r);
      seen.set(r.stage.key, r.status);
    }
    if (reports.every((r) => r.status === 'cached')) return { ok: true, reports };
    if (!reports.some((r) => r.status === 'queued' || r.status === 'running')) return { ok: false, reports };
    await new Promise((res) => setTimeout(res, (o.pollSeconds ?? 2) * 1000));
  }
}
