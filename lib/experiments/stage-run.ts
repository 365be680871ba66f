// One stage of a planned grid, run by its key: the unit of work of every executor (the local one,
// which runs stages in this process or as `anon-impact stage run KEY` children, and the Slurm one,
// which submits each as a job). A stage is identified by its content-addressed key; what it needs
// to run is its spec (`<cache>/<kind>/<key>/spec.json`: kind, input, dependencies, and for a
// dataset stage the dataset it makes), written when the grid is planned into the cache; its inputs
// are the records of its dependencies. A stage already finished returns at once; two runs of the
// same key (two executors, a job resubmitted while the first still runs) take the stage's lock in
// turn, so the second finds it finished; the output record is written last, atomically (cache.ts).
import { readFile, readdir } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { anonymizeDataset } from '../anonymize/runner.ts';
import { trainGenerator } from '../anonymize/realistic/train-generator.ts';
import { writeJsonAtomic } from '../data/atomic.ts';
import { loadManifest } from '../data/manifest.ts';
import { writeSynthDataset } from '../data/synth/write.ts';
import type { BackboneDepth } from '../models/backbone.ts';
import type { RegionSelection } from '../regions/selection.ts';
import { initBackend, type BackendChoice, type BackendInfo } from '../nn/runtime/backend.ts';
import { predict } from '../train/predict.ts';
import { getPreset, type PresetName } from '../train/presets.ts';
import { train, type TrainProgress } from '../train/trainer.ts';
import type { StageCache } from './cache.ts';
import { scorePredictions, type Metrics } from './evaluate-run.ts';
import { withFileLock } from './file-lock.ts';
import type { DatasetRef, Plan, Stage, StageKind } from './plan.ts';
import type { Task } from './spec.ts';
import { privacyReport } from '../privacy/privacy-report.ts';
import { privacyMetrics } from './privacy-metrics.ts';

export const STAGE_KINDS: readonly StageKind[] = ['dataset', 'generator', 'anonymize', 'privacy', 'train', 'evaluate'];

/** A stage as the cache keeps it for running by key. */
export interface StageSpec extends Stage {
  /** dataset stages: the dataset they make (the embedded generator's parameters, or a manifest path). */
  dataset?: DatasetRef;
}

export interface DatasetOut {
  manifest: string;
  name: string;
}
export interface GeneratorOut {
  dir: string;
}
export interface AnonOut {
  manifest: string;
  dataDir: string;
}
export interface TrainOut {
  run: string;
}
export interface EvalOut {
  metrics: Metrics;
}
export interface PrivacyOut {
  metrics: Metrics;
}

const SPEC = 'spec.json';

/** Writes the spec of every stage of the plan into the cache (unchanged specs are not rewritten). */
export async function writeStageSpecs(plan: Plan, cache: StageCache): Promise<void> {
  for (const s of plan.stages) {
    const spec: StageSpec = { ...s, ...(s.kind === 'dataset' ? { dataset: plan.dataset } : {}) };
    const file = join(cache.dir(s.kind, s.key), SPEC);
    const text = JSON.stringify(spec, null, 2);
    if ((await readFile(file, 'utf8').catch(() => undefined)) === text) continue;
    await mkdir(cache.dir(s.kind, s.key), { recursive: true });
    await writeJsonAtomic(file, spec, 2);
  }
}

