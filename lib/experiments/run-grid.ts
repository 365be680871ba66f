// Runs a planned grid through the stage cache: finished stages are reused, the rest run as soon as
// their dependencies have finished, `concurrency` at a time (schedule(): an anonymization, an
// evaluation and a training can run side by side). Dataset generation, anonymization and
// evaluation run in this process (the anonymizer spreads images over its own workers); trainings
// run as `anon-impact train` child processes, each resuming from its checkpoint when a killed
// grid is started again. Every finished evaluation becomes metric rows in the results CSV.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadManifest } from '../data/manifest.ts';
import { writeSynthDataset } from '../data/synth/write.ts';
import { trainGenerator } from '../anonymize/realistic/train-generator.ts';
import { initBackend, type BackendChoice } from '../nn/runtime/backend.ts';
import { predict } from '../train/predict.ts';
import type { StageCache } from './cache.ts';
import { scorePredictions, type Metrics } from './evaluate-run.ts';
import { PRETRAINED_PREFIX, type MetricRow } from './metric-row.ts';
import { trainerOf, type Plan, type Stage } from './plan.ts';
import { appendResults } from './results-csv.ts';
import { resultMethod, type Task } from './spec.ts';

/** Task names as the results CSV and the reference tables write them. */
export const TASK_NAMES: Record<Task, string> = { semseg: 'semantic-segmentation', instances: 'instance-segmentation', keypoints: 'keypoints' };

export interface AnonymizeStageRequest {
  manifest: string;
  split: string;
  region: 'face' | 'body';
  method: string;
  params: Record<string, unknown>;
  regionOptions: Record<string, unknown>;
  seed: number;
  out: string;
}

export interface GridRunOptions {
  cache: StageCache;
  /** Trainings run at once (default: 2, one per core of the reference machine). */
  concurrency?: number;
  /** The results CSV to append to. */
  resultsCsv: string;
  /** Runs an anonymization stage; returns the manifest of the anonymized copy. */
  anonymize: (req: AnonymizeStageRequest) => Promise<{ manifest: string; dataDir: string }>;
  /** Training backend passed to `anon-impact train` (default: its own choice). */
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

interface DatasetOut {
  manifest: string;
  name: string;
}
interface GeneratorOut {
  dir: string;
}
interface AnonOut {
  manifest: string;
  dataDir: string;
}
interface TrainOut {
  run: string;
}
interface EvalOut {
  metrics: Metrics;
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
const PRIORITY: Record<Stage['kind'], number> = { dataset: 0, generator: 1, anonymize: 2, evaluate: 3, train: 4 };
const PREPARATION: ReadonlySet<Stage['kind']> = new Set(['generator', 'anonymize']);

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
  const byKey = new Map(plan.stages.map((s) => [s.key, s]));
  const out = async <T>(key: string): Promise<T> => {
    const s = byKey.get(key)!;
    const r = await cache.record<T>(s.kind, key);
    if (r === undefined) throw new Error(`stage ${s.describe} has no record`);
    return r;
  };

  const execute = async (stage: Stage, fn: (dir: string) => Promise<unknown>): Promise<void> => {
    if (await cache.isDone(stage.kind, stage.key)) {
      cached++;
      opts.onStage?.({ stage, state: 'cached', done: ++done, total });
      return;
    }
    opts.onStage?.({ stage, state: 'running', done, total });
    const dir = cache.dir(stage.kind, stage.key);
    await mkdir(dir, { recursive: true });
    const output = await fn(dir);
    await cache.finish(stage.kind, stage.key, stage.input, output);
    ran++;
    opts.onStage?.({ stage, state: 'done', done: ++done, total });
  };

  const params = (s: Stage) => s.input.params as Record<string, unknown>;
  // The tfjs backend of this process (generator training, predictions), started once on first need.
  let backendReady: Promise<unknown> | undefined;
  const backend = () => (backendReady ??= initBackend({ backend: opts.backend as BackendChoice | undefined, log }));

