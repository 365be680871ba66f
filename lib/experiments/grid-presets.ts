// The grid presets shipped in lib/experiments/presets/*.yaml, found from the package root so that
// the sources (lib/) and the built library (dist/) read the same files, and a grid by preset name
// or spec path. `selectConditions` makes a smaller grid out of a preset (a quick look at a few of
// its conditions) under its own name, so that its results do not mix with the full grid's.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { conditionId, conditionLabel, loadGrid, parseGrid, type GridSpec } from './spec.ts';

/** The anon-impact package root (holding package.json, lib/, results/reference/). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Folder of the preset grid specs. */
export const PRESET_DIR = join(PACKAGE_ROOT, 'lib', 'experiments', 'presets');

/** Names of the preset grids, sorted. */
export function presetNames(): string[] {
  return readdirSync(PRESET_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -5))
    .sort();
}

export interface PresetSummary {
  name: string;
  title: string;
  /** "paper, table" when the preset re-runs a published table or figure. */
  source: string;
  task: string;
  budget: string;
  seeds: number;
  /** Row labels of its conditions, in order. */
  conditions: string[];
}

/** One line per preset: what it re-runs, on which task, with which conditions. */
export async function presetSummaries(): Promise<PresetSummary[]> {
  const out: PresetSummary[] = [];
  for (const name of presetNames()) {
    const g = await loadGrid(join(PRESET_DIR, `${name}.yaml`));
    out.push({ name, title: g.title, source: g.source ? `${g.source.paper}, ${g.source.table}` : '', task: g.task, budget: g.preset, seeds: g.seeds.length, conditions: g.conditions.map(conditionLabel) });
  }
  return out;
}

/** A grid from a spec file path or a preset name (a path that exists wins). */
export async function resolveGrid(nameOrPath: string): Promise<GridSpec> {
  if (existsSync(nameOrPath)) return loadGrid(nameOrPath);
  const p = join(PRESET_DIR, `${nameOrPath}.yaml`);
  if (existsSync(p)) return loadGrid(p);
  throw new Error(`no grid spec file or preset named '${nameOrPath}' (presets: ${presetNames().join(', ')})`);
}

/**
 * The grid with only the conditions whose ids (spec.ts conditionId, e.g. 'none:original',
 * 'body:maskout') are listed, in the grid's order, renamed `name`. Every id must match.
 */
export function selectConditions(grid: GridSpec, ids: readonly string[], name: string): GridSpec {
  const known = grid.conditions.map(conditionId);
  for (const id of ids) if (!known.includes(id)) throw new Error(`grid ${grid.name}: no condition '${id}' (conditions: ${known.join(', ')})`);
  return parseGrid(`${grid.name} -> ${name}`, { ...grid, name, conditions: grid.conditions.filter((c) => ids.includes(conditionId(c))) });
}
