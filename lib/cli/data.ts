// `anon-impact data check MANIFEST` and `anon-impact data stats MANIFEST`.
import { resolve } from 'node:path';
import { writeFileAtomic } from '../data/atomic.ts';
import { boxSizes, empiricalCdf } from '../data/box-sizes.ts';
import { checkManifest } from '../data/check.ts';
import { classCounts, type ClassCount } from '../data/class-counts.ts';
import { loadManifest } from '../data/manifest.ts';
import { readSplit } from '../data/open.ts';
import { parse } from './args.ts';
import { progress } from './progress.ts';

const help = `usage:
  anon-impact data check MANIFEST [--split S]... [--headers-only] [--json]
      Reports every problem of the manifest and its dataset (file, record, field) and exits 1 if any.
  anon-impact data stats MANIFEST [--split S]... [--categories a,b] [--out FILE.csv] [--json]
      Prints instance counts per class and split; writes the cumulative distribution of person box
      sizes relative to the image (Hukkelas & Lindseth 2023, Fig. 7) as CSV
      (default results/box-sizes-<manifest name>.csv).`;

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'check') return check(rest);
  if (sub === 'stats') return stats(rest);
  console.log(help);
  return sub === undefined || sub === '--help' || sub === '-h' ? 0 : 2;
}

async function check(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { split: { type: 'string', multiple: true }, 'headers-only': { type: 'boolean' }, json: { type: 'boolean' } }, true);
  if (values.help || positionals.length !== 1) {
    console.log(help);
    return values.help ? 0 : 2;
  }
  let bar: ReturnType<typeof progress> | undefined;
  const report = await checkManifest(positionals[0], {
    decode: !values['headers-only'],
    splits: values.split,
    onProgress: (done, total) => {
      bar ??= progress('data check', total, 'images');
      bar.update(done);
    },
  });
  bar?.stop();
  if (values.json) {
    const problems = report.problems.map((p) => ({ file: p.file, record: p.record, field: p.field, message: p.message }));
    console.log(JSON.stringify({ manifest: report.manifest, ok: problems.length === 0, samples: report.samples, images: report.images, problems }));
  } else {
    for (const p of report.problems) console.log(p.message);
    const splits = Object.entries(report.samples).map(([k, n]) => `${k} ${n}`).join(', ');
    console.log(`${report.problems.length === 0 ? 'OK' : 'FAILED'}: ${report.problems.length} problem(s); ${report.images} image(s) checked${splits ? ` (${splits})` : ''}`);
  }
  return report.problems.length === 0 ? 0 : 1;
}

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function stats(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { split: { type: 'string', multiple: true }, categories: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } }, true);
  if (values.help || positionals.length !== 1) {
    console.log(help);
    return values.help ? 0 : 2;
  }
  const m = await loadManifest(positionals[0]);
  const categories = values.categories ? values.categories.split(',').map((s) => s.trim()).filter(Boolean) : m.anonymize;
  const counts: ClassCount[] = [];
  const rows: string[] = ['dataset,split,category,relative_length,area_fraction,cdf'];
  const summary: Record<string, { boxes: number; medianRelativeLength: number | null; belowOnePercentArea: number | null }> = {};
  for (const split of values.split ?? Object.keys(m.splits)) {
    const ds = await readSplit(m, split);
    counts.push(...classCounts(ds));
    const sizes = boxSizes(ds, categories);
    const cdf = empiricalCdf(sizes.map((b) => b.relativeLength));
    for (const p of cdf) rows.push([m.name, split, categories.join('+'), p.x, p.x * p.x, p.cdf].map(csvCell).join(','));
    const sorted = sizes.map((b) => b.relativeLength).sort((a, b) => a - b);
    summary[split] = {
      boxes: sizes.length,
      medianRelativeLength: sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : null,
      belowOnePercentArea: sizes.length ? sizes.filter((b) => b.areaFraction < 0.01).length / sizes.length : null,
    };
  }
  const out = resolve(values.out ?? `results/box-sizes-${m.name}.csv`);
  await writeFileAtomic(out, rows.join('\n') + '\n');
  if (values.json) {
    console.log(JSON.stringify({ manifest: m.path, counts, boxSizes: summary, csv: out }));
    return 0;
  }
  const header = ['split', 'category', 'instances', 'crowd', 'ignored', 'keypoints', 'face boxes'];
  const table = counts.filter((c) => c.instances + c.crowd + c.ignored > 0).map((c) => [c.split, c.category, c.instances, c.crowd, c.ignored, c.withKeypoints, c.withFaceBox].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(fmt(header));
  for (const r of table) console.log(fmt(r));
  for (const [split, s] of Object.entries(summary)) {
    const pct = s.belowOnePercentArea === null ? 'n/a' : `${(100 * s.belowOnePercentArea).toFixed(1)}%`;
    console.log(`${split}: ${s.boxes} ${categories.join('/')} boxes; ${pct} cover < 1% of the image area`);
  }
  console.log(`box-size CDF written to ${out}`);
  return 0;
}
