// Experiment grids: a YAML spec naming the dataset manifest, the task, the model preset, the
// (region x method) conditions and the seeds. Presets for the published tables live in
// lib/experiments/presets/*.yaml and use the same schema.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { budgetName } from './budgets.ts';
import { z } from 'zod';
import { REGION_SELECTIONS } from '../regions/selection.ts';

export const TASKS = ['semseg', 'instances', 'keypoints'] as const;
export type Task = (typeof TASKS)[number];

const conditionSchema = z
  .object({
    /** What is anonymized: nothing (the original dataset), faces, whole bodies, licence plates,
     *  or faces or bodies with the plates ('face+plate', 'body+plate'; lib/regions/selection.ts). */
    region: z.enum(['none', ...REGION_SELECTIONS]),
    /** Anonymization method; `original` with region `none`. */
    method: z.string().min(1),
    /** Method parameters (merged over the method's defaults). */
    params: z.record(z.string(), z.unknown()).default({}),
    /** Region options (dilation, minSize, categories, ...). */
    regionOptions: z.record(z.string(), z.unknown()).default({}),
    /** Row label as the paper prints it (default: derived from region and method). */
    label: z.string().optional(),
    /** The `method` column of this condition's result rows (default: `method`), to tell apart
     *  conditions of one method with different parameters (e.g. realistic-truncation-none). */
    name: z.string().regex(/^[A-Za-z0-9+._-]+$/).optional(),
    /** How the published table names this row, when it differs (for the paper-vs-ours table). */
    reference: z.object({ region: z.string().optional(), method: z.string().optional() }).strict().optional(),
    /** Training variant of this condition (model depth, categories left out, ...). */
    variant: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])).default({}),
  })
  .strict()
  .refine((c) => (c.region === 'none') === (c.method === 'original'), { message: "region 'none' goes with method 'original' and only with it" });

export const gridSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._-]+$/),
    title: z.string(),
    /** The published table this grid re-runs. */
    source: z.object({ paper: z.string(), table: z.string(), reference: z.string().optional() }).strict().optional(),
    /** Manifest path (relative to the repository) or `embedded:synth-cityscapes` / `embedded:synth-coco`. */
    manifest: z.string().default('embedded:synth-cityscapes'),
    task: z.enum(TASKS),
    /** Compute budget (lib/experiments/budgets.ts): smoke | standard | paper. */
    preset: z.string().default('smoke').transform((v, ctx) => {
      try {
        return budgetName(v, 'preset');
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
        return z.NEVER;
      }
    }),
    seeds: z.array(z.number().int().min(0)).min(1),
    /** Metrics shown in the table, in order (all computed metrics are kept in the CSV). */
    metrics: z.array(z.string()).min(1),
    /** Statistical tests against the original condition; the report marks differences by Welch's t when listed, else by the first. */
    tests: z.array(z.enum(['welch', 'mannwhitney', 'wilcoxon'])).default(['mannwhitney']),
    /** Overrides of the budget (lib/experiments/budgets.ts): training steps, generator steps, images per privacy stage, synthetic dataset size. */
    budget: z
      .object({
        steps: z.number().int().min(1).optional(),
        generatorSteps: z.number().int().min(1).optional(),
        privacyImages: z.number().int().min(1).optional(),
        synth: z.object({ train: z.number().int().min(1), val: z.number().int().min(1), width: z.number().int().min(64), height: z.number().int().min(32), seed: z.number().int().min(0) }).partial().strict().optional(),
      })
      .strict()
      .optional(),
    /** Measure what each anonymized copy still reveals (lib/privacy: a cached `privacy` stage per
     * copy; rows `privacy/...` for every run trained on it; the utility-versus-privacy figure). */
    privacy: z.boolean().default(false),
    /** Dimension plotted on the x axis when the grid varies a training variant (Figure 8: depth). */
    xAxis: z.string().optional(),
    conditions: z.array(conditionSchema).min(1),
  })
  .strict();

export type GridSpec = z.output<typeof gridSchema>;
export type Condition = GridSpec['conditions'][number];

/** The method name a condition's result rows carry. */
export function resultMethod(c: Condition): string {
  return c.name ?? c.method;
}

/** A condition's name in progress lines and dry runs, e.g. "body / maskout" (tables use lib/report/labels.ts). */
export function conditionLabel(c: Condition): string {
  if (c.label) return c.label;
  return c.region === 'none' ? resultMethod(c) : `${c.region} / ${resultMethod(c)}`;
}

/** Stable identity of a condition within a grid (used in run ids). */
export function conditionId(c: Condition): string {
  const variant = Object.entries(c.variant)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(',');
  return [c.region, c.name ?? c.method, variant].filter(Boolean).join(':');
}

export function parseGrid(file: string, value: unknown): GridSpec {
  const r = gridSchema.safeParse(value);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `${file}: grid: ${i.path.join('.') || '(top level)'}: ${i.message}`);
  throw new Error(lines.join('\n'));
}

export async function loadGrid(file: string): Promise<GridSpec> {
  let value: unknown;
  try {
    value = parseYaml(await readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: grid: ${(e as Error).message.split('\n')[0]}`);
  }
  return parseGrid(file, value);
}
