// The stage graph of a grid: which datasets to generate, which anonymized copies to make
// (one per region x method x parameters, shared by every seed and task), which models to train
// (one per condition x seed) and which evaluations to run. Pure data: nothing runs here.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { getPreset, type Preset } from '../train/presets.ts';
import { BUDGETS, type Budget, type BudgetName } from './budgets.ts';
import { stageKey, type StageInput } from './cache.ts';
import { realisticPlateProblem } from '../anonymize/realistic/plate-generator.ts';
import { personKind, type RegionSelection } from '../regions/selection.ts';
import { conditionId, conditionLabel, type Condition, type GridSpec } from './spec.ts';

export type StageKind = 'dataset' | 'generator' | 'anonymize' | 'privacy' | 'train' | 'evaluate';

export interface Stage {
  kind: StageKind;
  key: string;
  input: StageInput;
  /** Keys of the stages that must finish first. */
  deps: string[];
  /** One line for --dry-run and progress. */
  describe: string;
}

/** A condition with its runs, or the reason it cannot run yet. */
export interface PlannedCondition {
  condition: Condition;
  id: string;
  label: string;
  pending?: string;
  /** Per seed: the evaluate stage's key (whose output holds the metrics) and the run id
   * (`<grid>/<budget>/<condition>/seed<N>`). */
  runs: { seed: number; runId: string; evaluate: string; train: string }[];
  /** The privacy stage of the condition's anonymized copy (grids with `privacy: true`). */
  privacy?: string;
}

export interface Plan {
  grid: GridSpec;
  /** The compute budget it runs with: part of every run id, so that budgets never overwrite each other's rows. */
  budget: BudgetName;
  dataset: DatasetRef;
  stages: Stage[];
  conditions: PlannedCondition[];
}

export type DatasetRef =
  | { kind: 'embedded'; which: 'synth-cityscapes' | 'synth-coco'; synth: { train: number; val: number; width: number; height: number; seed: number } }
  | { kind: 'manifest'; path: string; identity: string };

export interface PlanOptions {
  /** Override the grid's manifest (a path) — any preset runs on any manifest. */
  manifest?: string;
  preset?: BudgetName;
  seeds?: number[];
  /** Whether a method can run now; a reason string when it cannot (it then shows as pending). */
  methodAvailability: (method: string, params: Record<string, unknown>) => string | undefined;
  /** Seed of the anonymization itself (one anonymized copy shared by every training seed). */
  anonymizationSeed?: number;
}

/** A user manifest's identity in cache keys: its absolute path and content (not the data bytes). */
async function manifestIdentity(path: string): Promise<string> {
  const text = await readFile(path, 'utf8');
  return createHash('sha256').update(resolve(path)).update('\0').update(text).digest('hex').slice(0, 20);
}

export async function datasetRef(grid: GridSpec, opts: Pick<PlanOptions, 'manifest' | 'preset'>): Promise<DatasetRef> {
  const m = opts.manifest ?? grid.manifest;
  const preset = opts.preset ?? grid.preset;
  if (m.startsWith('embedded:')) {
    const which = m.slice('embedded:'.length);
    if (which !== 'synth-cityscapes' && which !== 'synth-coco') throw new Error(`unknown embedded dataset '${m}' (embedded:synth-cityscapes, embedded:synth-coco)`);
    return { kind: 'embedded', which, synth: { ...budgetOf(grid, preset).synth } };
  }
  const path = resolve(m);
  return { kind: 'manifest', path, identity: await manifestIdentity(path) };
}

/** The grid's budget: the named one with the grid's own overrides merged over it. */
export function budgetOf(grid: GridSpec, preset: BudgetName): Budget {
  const b = BUDGETS[preset];
  const o = grid.budget ?? {};
  return { ...b, ...o, synth: { ...b.synth, ...o.synth } };
}

/** Realistic methods whose parameters name no generator use the built-in one, trained by the grid. */
export function needsBuiltinGenerator(method: string, params: Record<string, unknown>): boolean {
  return method.startsWith('realistic') && (params.generator === undefined || params.generator === 'builtin');
}

/**
 * Why a condition's region cannot be anonymized by its method, or undefined: a realistic method
 * needs a generator for licence plates (plate-generator.ts), and the built-in generator is trained
 * for faces or bodies only.
 */
export function regionProblem(c: Pick<Condition, 'method' | 'params'>, region: RegionSelection): string | undefined {
  const plates = realisticPlateProblem(c.method, c.params, region);
  if (plates) return plates;
  if (needsBuiltinGenerator(c.method, c.params) && personKind(region) === undefined) return `${c.method}: the built-in generator is trained for faces or bodies, not for licence plates alone; give params.generator: rerender`;
  return undefined;
}

/** The resolved trainer preset a train stage runs (its key holds it). */
export function trainerOf(stage: Stage): Preset {
  if (stage.kind !== 'train') throw new Error(`stage ${stage.describe} is not a training`);
  return (stage.input.params as { trainer: Preset }).trainer;
}

/** What every run id of a grid run with a budget starts with. */
export function runIdPrefix(grid: string, budget: BudgetName): string {
  return `${grid}/${budget}/`;
}