/** The spec of stage `key` in the cache, whatever its kind. */
export async function readStageSpec(cache: StageCache, key: string): Promise<StageSpec> {
  if (!/^[0-9a-f]{8,64}$/.test(key)) throw new Error(`'${key}' is not a stage key (hexadecimal, as grid --dry-run lists them)`);
  for (const kind of STAGE_KINDS) {
    const text = await readFile(join(cache.dir(kind, key), SPEC), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    try {
      return JSON.parse(text) as StageSpec;
    } catch (e) {
      throw new Error(`${join(cache.dir(kind, key), SPEC)}: ${(e as Error).message}`);
    }
  }
  const kinds = (await readdir(cache.root).catch(() => [])).filter((k) => (STAGE_KINDS as readonly string[]).includes(k));
  throw new Error(`no stage ${key} in ${cache.root}${kinds.length ? '' : ' (an empty cache)'}: plan the grid into this cache first (anon-impact grid NAME --cache ${cache.root} --dry-run writes every stage's spec)`);
}

export interface StageRunOptions {
  /** Anonymization worker threads (default: the runner's, one per core). */
  workers?: number;
  /** Training and inference backend (default: the best available). */
  backend?: string;
  log?: (line: string) => void;
  /** Each training step of a train stage. */
  onTrainProgress?: (p: TrainProgress) => void;
}

/** The finished record of a dependency. */
async function depOut<T>(cache: StageCache, kind: StageKind, key: string): Promise<T> {
  const r = await cache.record<T>(kind, key);
  if (r === undefined) throw new Error(`the ${kind} stage ${key} this stage needs has not finished in ${cache.root}`);
  return r;
}

/** The kind of a dependency (its spec names it). */
async function kindOf(cache: StageCache, key: string): Promise<StageKind> {
  return (await readStageSpec(cache, key)).kind;
}

let backendReady: Promise<BackendInfo> | undefined;
const backendOf = (opts: StageRunOptions) => (backendReady ??= initBackend({ backend: opts.backend as BackendChoice | undefined, log: opts.log }));

/** What each kind of stage does, in its folder `dir`; returns the stage's output record. */
async function execute(cache: StageCache, s: StageSpec, dir: string, opts: StageRunOptions): Promise<unknown> {
  const p = s.input.params as Record<string, unknown>;
  const log = opts.log ?? (() => {});
  switch (s.kind) {
    // the embedded dataset generated, a user's manifest used as it is
    case 'dataset': {
      const ds = s.dataset;
      if (!ds) throw new Error(`dataset stage ${s.key}: its spec names no dataset`);
      if (ds.kind === 'manifest') return { manifest: ds.path, name: (await loadManifest(ds.path)).name } satisfies DatasetOut;
      const data = join(dir, 'data');
      await writeSynthDataset({ out: data, ...ds.synth });
      return { manifest: join(data, `${ds.which}.yaml`), name: 'synth' } satisfies DatasetOut;
    }
    // a built-in generator for realistic methods that name none
    case 'generator': {
      const ds = await depOut<DatasetOut>(cache, 'dataset', s.deps[0]!);
      const gen = join(dir, 'generator');
      await backendOf(opts);
      await trainGenerator({ out: gen, manifest: ds.manifest, split: String(p.split), kind: p.region as 'face' | 'body', steps: Number(p.steps), seed: Number(p.seed), log });
      return { dir: gen } satisfies GeneratorOut;
    }
    // an anonymized copy of the training split, complete or an error
    case 'anonymize': {
      const ds = await depOut<DatasetOut>(cache, 'dataset', s.deps[0]!);
      const params = { ...(p.params as Record<string, unknown>) };
      for (const k of s.deps.slice(1)) if ((await kindOf(cache, k)) === 'generator') params.generator = `builtin:${(await depOut<GeneratorOut>(cache, 'generator', k)).dir}`;
      const region = p.region as RegionSelection;
      const r = await anonymizeDataset({ manifest: ds.manifest, split: String(p.split), region, method: String(p.method), params, seed: Number(p.seed), workers: opts.workers, out: join(dir, 'data'), ...(p.regionOptions as Record<string, unknown>) });
      if (!r.complete) throw new Error(`anonymization of ${ds.manifest} (${region} ${String(p.method)}) is incomplete: ${r.errors.length} error(s)`);
      return { manifest: r.manifest, dataDir: r.out } satisfies AnonOut;
    }
    // what an anonymized copy still reveals (lib/privacy), as privacy/... metrics
    case 'privacy': {
      const ds = await depOut<DatasetOut>(cache, 'dataset', s.input.inputs[0]!);
      const anon = await depOut<AnonOut>(cache, 'anonymize', s.deps[0]!);
      await backendOf(opts);
      const report = await privacyReport({ manifest: ds.manifest, split: String(p.split), anonymized: anon.dataDir, region: p.region as 'face' | 'body', maxImages: p.images === undefined ? undefined : Number(p.images) });
      return { metrics: privacyMetrics(report) } satisfies PrivacyOut;
    }
    // a training on the original or on an anonymized copy (the original's annotations)
    case 'train': {
      const ds = await depOut<DatasetOut>(cache, 'dataset', s.deps[0]!);
      const anon = s.deps[1] ? await depOut<AnonOut>(cache, 'anonymize', s.deps[1]) : undefined;
      const variant = (p.variant ?? {}) as Record<string, unknown>;
      const task = String(p.task) as Task;
      const over: Parameters<typeof getPreset>[2] = {};
      if (p.steps !== undefined && p.steps !== null) over.steps = Number(p.steps);
      if (variant.depth !== undefined) over.model = { depth: Number(variant.depth) as BackboneDepth };
      const run = join(dir, 'run');
      await train({
        manifest: await loadManifest(ds.manifest),
        dataDir: anon?.dataDir,
        task,
        excludeCategories: variant.excludeCategories === undefined ? [] : ([] as string[]).concat(variant.excludeCategories as string[]),
        preset: getPreset(String(p.preset) as PresetName, task, over),
        seed: Number(p.seed),
        outDir: run,
        backend: await backendOf(opts),
        log,
        onProgress: opts.onTrainProgress,
      });
      return { run } satisfies TrainOut;
    }
    // predictions on the original val split, scored
    case 'evaluate': {
      const ds = await depOut<DatasetOut>(cache, 'dataset', s.input.inputs[0]!);
      const tr = await depOut<TrainOut>(cache, 'train', s.deps[0]!);
      await backendOf(opts);
      const m = await loadManifest(ds.manifest);
      const pred = await predict({ runDir: tr.run, manifest: m, split: String(p.split), outDir: join(dir, 'pred') });
      return { metrics: await scorePredictions(m, String(p.split), p.task as Task, { results: pred.results, gt: pred.gt, labelDir: pred.labelDir }) } satisfies EvalOut;
    }
  }
}

/** The arguments of the command line that runs stage `key` (after the `anon-impact` launcher): the one
 * entry point of the local executor's training children and of the Slurm executor's jobs. */
export function stageRunArgs(key: string, cacheRoot: string, backend?: string): string[] {
  return ['stage', 'run', key, '--cache', cacheRoot, ...(backend ? ['--backend', backend] : [])];
}

/** How long a second runner of a stage waits for the first to finish (a training can take hours on a cluster). */
const STAGE_LOCK_TIMEOUT_MS = 7 * 24 * 3600 * 1000;

/** Runs stage `spec` (or the stage with that key) unless it has finished; says which. */
export async function runStage(cache: StageCache, spec: StageSpec | string, opts: StageRunOptions = {}): Promise<'cached' | 'ran'> {
  const s = typeof spec === 'string' ? await readStageSpec(cache, spec) : spec;
  if (await cache.isDone(s.kind, s.key)) return 'cached';
  const dir = cache.dir(s.kind, s.key);
  await mkdir(dir, { recursive: true });
  return withFileLock(
    join(dir, 'stage'),
    async () => {
      // another runner may have finished it while this one waited for the lock
      if (await cache.isDone(s.kind, s.key)) return 'cached';
      const output = await execute(cache, s, dir, opts);
      await cache.finish(s.kind, s.key, s.input, output);
      return 'ran';
    },
    { timeoutMs: STAGE_LOCK_TIMEOUT_MS, retryMs: 500 },
  );
}
