// The local executor: runs a planned grid through the stage cache on this machine. Finished stages
// are reused, the rest run as soon as their dependencies have finished, `concurrency` at a time
// (schedule(): an anonymization, an evaluation and a training can run side by side). Every stage
// runs by its key through stage-run.ts, the entry point the Slurm executor's jobs use too: dataset
// generation and anonymization in this process (the anonymizer spreads images over its own
// workers), trainings (each resuming from its checkpoint when a killed grid is started again),
// evaluations and privacy measurements as `anon-impact stage run KEY` child processes. Every
// finished evaluation becomes metric rows in the results CSV (gridRows()).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { StageCache } from './cache.ts';
import { PRETRAINED_PREFIX, type MetricRow } from './metric-row.ts';
import { trainerOf, type Plan, type Stage } from './plan.ts';
import { appendResults } from './results-csv.ts';
import { resultMethod, type Task } from './spec.ts';
import { runStage, stageRunArgs, writeStageSpecs, type DatasetOut, type EvalOut, type PrivacyOut } from './stage-run.ts';

/** Task names as the results CSV and the reference tables write them. */
export const TASK_NAMES: Record<Task, string> = { semseg: 'semantic-segmentation', instances: 'instance-segmentation', keypoints: 'keypoints' };

export interface GridRunOptions {
  cache: StageCache;
  /** Trainings run at once (default: 2, one per core of the reference machine). */
  concurrency?: number;
  /** The results CSV to append to. */
  resultsCsv: string;
  /** Anonymization worker threads (default: the runner's, one per core). */
  workers?: number;
  /** Training and inference backend (default: the best available). */
  backend?: string;
  log?: (line: string) => void;
  /** Called when a stage starts, finishes or is found cached. */
  onStage?: (event: { stage: Stage; state: 'cached' | 'running' | 'done'; done: number; total: number }) => void;
  /** The CLI launcher (default: this package's bin/anon-impact.js). */
  bin?: string;
}

export interface GridRunResult {
  rows: MetricRow[];
  ran: number;
  cached: number;
  pending: string[];
}


const defaultBin = new URL('../../bin/anon-impact.js', import.meta.url).pathname;

/** Seconds between two progress lines of one training child passed on to the grid's log. */
const CHILD_PROGRESS_EVERY_S = 15;

/** Runs the CLI in a child process; its progress lines (`label: done/total ... ETA ...`, one every
 * few seconds with CI set) go to `progress`, at most one per CHILD_PROGRESS_EVERY_S. */