/** The rows of the plan's own runs: a results file also holds the grid's runs with other seeds or
 * conditions (a notebook's one seed beside the main job's, or a grid's earlier seed list), which
 * must not enter this plan's means and tests. */
export function planRowsOf<R extends { runId: string }>(plan: Plan, rows: readonly R[]): R[] {
  const ids = new Set(plan.conditions.flatMap((c) => c.runs.map((r) => r.runId)));
  return rows.filter((r) => ids.has(r.runId));
}

export async function planGrid(grid: GridSpec, opts: PlanOptions): Promise<Plan> {
  const preset = opts.preset ?? grid.preset;
  const budget = budgetOf(grid, preset);
  const seeds = opts.seeds ?? (budget.seeds !== undefined ? grid.seeds.slice(0, budget.seeds) : grid.seeds);
  const ds = await datasetRef(grid, opts);
  const stages = new Map<string, Stage>();
  const add = (s: Omit<Stage, 'key'>): string => {
    const key = stageKey(s.input);
    if (!stages.has(key)) stages.set(key, { ...s, key });
    return key;
  };

  const datasetInput: StageInput =
    ds.kind === 'embedded'
      ? { kind: 'dataset', inputs: [], params: { embedded: ds.which, synth: ds.synth } }
      : { kind: 'dataset', inputs: [], params: { manifest: ds.identity } };
  const datasetKey = add({
    kind: 'dataset',
    input: datasetInput,
    deps: [],
    describe: ds.kind === 'embedded' ? `generate ${ds.which} (${ds.synth.train} train / ${ds.synth.val} val, ${ds.synth.width}x${ds.synth.height})` : `use ${ds.path}`,
  });

  const conditions: PlannedCondition[] = [];
  for (const c of grid.conditions) {
    const id = conditionId(c);
    const label = conditionLabel(c);
    const planned: PlannedCondition = { condition: c, id, label, runs: [] };
    conditions.push(planned);
    if (c.region !== 'none') {
      const why = regionProblem(c, c.region) ?? opts.methodAvailability(c.method, c.params);
      if (why) {
        planned.pending = why;
        continue;
      }
    }
    let trainData = datasetKey;
    if (c.region !== 'none') {
      // A realistic method without a named generator gets the built-in one, trained on this
      // dataset's training split for this region's person part (one generator shared by every
      // method using it; licence plates have their own generator, regionProblem).
      const anonInputs = [datasetKey];
      const person = personKind(c.region);
      if (needsBuiltinGenerator(c.method, c.params) && person) {
        anonInputs.push(
          add({
            kind: 'generator',
            input: { kind: 'generator', inputs: [datasetKey], params: { region: person, split: 'train', steps: budget.generatorSteps, seed: 0 } },
            deps: [datasetKey],
            describe: `train the built-in ${person} generator (${budget.generatorSteps} steps)`,
          }),
        );
      }
      trainData = add({
        kind: 'anonymize',
        input: {
          kind: 'anonymize',
          inputs: anonInputs,
          params: { split: 'train', region: c.region, method: c.method, params: c.params, regionOptions: c.regionOptions, seed: opts.anonymizationSeed ?? 0 },
        },
        deps: anonInputs,
        describe: `anonymize train split: ${c.region} ${c.method}${Object.keys(c.params).length ? ' ' + JSON.stringify(c.params) : ''}`,
      });
      // what the copy still reveals, over its face or body regions (plates are not measured)
      const measured = c.region.split('+').find((r) => r === 'face' || r === 'body');
      if (grid.privacy && measured) {
        planned.privacy = add({
          kind: 'privacy',
          input: { kind: 'privacy', inputs: [datasetKey, trainData], params: { split: 'train', region: measured, ...(budget.privacyImages ? { images: budget.privacyImages } : {}) } },
          deps: [trainData],
          describe: `privacy figures of the ${label} copy (${measured} regions${budget.privacyImages ? `, ${budget.privacyImages} images` : ''})`,
        });
      }
    }
    for (const seed of seeds) {
      const train = add({
        kind: 'train',
        // `trainer`: the resolved preset, only so that a change of the preset's contents (crops,
        // loss weights, schedule) gives new keys; the stage itself passes preset and steps
        input: { kind: 'train', inputs: [datasetKey, trainData], params: { task: grid.task, preset: budget.trainPreset, steps: budget.steps, seed, variant: c.variant, trainer: getPreset(budget.trainPreset, grid.task, budget.steps === undefined ? {} : { steps: budget.steps }) } },
        deps: trainData === datasetKey ? [datasetKey] : [datasetKey, trainData],
        describe: `train ${grid.task} (${preset}) on ${label}, seed ${seed}${Object.keys(c.variant).length ? ' ' + JSON.stringify(c.variant) : ''}`,
      });
      const evaluate = add({
        kind: 'evaluate',
        input: { kind: 'evaluate', inputs: [datasetKey, train], params: { split: 'val', task: grid.task, variant: c.variant } },
        deps: [train],
        describe: `predict + evaluate on the original val split: ${label}, seed ${seed}`,
      });
      planned.runs.push({ seed, runId: `${runIdPrefix(grid.name, preset)}${id}/seed${seed}`, evaluate, train });
    }
  }
  return { grid, budget: preset, dataset: ds, stages: [...stages.values()], conditions };
}
