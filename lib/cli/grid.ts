// `anon-impact grid PRESET|SPEC.yaml` runs an experiment grid through the stage cache and writes
// the results CSV, the tables and the figures; `anon-impact reproduce` runs the default grid
// (the analogue of Hukkelås & Lindseth's Table 1 with the traditional methods).
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { BUDGET_NAMES, budgetName } from '../experiments/budgets.ts';
import { defaultCacheDir, StageCache } from '../experiments/cache.ts';
import { cachedStages, planGridJob, runGridJob, stageProgress, writeGridResults } from '../experiments/grid-job.ts';
import { cancelGrid, gridStatus, submitGrid, waitForGrid, type StageReport } from '../experiments/slurm-executor.ts';
import { writeStageSpecs } from '../experiments/stage-run.ts';
import { PACKAGE_ROOT, presetNames, resolveGrid } from '../experiments/grid-presets.ts';
import { budgetOf, type Plan } from '../experiments/plan.ts';
import { parseFormats } from '../report/export.ts';
import { writeGridReport } from '../report/grid-report.ts';
import { int, parse } from './args.ts';

export { presetNames };

const options = {
  manifest: { type: 'string' },
  budget: { type: 'string' },
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
  executor: { type: 'string' },
  partition: { type: 'string' },
  'gpus-per-train': { type: 'string' },
  'cpus-per-task': { type: 'string' },
  time: { type: 'string' },
  'sbatch-args': { type: 'string' },
  wait: { type: 'boolean' },
  status: { type: 'boolean' },
  cancel: { type: 'boolean' },
  report: { type: 'boolean' },
} as const;

const help = (cmd: string) => `usage: anon-impact ${cmd === 'grid' ? 'grid PRESET|SPEC.yaml' : 'reproduce'} [options]
  --manifest M         run on this dataset manifest instead of the grid's (default: the embedded synthetic dataset)
  --budget B           compute budget: ${BUDGET_NAMES.join(' | ')} (default: the grid's; --preset B is the same);
                       smoke: 50 steps, checks that the grid runs; standard: the trainer's quick
                       preset for 550 steps (the main job); paper: the trainer's paper preset (GPU)
  --seeds 0,1,2        training seeds (default: the grid's)
  --dry-run            list every stage and whether it is cached; run nothing
  --concurrency N      stages at once, each as soon as its inputs are done (default: cores)
  --workers N          anonymization worker threads (default: cores)
  --cache DIR          stage cache (default: $ANON_IMPACT_CACHE or .cache/stages)
  --results DIR        results folder (default: results): <grid>.csv, <grid>.md, <grid>.html
  --figures DIR        figures folder (default: figures/<grid>); --no-figures to skip
  --format png,svg,pdf figure formats (default: all three)
  --backend B          training backend (tfjs-node-gpu | tfjs-node | wasm | cpu; default: the best available)
  --executor E         local (default: stages run on this machine) | slurm (every stage not cached
                       becomes an sbatch job, with afterok dependencies along the plan; the cache
                       folder must be shared with the nodes; docs/cluster.md)
  slurm:
  --partition P, --gpus-per-train N, --cpus-per-task N, --time T, --sbatch-args "..."
                       passed to sbatch (--gres=gpu:N for training jobs)
  --wait               block until the grid is done, printing each stage as it finishes; then
                       write the results and report (exit 1 if a stage failed)
  --status             every stage: cached | queued | running | failed (log, exit code) | not submitted
  --cancel             cancel the grid's queued and running jobs
  --report             write the results CSV and report once every stage is cached (any executor)
${cmd === 'grid' ? `presets: ${presetNames().join(', ')}\n` : ''}A killed run resumes where it stopped when started again with the same arguments.`;

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
  if (values.budget !== undefined && values.preset !== undefined && values.budget !== values.preset) throw new Error(`--budget ${values.budget} and --preset ${values.preset} disagree (they are the same option)`);
  const given = values.budget ?? values.preset;
  const budget = given === undefined ? undefined : budgetName(given, values.budget !== undefined ? '--budget' : '--preset');
  const seeds = values.seeds?.split(',').map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--seeds: '${s}' is not a non-negative integer`);
    return n;
  });
  const plan = await planGridJob(grid, { manifest: values.manifest, preset: budget, seeds });
  const cache = new StageCache(values.cache ?? defaultCacheDir());
  const cached = await cachedStages(plan, cache);
  if (values['dry-run']) {
    // the specs too, so that `stage run KEY` can run any listed stage
    await writeStageSpecs(plan, cache);
    printPlan(plan, cached);
    return 0;
  }
  const executor = values.executor ?? 'local';
  if (executor !== 'local' && executor !== 'slurm') throw new Error(`--executor must be local or slurm, got '${executor}'`);
  const resultsDirOf = () => resolve(values.results ?? 'results');
  const writeReport = async (rows: Awaited<ReturnType<typeof writeGridResults>>) => {
    const report = await writeGridReport({
      plan,
      rows,
      outDir: resultsDirOf(),
      figuresDir: values['no-figures'] ? undefined : resolve(values.figures ?? join('figures', grid.name)),
      formats: values.format ? parseFormats(values.format) : undefined,
      root: PACKAGE_ROOT,
    });
    console.log(report.markdown);
    console.error(`wrote ${join(resultsDirOf(), `${grid.name}.csv`)}\n${report.files.map((f) => `wrote ${f}`).join('\n')}`);
  };
  if (values.report) {
    const missing = plan.stages.filter((st) => !cached.has(st.key));
    if (missing.length) throw new Error(`--report: ${missing.length} of ${plan.stages.length} stages have not finished in ${cache.root} (first: ${missing[0]!.describe}); see --status`);
    await writeReport(await writeGridResults(plan, cache, join(resultsDirOf(), `${grid.name}.csv`)));
    return 0;
  }
  if (values.status || values.cancel || executor === 'slurm') return slurmCommand(plan, cache, values, writeReport);

  const cores = availableParallelism();
  const concurrency = values.concurrency ? Number(values.concurrency) : cores;
  const workers = values.workers ? Number(values.workers) : cores;
  const resultsDir = resolve(values.results ?? 'results');
  const resultsCsv = join(resultsDir, `${grid.name}.csv`);
  const t0 = Date.now();
  const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0)}s`;
  console.error(`${grid.name}: ${plan.stages.length} stages (${cached.size} cached), cache ${cache.root}`);
  const warning = budgetOf(grid, plan.budget).warning;
  if (warning) console.error(`warning: ${warning}`);
  const result = await runGridJob(plan, {
    cache,
    concurrency,
    workers,
    resultsCsv,
    backend: values.backend,
    log: (l) => console.error(l),
    onStage: stageProgress((l) => console.error(l), t0),
  });
  await writeReport(result.gridRows);
  console.error(`${grid.name}: ${result.ran} stage(s) run, ${result.cached} cached, in ${elapsed()}`);
  return 0;
}

