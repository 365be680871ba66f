// Small hand-made result sets for the report tests.
import type { MetricRow } from '../../lib/experiments/metric-row.ts';

export function rows(method: string, region: string, metric: string, values: number[], extra: Partial<MetricRow> = {}): MetricRow[] {
  return values.map((value, seed) => ({
    runId: `${region}-${method}-${seed}${extra.dataset ? `-${extra.dataset}` : ''}`,
    dataset: 'cityscapes',
    task: 'instance-segmentation',
    region,
    method,
    seed,
    metric,
    value,
    ...extra,
  }));
}

/**
 * Original and face blur, three seeds each, two metrics:
 *   original AP [36.6, 36.7, 36.8], AP-person [35.0, 35.2, 34.8]
 *   face blur AP [36.1, 36.4, 36.7], AP-person [34.9, 34.8, 35.0]
 */
export const SMALL: MetricRow[] = [
  ...rows('original', 'none', 'segm/AP', [36.6, 36.7, 36.8]),
  ...rows('original', 'none', 'segm/AP-person', [35.0, 35.2, 34.8]),
  ...rows('blur', 'face', 'segm/AP', [36.1, 36.4, 36.7]),
  ...rows('blur', 'face', 'segm/AP-person', [34.9, 34.8, 35.0]),
];

export const EXPECTED = [
  { region: 'face', method: 'blur' },
  { region: 'face', method: 'maskout' },
  { region: 'body', method: 'realistic' },
];

/** SMALL with the cells of EXPECTED as a Markdown table (worked out from the values above: means, standard errors, Δ to the original). */
export const SMALL_MARKDOWN = [
  '### cityscapes / instance-segmentation',
  '',
  '| Region | Method | AP | AP person |',
  '| --- | --- | --- | --- |',
  '|  | Original | 36.7 ± 0.1 (Δ) | 35.0 ± 0.1 (Δ) |',
  '| Face | Blur | 36.4 ± 0.2 (-0.3) | 34.9 ± 0.1 (-0.1) |',
  '|  | Mask-out | pending | pending |',
  '| Body | Realistic | pending | pending |',
  '',
].join('\n');
