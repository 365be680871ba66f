// How much compute a grid spends: the training preset, its overrides, and the size of the
// embedded synthetic dataset. `quick` and `paper` are the trainer's presets as they are;
// `standard` (the main job's default) trains the quick model longer on more data, sized to
// finish the default grid in about a quarter of an hour on two CPU cores.
import type { PresetName } from '../train/presets.ts';

export const BUDGET_NAMES = ['quick', 'standard', 'paper'] as const;
export type BudgetName = (typeof BUDGET_NAMES)[number];

export interface Budget {
  trainPreset: PresetName;
  /** Overrides of the trainer preset, as `anon-impact train` flags take them. */
  steps?: number;
  /** Training steps of the built-in realistic-anonymization generator (`train-generator`). */
  generatorSteps: number;
  synth: { train: number; val: number; width: number; height: number; seed: number };
}

export const BUDGETS: Record<BudgetName, Budget> = {
  quick: { trainPreset: 'quick', generatorSteps: 100, synth: { train: 48, val: 24, width: 512, height: 256, seed: 0 } },
  standard: { trainPreset: 'quick', steps: 500, generatorSteps: 300, synth: { train: 160, val: 48, width: 512, height: 256, seed: 0 } },
  paper: { trainPreset: 'paper', generatorSteps: 20000, synth: { train: 2975, val: 500, width: 2048, height: 1024, seed: 0 } },
};