type Values = ReturnType<typeof parse<typeof options>>['values'];

/** --status, --cancel and --executor slurm (submit, and with --wait follow to the end). */
async function slurmCommand(plan: Plan, cache: StageCache, values: Values, writeReport: (rows: Awaited<ReturnType<typeof writeGridResults>>) => Promise<void>): Promise<number> {
  const line = (r: StageReport) =>
    `${r.status.padEnd(13)} ${r.stage.kind.padEnd(9)} ${r.stage.key}  ${r.stage.describe}${r.job ? `  [job ${r.job}]` : ''}${r.status === 'failed' ? `  ${r.slurmState}${r.exitCode ? ` exit ${r.exitCode}` : ''}, log ${r.log}` : ''}`;
  if (values.status) {
    const reports = await gridStatus(plan, cache);
    for (const r of reports) console.log(line(r));
    const count = (st: string) => reports.filter((r) => r.status === st).length;
    console.log(`${reports.length} stages: ${count('cached')} cached, ${count('queued')} queued, ${count('running')} running, ${count('failed')} failed, ${count('not submitted')} not submitted`);
    return 0;
  }
  if (values.cancel) {
    const ids = await cancelGrid(plan, cache);
    console.log(ids.length ? `cancelled ${ids.length} job(s): ${ids.join(' ')}` : 'no queued or running jobs');
    return 0;
  }
  const count = (name: 'gpus-per-train' | 'cpus-per-task') => (values[name] === undefined ? undefined : int(values, name, 1, 1, 1024));
  const sub = await submitGrid(plan, cache, {
    partition: values.partition,
    gpusPerTrain: count('gpus-per-train'),
    cpusPerTask: count('cpus-per-task'),
    time: values.time,
    sbatchArgs: values['sbatch-args'] ? values['sbatch-args'].trim().split(/\s+/) : undefined,
    backend: values.backend,
  });
  const byKey = new Map(plan.stages.map((st) => [st.key, st]));
  for (const [key, job] of sub.submitted) console.log(`submitted ${job}  ${byKey.get(key)!.kind.padEnd(9)} ${key}  ${byKey.get(key)!.describe}`);
  console.error(`${plan.grid.name}: ${sub.submitted.size} stage(s) submitted, ${sub.skipped} finished or already queued; logs in ${join(cache.root, 'slurm', 'logs')}`);
  if (!values.wait) return 0;
  const t0 = Date.now();
  const done = await waitForGrid(plan, cache, { onStage: (r) => console.error(`[${((Date.now() - t0) / 1000).toFixed(0)}s] ${line(r)}`) });
  if (!done.ok) {
    const failed = done.reports.filter((r) => r.status === 'failed');
    console.error(`${plan.grid.name}: ${failed.length} stage(s) failed:\n${failed.map(line).join('\n')}`);
    return 1;
  }
  await writeReport(await writeGridResults(plan, cache, join(resolve(values.results ?? 'results'), `${plan.grid.name}.csv`)));
  return 0;
}

export function run(argv: string[]): Promise<number> {
  return runGridCommand('grid', argv);
}
