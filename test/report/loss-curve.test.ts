import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lossCurveFigure, lossTerms, parseTrainLog, readTrainLog } from '../../lib/report/loss-curve.ts';

// The header the trainer writes for the instances task (lib/train/trainer.ts LOSS_PARTS).
const LOG = 'step,loss,images_per_s,lr,grad_norm,semantic,center,offset,elapsed_s\n1,3.5,2.00,0.000300000,9.5,1.6,1.5,0.4,1.20\n2,3.25,2.10,0.000600000,8.5,1.5,1.4,NaN,2.30\n';

test('the log: columns, numeric rows, NaN kept; the loss terms are the columns between the bookkeeping ones', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'loss-curve-'));
  try {
    await writeFile(join(dir, 'log.csv'), LOG);
    const byDir = await readTrainLog(dir);
    const byFile = await readTrainLog(join(dir, 'log.csv'));
    assert.deepEqual(byDir, byFile);
    assert.equal(byDir.file, join(dir, 'log.csv'));
    assert.equal(byDir.rows.length, 2);
    assert.equal(byDir.rows[1]!.loss, 3.25);
    assert.ok(Number.isNaN(byDir.rows[1]!.offset));
    assert.deepEqual(lossTerms(byDir), ['semantic', 'center', 'offset']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the figure: total loss, one line per term, the learning rate on a second axis; NaN as gaps', () => {
  const f = lossCurveFigure(parseTrainLog(LOG, 'log.csv'), { title: 'Run 0' });
  assert.deepEqual(
    f.data.map((d) => d.name),
    ['loss (total)', 'semantic', 'center', 'offset', 'learning rate'],
  );
  assert.deepEqual(f.data[0]!.x, [1, 2]);
  assert.deepEqual(f.data[0]!.y, [3.5, 3.25]);
  assert.deepEqual(f.data[3]!.y, [0.4, null]);
  assert.equal(f.data[4]!.yaxis, 'y2');
  assert.deepEqual((f.layout.title as { text: string }).text, 'Run 0');
  assert.equal((f.layout.yaxis2 as { overlaying: string }).overlaying, 'y');
  const noLr = lossCurveFigure(parseTrainLog(LOG, 'log.csv'), { lr: false, logScale: true });
  assert.equal(noLr.data.length, 4);
  assert.equal(noLr.layout.yaxis2, undefined);
  assert.equal((noLr.layout.yaxis as { type: string }).type, 'log');
  // a val metric takes the second axis in place of the learning rate
  const withMetric = lossCurveFigure(parseTrainLog(LOG, 'log.csv'), { metric: { name: 'Segm. AP person (%)', points: [{ step: 2, value: 4.5 }] } });
  assert.deepEqual(withMetric.data.map((d) => d.name), ['loss (total)', 'semantic', 'center', 'offset', 'Segm. AP person (%) (val)']);
  assert.deepEqual([withMetric.data[4]!.x, withMetric.data[4]!.y, withMetric.data[4]!.yaxis], [[2], [4.5], 'y2']);
  assert.equal((withMetric.layout.yaxis2 as { title: { text: string } }).title.text, 'Segm. AP person (%) on val');
});

test('bad logs name the file, line and field', () => {
  assert.throws(() => parseTrainLog('', 'a.csv'), /a\.csv: line 1: header: the log is empty/);
  assert.throws(() => parseTrainLog('step,elapsed_s\n1,2\n', 'a.csv'), /a\.csv: line 1: header: no 'loss' column/);
  assert.throws(() => parseTrainLog('step,loss\n1\n', 'a.csv'), /a\.csv: line 2: record: expected 2 fields, got 1/);
  assert.throws(() => parseTrainLog('step,loss\n1,abc\n', 'a.csv'), /a\.csv: line 2: loss: expected a number, got 'abc'/);
});