function runChild(bin: string, args: string[], log: (l: string) => void, progress?: (line: string) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: process.env.CI ?? '1' } });
    let tail = '';
    let partial = '';
    let last = 0;
    const keep = (b: Buffer) => {
      tail = (tail + b.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.stderr.on('data', (b: Buffer) => {
      if (!progress) return;
      const lines = (partial + b.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) {
        if (!/: \d+\/\d+ .* ETA /.test(l) || Date.now() - last < CHILD_PROGRESS_EVERY_S * 1000) continue;
        last = Date.now();
        progress(l);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) return resolvePromise();
      log(tail);
      reject(new Error(`anon-impact ${args[0]} failed (${signal ?? `exit ${code}`}): ${tail.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

/** Which ready stage starts first: the long chains (generator -> anonymization -> trainings) early. */
const PRIORITY: Record<Stage['kind'], number> = { dataset: 0, generator: 1, anonymize: 2, evaluate: 3, train: 4, privacy: 5 };
const PREPARATION: ReadonlySet<Stage['kind']> = new Set(['generator', 'anonymize']);
/** Stages that run as `anon-impact stage run KEY` child processes. */
const CHILD_STAGES: ReadonlySet<Stage['kind']> = new Set(['train', 'evaluate', 'privacy']);

/**
 * Runs every stage once all its dependencies have finished, at most `slots` at a time (a stage
 * in this process and a training child process take one slot each; at most one preparation
 * stage at a time when there are several slots), ready stages by PRIORITY then plan order. After a failure no new stage starts; the running ones finish, then the first error
 * is thrown.
 */
export async function schedule(stages: readonly Stage[], slots: number, run: (s: Stage) => Promise<void>): Promise<void> {
  const waiting = [...stages];
  const done = new Set<string>();
  const running = new Map<string, Promise<void>>();
  const known = new Set(stages.map((s) => s.key));
  const kindOf = new Map(stages.map((s) => [s.key, s.kind]));
  let failure: unknown;
  for (const s of stages) for (const d of s.deps) if (!known.has(d)) throw new Error(`stage ${s.describe} depends on a stage not in the plan`);
  while (waiting.length || running.size) {
    if (failure === undefined) {
      const ready = waiting.filter((s) => s.deps.every((d) => done.has(d))).sort((a, b) => PRIORITY[a.kind] - PRIORITY[b.kind]);
      for (const s of ready) {
        if (running.size >= slots) break;
        // one preparation stage (generator, anonymization) at a time, so that with two slots the
        // other trains from the start instead of waiting for every anonymized copy
        if (PREPARATION.has(s.kind) && slots > 1 && [...running.keys()].some((k) => PREPARATION.has(kindOf.get(k)!))) continue;
        waiting.splice(waiting.indexOf(s), 1);
        running.set(
          s.key,
          run(s).then(
            () => {
              done.add(s.key);
              running.delete(s.key);
            },
            (e: unknown) => {
              failure ??= e;
              running.delete(s.key);
            },
          ),
        );
      }
    }
    if (!running.size) break;
    await Promise.race(running.values());
  }
  if (failure !== undefined) throw failure;
  if (waiting.length) throw new Error(`${waiting.length} stage(s) could not run: ${waiting[0].describe} waits on a stage that never finished`);
}

export async function runGrid(plan: Plan, opts: GridRunOptions): Promise<GridRunResult> {
  const { cache } = opts;
  const log = opts.log ?? (() => {});
  const bin = opts.bin ?? defaultBin;
  const total = plan.stages.length;
  let done = 0;
  let ran = 0;
  let cached = 0;
  // every stage runs by its key, from the spec the cache holds (stage-run.ts)
  await writeStageSpecs(plan, cache);
  const stageOptions = { workers: opts.workers, backend: opts.backend, log };
  const run = async (stage: Stage): Promise<void> => {
    if (await cache.isDone(stage.kind, stage.key)) {
      cached++;
      opts.onStage?.({ stage, state: 'cached', done: ++done, total });
      return;
    }
    opts.onStage?.({ stage, state: 'running', done, total });
    // trainings, evaluations and privacy measurements in child processes (one core each, side by
    // side: two stages in this process would take turns on its one thread, and two trainings
    // often finish together); dataset generation and anonymization (its own workers) in this process
    if (CHILD_STAGES.has(stage.kind)) {
      await runChild(bin, stageRunArgs(stage.key, cache.root, opts.backend), log, (line) => log(`  ${stage.describe}: ${line.slice(line.indexOf(': ') + 2)}`));
    } else await runStage(cache, stage.key, stageOptions);
    ran++;
    opts.onStage?.({ stage, state: 'done', done: ++done, total });
  };
  await schedule(plan.stages, Math.max(1, opts.concurrency ?? 2), run);

  const rows = await metricRows(plan, cache);
  if (rows.length) await appendResults(opts.resultsCsv, rows);
  const pending = plan.conditions.filter((c) => c.pending).map((c) => `${c.label}: ${c.pending}`);
  if (!existsSync(opts.resultsCsv) && rows.length) throw new Error(`results were not written to ${opts.resultsCsv}`);
  return { rows, ran, cached, pending };
}

/** The metric rows of a grid whose evaluations have all finished in the cache: one per metric of each run, plus its parameters (train_steps, pretrained/<encoder>, backbone_depth). */
export async function metricRows(plan: Plan, cache: StageCache): Promise<MetricRow[]> {
  const byKey = new Map(plan.stages.map((s) => [s.key, s]));
  const out = async <T>(key: string): Promise<T> => {
    const s = byKey.get(key)!;
    const r = await cache.record<T>(s.kind, key);
    if (r === undefined) throw new Error(`stage ${s.describe} has not finished in ${cache.root}`);
    return r;
  };
  const rows: MetricRow[] = [];
  const datasetName = (await out<DatasetOut>(plan.stages.find((x) => x.kind === 'dataset')!.key)).name;
  for (const c of plan.conditions) {
    for (const r of c.runs) {
      const ev = await out<EvalOut>(r.evaluate);
      // Runs trained without some categories are another task (supplementary Table 5: instance-segmentation-without-person).
      const excluded = c.condition.variant.excludeCategories;
      const task = TASK_NAMES[plan.grid.task] + (excluded ? `-without-${([] as string[]).concat(excluded as string[]).join('+')}` : '');
      // what was trained: its budget and trainer preset (columns), its steps and, for a head on pretrained weights, which ones (rows)
      const trainer = trainerOf(byKey.get(r.train)!);
      const base = { runId: r.runId, dataset: datasetName, task, region: c.condition.region, method: resultMethod(c.condition), seed: r.seed, budget: plan.budget, trainer: trainer.name };
      // stage.json is JSON: an undefined metric (NaN) was stored as null.
      for (const [metric, value] of Object.entries(ev.metrics)) rows.push({ ...base, metric, value: value ?? NaN });
      const depth = c.condition.variant.depth;
      if (depth !== undefined) rows.push({ ...base, metric: 'backbone_depth', value: Number(depth) });
      // what the copy it trained on still reveals: the copy's figures, the same for each of its runs
      if (c.privacy) for (const [metric, value] of Object.entries((await out<PrivacyOut>(c.privacy)).metrics)) rows.push({ ...base, metric, value: value ?? NaN });
      rows.push({ ...base, metric: 'train_steps', value: trainer.steps });
      if (trainer.model.pretrained) rows.push({ ...base, metric: `${PRETRAINED_PREFIX}${trainer.model.pretrained}`, value: 1 });
    }
  }
  return rows;
}
