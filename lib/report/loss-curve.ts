// A training run's loss curve, from the run's log.csv (lib/train/trainer.ts: one row per step,
// step, loss, images_per_s, lr, grad_norm, the task's loss terms, elapsed_s), as a Plotly figure:
// the total loss and each loss term against the step, the learning rate on a second axis.
import { stat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCsv } from '../experiments/csv.ts';
import { DataError } from '../data/types.ts';
import type { FigureSpec } from './figures.ts';

export interface TrainLog {
  file: string;
  columns: string[];
  rows: Record<string, number>[];
}

/** Columns of log.csv that are not loss terms. */
const NOT_LOSS_TERMS = new Set(['step', 'loss', 'images_per_s', 'lr', 'grad_norm', 'elapsed_s']);

/** Parses log.csv text: a header with 'step' and 'loss', then numeric rows. */
export function parseTrainLog(text: string, file: string): TrainLog {
  const recs = parseCsv(text, file);
  if (recs.length === 0) throw new DataError(file, 'line 1', 'header', 'the log is empty');
  const columns = recs[0]!.fields;
  for (const c of ['step', 'loss']) if (!columns.includes(c)) throw new DataError(file, 'line 1', 'header', `no '${c}' column (columns: ${columns.join(', ')})`);
  const rows = recs.slice(1).map((rec) => {
    if (rec.fields.length !== columns.length) throw new DataError(file, `line ${rec.line}`, 'record', `expected ${columns.length} fields, got ${rec.fields.length}`);
    const row: Record<string, number> = {};
    rec.fields.forEach((f, i) => {
      const v = f === 'NaN' ? NaN : Number(f);
      if (f === '' || (Number.isNaN(v) && f !== 'NaN')) throw new DataError(file, `line ${rec.line}`, columns[i]!, `expected a number, got '${f}'`);
      row[columns[i]!] = v;
    });
    return row;
  });
  return { file, columns, rows };
}

/** Reads a run's log: `path` is the run folder (its log.csv is read) or the CSV file itself. */
export async function readTrainLog(path: string): Promise<TrainLog> {
  const file = (await stat(path)).isDirectory() ? join(path, 'log.csv') : path;
  return parseTrainLog(await readFile(file, 'utf8'), file);
}

export interface LossCurveOptions {
  title?: string;
  /** Draw the learning rate on a second y axis (default true when the log has an 'lr' column). */
  lr?: boolean;
  /** Log-scale loss axis (default false). */
  logScale?: boolean;
  /** A validation metric measured at some steps (e.g. the final checkpoint's score on val), drawn
   * as markers on the second y axis in place of the learning rate. */
  metric?: { name: string; points: readonly { step: number; value: number }[] };
}

/** The loss terms of a log, in column order. */
export function lossTerms(log: TrainLog): string[] {
  return log.columns.filter((c) => !NOT_LOSS_TERMS.has(c));
}

const num = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);

export function lossCurveFigure(log: TrainLog, options: LossCurveOptions = {}): FigureSpec {
  const steps = log.rows.map((r) => r.step!);
  const line = (name: string, column: string, extra: Record<string, unknown> = {}) => ({ type: 'scatter', mode: 'lines', name, x: steps, y: log.rows.map((r) => num(r[column])), ...extra });
  const data: Record<string, unknown>[] = [line('loss (total)', 'loss', { line: { width: 2.5 } }), ...lossTerms(log).map((t) => line(t, t, { line: { width: 1.2 } }))];
  const metric = options.metric;
  const withLr = !metric && (options.lr ?? true) && log.columns.includes('lr');
  if (withLr) data.push(line('learning rate', 'lr', { yaxis: 'y2', line: { dash: 'dot', width: 1, color: 'grey' } }));
  if (metric) data.push({ type: 'scatter', mode: 'lines+markers', name: `${metric.name} (val)`, x: metric.points.map((p) => p.step), y: metric.points.map((p) => num(p.value)), yaxis: 'y2', marker: { size: 10, symbol: 'diamond' }, line: { dash: 'dot' } });
  const layout: Record<string, unknown> = {
    title: { text: options.title ?? 'Training loss' },
    font: { family: 'DejaVu Sans, Arial, sans-serif', size: 13 },
    width: 900,
    height: 460,
    margin: { l: 70, r: withLr || metric ? 90 : 30, t: 60, b: 110 },
    xaxis: { title: { text: 'step' } },
    yaxis: { title: { text: 'loss' }, type: options.logScale ? 'log' : 'linear' },
    showlegend: true,
    legend: { orientation: 'h', x: 0, y: -0.22, xanchor: 'left', yanchor: 'top' },
  };
  if (withLr) layout.yaxis2 = { title: { text: 'learning rate' }, overlaying: 'y', side: 'right', showgrid: false, tickformat: '.1e', rangemode: 'tozero' };
  if (metric) layout.yaxis2 = { title: { text: `${metric.name} on val` }, overlaying: 'y', side: 'right', showgrid: false, rangemode: 'tozero' };
  return { data, layout };
}