  // What each kind of stage does; runStage picks by kind.
  const runners: Record<Stage['kind'], (s: Stage) => Promise<void>> = {
    // datasets: the embedded one generated, a user's manifest used as it is
    dataset: (s) =>
      execute(s, async (dir): Promise<DatasetOut> => {
        if (plan.dataset.kind === 'manifest') {
          const m = await loadManifest(plan.dataset.path);
          return { manifest: plan.dataset.path, name: m.name };
        }
        const data = join(dir, 'data');
        await writeSynthDataset({ out: data, ...plan.dataset.synth });
        return { manifest: join(data, `${plan.dataset.which}.yaml`), name: 'synth' };
      }),
    // built-in generators for realistic methods that name none
    generator: (s) =>
      execute(s, async (dir): Promise<GeneratorOut> => {
        const ds = await out<DatasetOut>(s.deps[0]!);
        const p = params(s);
        const gen = join(dir, 'generator');
        await backend();
        await trainGenerator({ out: gen, manifest: ds.manifest, split: String(p.split), kind: p.region as 'face' | 'body', steps: Number(p.steps), seed: Number(p.seed), log });
        return { dir: gen };
      }),
    // anonymized copies of the training split
    anonymize: (s) =>
      execute(s, async (dir): Promise<AnonOut> => {
        const ds = await out<DatasetOut>(s.deps[0]!);
        const p = params(s);
        const methodParams = { ...(p.params as Record<string, unknown>) };
        const genStage = s.deps.slice(1).find((k) => byKey.get(k)?.kind === 'generator');
        if (genStage) methodParams.generator = `builtin:${(await out<GeneratorOut>(genStage)).dir}`;
        return opts.anonymize({
          manifest: ds.manifest,
          split: String(p.split),
          region: p.region as 'face' | 'body',
          method: String(p.method),
          params: methodParams,
          regionOptions: p.regionOptions as Record<string, unknown>,
          seed: Number(p.seed),
          out: join(dir, 'data'),
        });
      }),
    // trainings, each a child process
    train: (stage) =>
      execute(stage, async (dir): Promise<TrainOut> => {
        const ds = await out<DatasetOut>(stage.deps[0]!);
        const p = params(stage);
        const variant = (p.variant ?? {}) as Record<string, unknown>;
        const args = ['train', '--manifest', ds.manifest, '--task', String(p.task), '--preset', String(p.preset), '--seed', String(p.seed), '--out', join(dir, 'run')];
        if (stage.deps[1]) args.push('--data', (await out<AnonOut>(stage.deps[1])).dataDir);
        if (p.steps !== undefined) args.push('--steps', String(p.steps));
        if (variant.depth !== undefined) args.push('--depth', String(variant.depth));
        if (variant.excludeCategories !== undefined) args.push('--exclude-categories', ([] as string[]).concat(variant.excludeCategories as string[]).join(','));
        if (opts.backend) args.push('--backend', opts.backend);
        await runChild(bin, args, log, (line) => log(`  ${stage.describe}: ${line.slice(line.indexOf(': ') + 2)}`));
        return { run: join(dir, 'run') };
      }),
    // predictions on the original val split, scored
    evaluate: (s) =>
      execute(s, async (dir): Promise<EvalOut> => {
        await backend();
        const ds = await out<DatasetOut>(s.input.inputs[0]!);
        const train = await out<TrainOut>(s.deps[0]!);
        const p = params(s);
        const m = await loadManifest(ds.manifest);
        const pred = await predict({ runDir: train.run, manifest: m, split: String(p.split), outDir: join(dir, 'pred') });
        const metrics = await scorePredictions(m, String(p.split), p.task as Task, { results: pred.results, gt: pred.gt, labelDir: pred.labelDir });
        return { metrics };
      }),
  };
  await schedule(plan.stages, Math.max(1, opts.concurrency ?? 2), (s) => runners[s.kind](s));

  // 6. metric rows
  const rows: MetricRow[] = [];
  const datasetName = (await out<DatasetOut>(plan.stages.find((x) => x.kind === 'dataset')!.key)).name;
  for (const c of plan.conditions) {
    for (const r of c.runs) {
      const ev = await out<EvalOut>(r.evaluate);
      // Runs trained without some categories are another task (supplementary Table 5: instance-segmentation-without-person).
      const excluded = c.condition.variant.excludeCategories;
      const task = TASK_NAMES[plan.grid.task] + (excluded ? `-without-${([] as string[]).concat(excluded as string[]).join('+')}` : '');
      const base = { runId: r.runId, dataset: datasetName, task, region: c.condition.region, method: resultMethod(c.condition), seed: r.seed };
      // stage.json is JSON: an undefined metric (NaN) was stored as null.
      for (const [metric, value] of Object.entries(ev.metrics)) rows.push({ ...base, metric, value: value ?? NaN });
      const depth = c.condition.variant.depth;
      if (depth !== undefined) rows.push({ ...base, metric: 'backbone_depth', value: Number(depth) });
      // what was trained: its steps and, for a head on frozen pretrained weights, which ones
      const trainer = trainerOf(byKey.get(r.train)!);
      rows.push({ ...base, metric: 'train_steps', value: trainer.steps });
      if (trainer.model.pretrained) rows.push({ ...base, metric: `${PRETRAINED_PREFIX}${trainer.model.pretrained}`, value: 1 });
    }
  }
  if (rows.length) await appendResults(opts.resultsCsv, rows);
  const pending = plan.conditions.filter((c) => c.pending).map((c) => `${c.label}: ${c.pending}`);
  if (!existsSync(opts.resultsCsv) && rows.length) throw new Error(`results were not written to ${opts.resultsCsv}`);
  return { rows, ran, cached, pending };
}
