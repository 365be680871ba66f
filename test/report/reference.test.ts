// The transcribed published tables (results/reference): they parse, hold every row of every table,
// and agree with themselves the way the printed tables do (each printed Δ is the printed mean minus
// the printed original mean; the main paper's tables repeat the supplementary numbers; the text's
// percentages follow from the tables). A typo in a transcription breaks one of these.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { parseReferenceCsv, readReference, type ReferenceRow } from '../../lib/report/reference.ts';

const DIR = fileURLToPath(new URL('../../results/reference', import.meta.url));
const ref = await readReference(DIR);
const of = (table: string) => ref.filter((r) => r.table === table);
const find = (table: string, region: string, method: string, metric: string): ReferenceRow => {
  const r = ref.find((x) => x.table === table && x.region === region && x.method === method && x.metric === metric);
  assert.ok(r, `${table} ${region}/${method} ${metric} missing`);
  return r;
};

test('every table is complete: rows x columns as printed', () => {
  const counts: Record<string, number> = {};
  for (const r of ref) counts[r.table] = (counts[r.table] ?? 0) + 1;
  assert.deepEqual(counts, {
    'dnat-whitepaper-T2': 18,
    'dnat-whitepaper-T1': 4,
    'dnat-whitepaper-text': 1,
    'hukkelas2023-main-T1': 9 * 3,
    'hukkelas2023-main-T2': 7 * 3,
    'hukkelas2023-main-T3': 8 * 2,
    'hukkelas2023-main-T4': 4 * 3,
    'hukkelas2023-supp-T1': 9 * 10,
    'hukkelas2023-supp-T2': 8 * 11,
    'hukkelas2023-supp-T3': 7 * 10,
    'hukkelas2023-supp-T4': 4 * 3,
    'hukkelas2023-supp-T5': 3 * 9,
    'hukkelas2023-text': 21,
    'zhou2022-poster-T1': 7 * 4,
  });
});

test('Hukkelås & Lindseth: every printed Δ is the printed mean minus the printed original mean', () => {
  let checked = 0;
  for (const table of new Set(ref.filter((r) => r.table.startsWith('hukkelas2023-main') || r.table.startsWith('hukkelas2023-supp')).map((r) => r.table))) {
    const rows = of(table);
    const base = new Map(rows.filter((r) => r.method === 'original').map((r) => [r.metric, r.mean]));
    for (const r of rows) {
      assert.equal(r.unit, 'percent');
      assert.equal(r.nRuns, 3);
      assert.ok(!Number.isNaN(r.mean) && !Number.isNaN(r.se), `${table} ${r.method} ${r.metric}`);
      if (r.method === 'original') {
        assert.ok(Number.isNaN(r.delta));
        continue;
      }
      assert.ok(Math.abs(r.mean - base.get(r.metric)! - r.delta) < 1e-9, `${table} ${r.region}/${r.method} ${r.metric}: ${r.mean} - ${base.get(r.metric)} != ${r.delta}`);
      checked++;
    }
  }
  assert.equal(checked, 27 - 3 + 21 - 3 + 16 - 2 + 12 - 3 + 90 - 10 + 88 - 11 + 70 - 10 + 12 - 3 + 27 - 9);
});

test('the main paper repeats the supplementary numbers; Table 4 default = Table 1 body realistic', () => {
  const same = (a: string, b: string) => {
    for (const r of of(a)) {
      const s = find(b, r.region, r.method, r.metric);
      assert.deepEqual([r.mean, r.se, r.delta], [s.mean, s.se, s.delta], `${a} vs ${b}: ${r.region}/${r.method} ${r.metric}`);
    }
  };
  same('hukkelas2023-main-T1', 'hukkelas2023-supp-T1');
  // main Table 2 prints AP person where supplementary Table 3 prints AP pedestrian (BDD100K's class)
  for (const r of of('hukkelas2023-main-T2')) {
    const s = find('hukkelas2023-supp-T3', r.region, r.method, r.metric.replace('AP-person', 'AP-pedestrian'));
    assert.deepEqual([r.mean, r.se, r.delta], [s.mean, s.se, s.delta], `main T2 vs supp T3: ${r.region}/${r.method} ${r.metric}`);
  }
  same('hukkelas2023-main-T3', 'hukkelas2023-supp-T2');
  for (const m of ['segm/AP', 'segm/AP50', 'segm/AP-person']) {
    const t4 = find('hukkelas2023-main-T4', 'body', 'realistic', m);
    const t1 = find('hukkelas2023-main-T1', 'body', 'realistic', m);
    assert.deepEqual([t4.mean, t4.se, t4.delta], [t1.mean, t1.se, t1.delta]);
  }
});

