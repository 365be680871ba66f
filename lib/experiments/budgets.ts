// How much compute a grid spends: the trainer preset, its overrides, how many of the grid's seeds
// run, and the size of the embedded synthetic dataset. `smoke` trains the trainer's quick model
// for 50 steps on 2 seeds, a smoke run whose models barely learn (it checks that a grid runs end
// to end in a few minutes on two CPU cores; it was called `quick` before, a name it shared with
// the trainer's quick preset, which trains 15 times longer); `standard` (the main job's default) trains it for 550
// steps (instances' quick schedule has 1500) on more data and every seed of the grid, within a
// quarter of an hour for the main job's 3 seeds (README); `paper` uses the trainer's paper preset and
// Cityscapes-sized synthetic images (for a GPU).
import type { PresetName } from '../train/presets.ts';

export const BUDGET_NAMES = ['smoke', 'standard', 'paper'] as const;
export type BudgetName = (typeof BUDGET_NAMES)[number];

export interface Budget {
  trainPreset: PresetName;
  /** Overrides of the trainer preset, as `anon-impact train` flags take them. */
  steps?: number;
  /** At most this many of the grid's seeds (its first ones); absent: all. */
  seeds?: number;
  /** Training steps of the built-in realistic-anonymization generator (`train-generator`). */
  generatorSteps: number;
  /** Grids with `privacy: true`: images measured per anonymized copy (evenly spaced in the
   * training split; `anon-impact privacy --max-images`); absent: all of them. */
  privacyImages?: number;
  synth: { train: number; val: number; width: number; height: number; seed: number };
  /** Said before a grid runs with this budget and under its table: what its numbers can show. */
  warning?: string;
}

export const BUDGETS: Record<BudgetName, Budget> = {
  smoke: { trainPreset: 'quick', steps: 50, seeds: 2, generatorSteps: 50, privacyImages: 4, warning: 'the smoke budget is a smoke run: 50 training steps on 48 images teach the models too little for their differences to mean anything (use --budget standard)', synth: { train: 48, val: 16, width: 512, height: 256, seed: 0 } },
  standard: { trainPreset: 'quick', steps: 550, generatorSteps: 200, privacyImages: 16, synth: { train: 160, val: 48, width: 512, height: 256, seed: 0 } },
  paper: { trainPreset: 'paper', generatorSteps: 20000, synth: { train: 2975, val: 500, width: 2048, height: 1024, seed: 0 } },
};

/** The budget `name`, or an error that lists the budgets (and says what became of `quick`). */
export function budgetName(name: string, where: string): BudgetName {
  if ((BUDGET_NAMES as readonly string[]).includes(name)) return name as BudgetName;
  if (name === 'quick') throw new Error(`${where}: the grid budget 'quick' is now called 'smoke' (50 training steps, a smoke run); 'standard' trains the trainer's quick preset for 550 steps`);
  throw new Error(`${where}: unknown budget '${name}' (${BUDGET_NAMES.join(', ')})`);
}
