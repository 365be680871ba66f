// The tidy result record: one number measured for one training run. Everything the reports show is
// computed from these rows; results/*.csv holds them one per line (lib/experiments/results-csv.ts).
//
// Field conventions:
//   runId    identifies one training run (one seed of one grid cell); (runId, metric) is unique.
//   dataset  the dataset's name as in its manifest (cityscapes, coco, bdd100k, synth, ...).
//   task     what was trained: instance-segmentation, keypoints, semantic-segmentation; a training
//            variant that changes the label set needs its own task name (instance-segmentation-without-person).
//   region   what was anonymized: face | body, or none for the original dataset.
//   method   the anonymization method (maskout, blur, pixelate, cropout, inpaint, realistic, ...),
//            or `original` for the model trained on the unmodified dataset (the baseline).
//   seed     the integer training seed; runs with the same seed are paired across methods.
//   metric   `<family>/<name>` in detectron2's result naming: family bbox | segm | keypoints with
//            names AP, AP50, AP75, APs, APm, APl, AP-<category>; family sem_seg with mIoU, IoU-<class>,
//            and IoU-category-<category> for Cityscapes category IoU. A name without a family is allowed.
//            Run parameters the reports group by are stored as metrics of the run too:
//            `backbone_depth` (50, 101, 152: the ResNet depth, Hukkelås & Lindseth Figure 8),
//            `train_steps`, and `pretrained/<encoder>` = 1 for a head on a pretrained encoder.
//   budget   (optional) the grid's compute budget the run was made with: smoke | standard | paper.
//   trainer  (optional) the trainer preset it trained: quick | scratch | paper.
//   value    the number; NaN when undefined (an AP with no ground truth). AP-like values are in the
//            unit the evaluation reports them in (detectron2: percent).
import { DataError } from '../data/types.ts';

export interface MetricRow {
  runId: string;
  dataset: string;
  task: string;
  region: string;
  method: string;
  seed: number;
  metric: string;
  value: number;
  /** The grid's compute budget (smoke, standard, paper) and the trainer preset it trained with
   * (quick, scratch, paper); absent for rows not made by a grid. */
  budget?: string;
  trainer?: string;
}

/** The string fields of a row, in CSV column order. */
export const STRING_FIELDS = ['runId', 'dataset', 'task', 'region', 'method', 'metric'] as const;

/** The method name of the model trained on the original (unmodified) data. */
export const BASELINE_METHOD = 'original';

/** Run parameters stored as metric rows; the reports group by them rather than aggregate them.
 * Also `pretrained/<encoder>` (value 1): the run's model is a head on that pretrained encoder
 * (frozen, or its decoder fine-tuned: run.json and the table's footnote say which). */
export const PARAMETER_METRICS: readonly string[] = ['backbone_depth', 'train_steps'];

/** The metric naming the pretrained encoder of a run (value 1). */
export const PRETRAINED_PREFIX = 'pretrained/';

export function isParameterMetric(metric: string): boolean {
  return PARAMETER_METRICS.includes(metric) || metric.startsWith(PRETRAINED_PREFIX);
}

/** The metric naming a run's ResNet depth. */
export const DEPTH_METRIC = 'backbone_depth';

/**
 * Strings pandas.read_csv turns into NaN by default (its `na_values`, pandas 1.5 and 2.x), quoted or
 * not. A string field holding one of them would not survive a round trip through pandas, so rows
 * carrying them are refused.
 */
export const PANDAS_NA_STRINGS: ReadonlySet<string> = new Set([
  '', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null',
]);

/** The CSV column of each field. */
export const COLUMN_OF: Record<keyof MetricRow, string> = {
  runId: 'run_id',
  dataset: 'dataset',
  task: 'task',
  region: 'region',
  method: 'method',
  seed: 'seed',
  metric: 'metric',
  value: 'value',
  budget: 'budget',
  trainer: 'trainer',
};

/**
 * Checks one row; throws a DataError naming `file`, `record` and the field. Returns the row.
 * A value may be NaN (written as an empty cell) but not infinite.
 */
export function checkMetricRow(row: MetricRow, file: string, record: string): MetricRow {
  if (row === null || typeof row !== 'object') throw new DataError(file, record, 'row', `expected an object, got ${row === null ? 'null' : typeof row}`);
  for (const f of STRING_FIELDS) {
    const v = row[f];
    if (typeof v !== 'string') throw new DataError(file, record, COLUMN_OF[f], `expected a string, got ${v === null ? 'null' : typeof v}`);
    if (PANDAS_NA_STRINGS.has(v)) {
      throw new DataError(file, record, COLUMN_OF[f], v === '' ? 'must not be empty' : `'${v}' reads as a missing value in pandas; choose another name`);
    }
    if (v.trim() !== v) throw new DataError(file, record, COLUMN_OF[f], `'${v}' has leading or trailing white space`);
  }
  for (const f of ['budget', 'trainer'] as const) {
    const v = row[f];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v === '' || PANDAS_NA_STRINGS.has(v) || v.trim() !== v) throw new DataError(file, record, f, `expected a name (or nothing), got '${String(v)}'`);
  }
  if (typeof row.seed !== 'number' || !Number.isSafeInteger(row.seed)) throw new DataError(file, record, 'seed', `expected an integer, got ${String(row.seed)}`);
  if (typeof row.value !== 'number') throw new DataError(file, record, 'value', `expected a number, got ${row.value === null ? 'null' : typeof row.value}`);
  if (row.value === Infinity || row.value === -Infinity) throw new DataError(file, record, 'value', `must be finite or NaN, got ${row.value}`);
  return row;
}

/** The unique key of a row: its run and metric. */
export function rowKey(row: Pick<MetricRow, 'runId' | 'metric'>): string {
  return JSON.stringify([row.runId, row.metric]);
}

/** The family of a metric (`segm` of `segm/AP`), or '' when it has none. */
export function metricFamily(metric: string): string {
  const i = metric.indexOf('/');
  return i < 0 ? '' : metric.slice(0, i);
}

/** The name of a metric without its family (`AP-person` of `segm/AP-person`). */
export function metricName(metric: string): string {
  const i = metric.indexOf('/');
  return i < 0 ? metric : metric.slice(i + 1);
}

/**
 * The class a per-class metric is about (`person` of `segm/AP-person` or `sem_seg/IoU-person`),
 * or null for a summary metric. `IoU-category-<c>` is a category, not a class: null.
 */
export function metricClass(metric: string): { kind: string; name: string } | null {
  const name = metricName(metric);
  if (name.startsWith('IoU-category-')) return null;
  const m = /^(AP|IoU|iIoU|ACC)-(.+)$/.exec(name);
  return m ? { kind: m[1]!, name: m[2]! } : null;
}