test('spot checks against the printed cells', () => {
  const c = find('hukkelas2023-supp-T1', 'body', 'realistic-hm-lo', 'segm/AP-truck');
  assert.deepEqual([c.mean, c.se, c.delta, c.methodLabel, c.metricLabel], [37.3, 0.7, 1.2, 'Realistic + HM-LO', 'AP truck']);
  const k = find('hukkelas2023-supp-T2', 'body', 'maskout', 'keypoints/APl');
  assert.deepEqual([k.mean, k.se, k.delta, k.metricLabel], [0.1, 0.1, -72.9, 'Kp. AP r']);
  const b = find('hukkelas2023-supp-T3', 'none', 'original', 'segm/AP-motorcycle');
  assert.deepEqual([b.mean, b.se], [11.0, 0.9]);
  const z = find('zhou2022-poster-T1', 'face', 'cropout', 'sem_seg/IoU-rider');
  assert.equal(z.relativePct, -2.87);
  assert.ok(Number.isNaN(z.mean));
  assert.equal(find('zhou2022-poster-T1', 'face', 'random-crop', 'sem_seg/mIoU').relativePct, 0.02);
  assert.equal(find('zhou2022-poster-T1', 'face', 'realistic', 'sem_seg/IoU-category-vehicle').relativePct, -0.01);
  const d = find('dnat-whitepaper-T2', 'face+plate', 'dnat', 'segm/AP-truck');
  assert.deepEqual([d.mean, d.sd, d.unit, d.nRuns], [0.289, 0.015, 'fraction', 5]);
});

test('numbers in the text follow from the tables', () => {
  // footnote 1: mask-out person box AP drop on COCO instance segmentation, and Box AP drop of Keypoint R-CNN
  const t4 = (m: string) => find('hukkelas2023-supp-T4', m === 'original' ? 'none' : 'face', m, 'bbox/AP-person').mean;
  assert.equal(Math.round((1000 * (t4('maskout') - t4('original'))) / t4('original')) / 10, find('hukkelas2023-text', 'face', 'maskout', 'bbox/AP-person').relativePct);
  const kp = (m: string) => find('hukkelas2023-main-T3', m === 'original' ? 'none' : 'face', m, 'bbox/AP').mean;
  assert.equal(Math.round((1000 * (kp('maskout') - kp('original'))) / kp('original')) / 10, -10.4);
  // DNAT: the mAP row is the mean of the eight class rows (to the printed three decimals)
  for (const method of ['original', 'dnat']) {
    const rows = of('dnat-whitepaper-T2').filter((r) => r.method === method);
    const classes = rows.filter((r) => r.metric !== 'segm/AP');
    assert.equal(classes.length, 8);
    const m = classes.reduce((a, r) => a + r.mean, 0) / 8;
    assert.ok(Math.abs(m - rows.find((r) => r.metric === 'segm/AP')!.mean) <= 0.0005 + 1e-12, `${method}: ${m}`);
  }
});

test('bad reference files are refused with file, line and column', () => {
  const header = 'source,table,dataset,task,model,region,method,method_label,metric,metric_label,unit,n_runs,mean,se,sd,delta,relative_pct,note\n';
  assert.throws(() => parseReferenceCsv('a,b\n', 'r.csv'), /r\.csv: line 1: header/);
  assert.throws(() => parseReferenceCsv(header + 's,t,d,k,,face,blur,Blur,AP,AP,percent,3,x,,,,,\n', 'r.csv'), /r\.csv: line 2: mean: expected a number/);
  assert.throws(() => parseReferenceCsv(header + 's,t,d,k,,face,blur,Blur,AP,AP,percent,3,,,,,,\n', 'r.csv'), /line 2: mean: a row needs a mean or a relative_pct/);
  assert.throws(() => parseReferenceCsv(header + 's,t,d,k,,face,blur,Blur,AP,AP,kg,3,1,,,,,\n', 'r.csv'), /line 2: unit: expected one of/);
  assert.throws(() => parseReferenceCsv(header + 's,,d,k,,face,blur,Blur,AP,AP,percent,3,1,,,,,\n', 'r.csv'), /line 2: table: must not be empty/);
});
