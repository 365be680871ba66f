// A grid as the `grid` and `reproduce` commands and the notebooks run it: the plan, with every
// anonymization method checked for availability (a method that cannot run shows as pending; a
// realistic method that names no generator gets the built-in one the grid trains),
// then runGrid through the stage cache with anonymization stages done by the dataset runner
// (lib/anonymize/runner.ts), and the grid's rows read back from the results CSV.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveAnonymizerParams } from '../anonymize/anonymizer.ts';
import type { BudgetName } from './budgets.ts';
import type { StageCache } from './cache.ts';
import type { MetricRow } from './metric-row.ts';
import { needsBuiltinGenerator, planGrid, planRowsOf, type Plan, type Stage } from './plan.ts';
import { readResultsCsv } from './results-csv.ts';
import { metricRows, runGrid, type GridRunResult } from './run-grid.ts';
import { appendResults } from './results-csv.ts';
import type { GridSpec } from './spec.ts';

export interface GridJobPlanOptions {
  /** Run on this dataset manifest instead of the grid's. */
  manifest?: string;
  /** Compute budget (default: the grid's). */
  preset?: BudgetName;
  /** Training seeds (default: the grid's). */
  seeds?: readonly number[];
}

/** Why a method cannot run with these parameters in a grid, or undefined when it can. */
export async function methodUnavailable(method: string, params: Record<string, unknown>): Promise<string | undefined> {
  try {
    // the grid trains the built-in generator for a realistic method that names none (plan.ts)
    await resolveAnonymizerParams(method, needsBuiltinGenerator(method, params) ? { ...params, generator: 'builtin:(trained by the grid)' } : params);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The grid's plan, every anonymization method checked first. */
export async function planGridJob(grid: GridSpec, opts: GridJobPlanOptions = {}): Promise<Plan> {
  const status = new Map<string, string | undefined>();
  const key = (m: string, p: Record<string, unknown>) => JSON.stringify([m, p]);
  // The grid trains the built-in generator where a realistic method names none: check the rest.
  const checked = (m: string, p: Record<string, unknown>) => (needsBuiltinGenerator(m, p) ? { ...p, generator: 'builtin:(trained by the grid)' } : p);
  for (const c of grid.conditions) if (c.region !== 'none') status.set(key(c.method, c.params), await methodUnavailable(c.method, checked(c.method, c.params)));
  return planGrid(grid, {
    manifest: opts.manifest,
    preset: opts.preset,
    seeds: opts.seeds ? [...opts.seeds] : undefined,
    methodAvailability: (m, p) => status.get(key(m, p)),
  });
}

/** Keys of the plan's stages that the cache holds finished. */
export async function cachedStages(plan: Plan, cache: StageCache): Promise<Set<string>> {
  const done = new Set<string>();
  for (const s of plan.stages) if (await cache.isDone(s.kind, s.key)) done.add(s.key);
  return done;
}

/** One record per stage: kind, cached or to run, what it does (the dry run as a table). */
export function planRows(plan: Plan, cached: ReadonlySet<string>): { stage: number; kind: string; status: 'cached' | 'to run'; what: string }[] {
  return plan.stages.map((s, i) => ({ stage: i + 1, kind: s.kind, status: cached.has(s.key) ? 'cached' : 'to run', what: s.describe }));
}

export type StageEvent = { stage: Stage; state: 'cached' | 'running' | 'done'; done: number; total: number };

/** An onStage callback writing one line per finished or cached stage: "[3/7 12s] done   train ...",
 * and after a finished stage the time the rest may take at the pace so far ("ETA 95s"). */
export function stageProgress(write: (line: string) => void, start = Date.now()): (e: StageEvent) => void {
  let cached = 0;
  return ({ stage, state, done, total }) => {
    if (state === 'running') return;
    if (state === 'cached') cached++;
    const s = (Date.now() - start) / 1000;
    const ran = done - cached;
    const eta = state === 'done' && done < total ? `, ETA ${((s / ran) * (total - done)).toFixed(0)}s` : '';
    write(`[${done}/${total} ${s.toFixed(0)}s${eta}] ${state === 'cached' ? 'cached' : 'done  '} ${stage.describe}`);
  };
}

/** The manifest of the dataset a grid runs on (its dataset stage must have run). */
export async function gridManifest(plan: Plan, cache: StageCache): Promise<string> {
  const s = plan.stages.find((x) => x.kind === 'dataset');
  if (!s) throw new Error(`grid ${plan.grid.name}: the plan has no dataset stage`);
  const r = await cache.record<{ manifest: string }>(s.kind, s.key);
  if (!r) throw new Error(`grid ${plan.grid.name}: its dataset stage (${s.describe}) has not run yet in ${cache.root}`);
  return r.manifest;
}

/** Where a grid run's predictions on the val split are (its evaluate stage's `pred` folder), for the runs whose evaluation is done. */
export async function gridPredictions(plan: Plan, cache: StageCache): Promise<{ condition: string; label: string; seed: number; runId: string; pred: string }[]> {
  const out = [];
  for (const c of plan.conditions) {
    for (const r of c.runs) if (await cache.isDone('evaluate', r.evaluate)) out.push({ condition: c.id, label: c.label, seed: r.seed, runId: r.runId, pred: join(cache.dir('evaluate', r.evaluate), 'pred') });
  }
  return out;
}

export interface GridJobOptions {
  cache: StageCache;
  /** The results CSV the metric rows are merged into. */
  resultsCsv: string;
  /** Trainings at once (default 2). */
  concurrency?: number;
  /** Anonymization worker threads (default: the runner's, one per core). */
  workers?: number;
  /** Training backend (default: the trainer's choice). */
  backend?: string;
  log?: (line: string) => void;
  onStage?: (event: StageEvent) => void;
}

export interface GridJobResult extends GridRunResult {
  /** Every row of this grid and budget in the results CSV (its run ids start with '<grid name>/<budget>/'),
   * including seeds run earlier into the same file. */
  gridRows: MetricRow[];
  seconds: number;
}

/**
 * The launcher of the training child processes for code loaded from `moduleUrl`: from the built
 * library (a .js module) the built command line (dist/cli/launch.js), so that a notebook's grid
 * trains with the same build it predicts with; from the sources, runGrid's default (bin/anon-impact.js).
 */
export function childLauncher(moduleUrl: string = import.meta.url): string | undefined {
  return moduleUrl.endsWith('.js') ? fileURLToPath(new URL('../cli/launch.js', moduleUrl)) : undefined;
}

/** Runs the plan through the cache; returns what ran and the grid's rows. */
export async function runGridJob(plan: Plan, opts: GridJobOptions): Promise<GridJobResult> {
  const t0 = Date.now();
  const result = await runGrid(plan, {
    cache: opts.cache,
    concurrency: opts.concurrency,
    resultsCsv: opts.resultsCsv,
    backend: opts.backend,
    log: opts.log,
    onStage: opts.onStage,
    bin: childLauncher(),
    // one anonymization worker by default: stages run side by side (run-grid.ts schedule())
    workers: opts.workers ?? 1,
  });
  return { ...result, gridRows: await gridRowsIn(opts.resultsCsv, plan), seconds: (Date.now() - t0) / 1000 };
}

/** The rows of this plan's runs in a results CSV (none when it does not exist). */
async function gridRowsIn(resultsCsv: string, plan: Plan): Promise<MetricRow[]> {
  const all = await readResultsCsv(resultsCsv).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [] as MetricRow[];
    throw e;
  });
  return planRowsOf(plan, all);
}

/** For a grid whose stages have all finished in the cache (by any executor): its metric rows merged
 * into the results CSV, and the rows of the plan's runs the file then holds. */
export async function writeGridResults(plan: Plan, cache: StageCache, resultsCsv: string): Promise<MetricRow[]> {
  const rows = await metricRows(plan, cache);
  if (rows.length) await appendResults(resultsCsv, rows);
  return gridRowsIn(resultsCsv, plan);
}
