// `anon-impact grid PRESET|SPEC.yaml` runs an experiment grid through the stage cache and writes
// the results CSV, the tables and the figures; `anon-impact reproduce` runs the default grid
// (the analogue of Hukkelås & Lindseth's Table 1 with the traditional methods).
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveAnonymizerParams } from '../anonymize/anonymizer.ts';
import { anonymizeDataset } from '../anonymize/runner.ts';
import { BUDGET_NAMES, type BudgetName } from '../experiments/budgets.ts';
import { defaultCacheDir, StageCache } from '../experiments/cache.ts';
import { planGrid, type Plan } from '../experiments/plan.ts';
import { readResultsCsv } from '../experiments/results-csv.ts';
import { runGrid, type AnonymizeStageRequest } from '../experiments/run-grid.ts';
import { loadGrid, type GridSpec } from '../experiments/spec.ts';
import { parseFormats } from '../report/export.ts';
import { writeGridReport } from '../report/grid-report.ts';
import { parse } from './args.ts';

const presetDir = new URL('../experiments/presets/', import.meta.url).pathname;
const repoRoot = new URL('../..', import.meta.url).pathname;

export function presetNames(): string[] {
  return readdirSync(presetDir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -5))
    .sort();
}

const options = {
  manifest: { type: 'string' },
  preset: { type: 'string' },
  seeds: { type: 'string' },
  'dry-run': { type: 'boolean' },
  concurrency: { type: 'string' },
  workers: { type: 'string' },
  cache: { type: 'string' },
  results: { type: 'string' },
  figures: { type: 'string' },
  format: { type: 'string' },
  'no-figures': { type: 'boolean' },
  backend: { type: 'string' },
} as const;

const help = (cmd: string) => `usage: anon-impact ${cmd === 'grid' ? 'grid PRESET|SPEC.yaml' : 'reproduce'} [options]
  --manifest M         run on this dataset manifest instead of the grid's (default: the embedded synthetic dataset)
  --preset P           compute budget: ${BUDGET_NAMES.join(' | ')} (default: the grid's)
  --seeds 0,1,2        training seeds (default: the grid's)
  --dry-run            list every stage and whether it is cached; run nothing
  --concurrency N      trainings at once (default: cores)
  --workers N          anonymization worker threads (default: cores)
  --cache DIR          stage cache (default: $ANON_IMPACT_CACHE or .cache/stages)
  --results DIR        results folder (default: results): <grid>.csv, <grid>.md, <grid>.html
  --figures DIR        figures folder (default: figures/<grid>); --no-figures to skip
  --format png,svg,pdf figure formats (default: all three)
  --backend B          training backend (tfjs-node-gpu | tfjs-node | wasm | cpu; default: the best available)
${cmd === 'grid' ? `presets: ${presetNames().join(', ')}\n` : ''}A killed run resumes where it stopped when started again with the same arguments.`;

async function resolveGrid(arg: string): Promise<GridSpec> {
  if (existsSync(arg)) return loadGrid(arg);
  const p = join(presetDir, `${arg}.yaml`);
  if (existsSync(p)) return loadGrid(p);
  throw new Error(`no grid spec file or preset named '${arg}' (presets: ${presetNames().join(', ')})`);
}

async function availability(method: string, params: Record<string, unknown>): Promise<string | undefined> {
  try {
    await resolveAnonymizerParams(method, params);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

function printPlan(plan: Plan, cached: Set<string>): void {
  for (const s of plan.stages) console.log(`${cached.has(s.key) ? 'cached ' : 'to run '} ${s.kind.padEnd(9)} ${s.key}  ${s.describe}`);
  for (const c of plan.conditions.filter((x) => x.pending)) console.log(`pending  ${c.label}: ${c.pending}`);
  const todo = plan.stages.filter((s) => !cached.has(s.key)).length;
  console.log(`${plan.stages.length} stages: ${plan.stages.length - todo} cached, ${todo} to run; ${plan.conditions.filter((c) => c.pending).length} condition(s) pending`);
}

export async function runGridCommand(cmd: 'grid' | 'reproduce', argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, options, cmd === 'grid');
  if (values.help) {
    console.log(help(cmd));
    return 0;
  }
  if (cmd === 'grid' && positionals.length !== 1) {
    console.error(help(cmd));
    return 2;
  }
  const grid = await resolveGrid(cmd === 'grid' ? positionals[0]! : 'synth-traditional');
  if (values.preset !== undefined && !(BUDGET_NAMES as readonly string[]).includes(values.preset)) throw new Error(`--preset must be one of ${BUDGET_NAMES.join(', ')}`);
  const seeds = values.seeds?.split(',').map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--seeds: '${s}' is not a non-negative integer`);
    return n;
  });
  const methodStatus = new Map<string, string | undefined>();
  for (const c of grid.conditions) if (c.region !== 'none') methodStatus.set(JSON.stringify([c.method, c.params]), await availability(c.method, c.params));
  const plan = await planGrid(grid, {
    manifest: values.manifest,
    preset: values.preset as BudgetName | undefined,
    seeds,
    methodAvailability: (m, p) => methodStatus.get(JSON.stringify([m, p])),
  });
  const cache = new StageCache(values.cache ?? defaultCacheDir());
  const cached = new Set<string>();
  for (const s of plan.stages) if (await cache.isDone(s.kind, s.key)) cached.add(s.key);
  if (values['dry-run']) {
    printPlan(plan, cached);
    return 0;
  }

  const cores = availableParallelism();
  const concurrency = values.concurrency ? Number(values.concurrency) : cores;
  const workers = values.workers ? Number(values.workers) : cores;
  const resultsDir = resolve(values.results ?? 'results');
  const resultsCsv = join(resultsDir, `${grid.name}.csv`);
  const t0 = Date.now();
  const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0)}s`;
  console.error(`${grid.name}: ${plan.stages.length} stages (${cached.size} cached), cache ${cache.root}`);
  const result = await runGrid(plan, {
    cache,
    concurrency,
    resultsCsv,
    backend: values.backend,
    log: (l) => console.error(l),
    onStage: ({ stage, state, done, total }) => {
      if (state !== 'running') console.error(`[${done}/${total} ${elapsed()}] ${state === 'cached' ? 'cached' : 'done  '} ${stage.describe}`);
    },
    anonymize: async (req: AnonymizeStageRequest) => {
      const r = await anonymizeDataset({ manifest: req.manifest, split: req.split, region: req.region, method: req.method, params: req.params, seed: req.seed, workers, out: req.out, ...req.regionOptions });
      if (!r.complete) throw new Error(`anonymization of ${req.manifest} (${req.region} ${req.method}) is incomplete: ${r.errors.length} error(s)`);
      return { manifest: r.manifest, dataDir: r.out };
    },
  });
  const rows = (await readResultsCsv(resultsCsv).catch(() => [])).filter((r) => r.runId.startsWith(`${grid.name}/`));
  const report = await writeGridReport({
    plan,
    rows,
    outDir: resultsDir,
    figuresDir: values['no-figures'] ? undefined : resolve(values.figures ?? join('figures', grid.name)),
    formats: values.format ? parseFormats(values.format) : undefined,
    root: repoRoot,
  });
  console.log(report.markdown);
  console.error(`${grid.name}: ${result.ran} stage(s) run, ${result.cached} cached, in ${elapsed()}`);
  console.error(`wrote ${resultsCsv}\n${report.files.map((f) => `wrote ${f}`).join('\n')}`);
  return 0;
}

export function run(argv: string[]): Promise<number> {
  return runGridCommand('grid', argv);
}
