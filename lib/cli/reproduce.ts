// `anon-impact reproduce`: the main job, the default grid (lib/experiments/presets/synth-traditional.yaml).
import { runGridCommand } from './grid.ts';

export function run(argv: string[]): Promise<number> {
  return runGridCommand('reproduce', argv);
}
