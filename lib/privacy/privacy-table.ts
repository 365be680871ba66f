// The privacy report as the text `anon-impact privacy` prints: what was measured, one row per
// figure (its n, the anonymized copy's value, the reference it reads against), the models.
import type { Distribution, PrivacyReport, Share } from './privacy-report.ts';

const pct = (s: Share) => (s.share === null ? '-' : `${(100 * s.share).toFixed(1)}% (${s.found}/${s.n})`);
const num = (v: number | null, d = 3) => (v === null ? '-' : v.toFixed(d));
const dist = (x: Distribution) => (x.n === 0 ? '-' : `median ${num(x.median)}, mean ${num(x.mean)}, range ${num(x.min)}..${num(x.max)}`);

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r, i) => {
    const line = r.map((v, c) => v.padEnd(widths[c]!)).join('  ').trimEnd();
    return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
  });
}

export function formatPrivacyTable(r: PrivacyReport): string {
  const c = r.copy;
  const im = r.images;
  const fr = r.faceReidentification;
  const out: string[] = [];
  out.push(`privacy of ${c.dir}`);
  out.push(`  ${c.dataset} split ${c.split}: ${c.region} regions, method ${c.method} ${JSON.stringify(c.params)}`);
  const measured = im.measured === im.anonymized ? 'and measured ' : `(${im.measured} of them measured, evenly spaced) `;
  out.push(`  images: ${im.anonymized} anonymized ${measured}of ${im.split} (${im.untouched} without a region, ${im.failed} failed, ${im.missing} not written yet)${c.complete ? '' : ' -- the copy is incomplete'}`);
  out.push('');
  const rows: string[][] = [['figure', 'n', 'anonymized copy', 'reference']];
  rows.push([
    'face re-identification: share matched (Human similarity > 0.5)',
    String(fr.n),
    pct(fr.matched),
    `different people: ${pct(fr.baseline.matched)} of pairs`,
  ]);
  const cal = fr.calibrated;
  rows.push([
    `face re-identification: share with cosine > ${num(cal.threshold)} (calibrated)`,
    String(cal.matched.n),
    pct(cal.matched),
    `different people: ${pct(cal.baseline)} of pairs (threshold: their ${100 * cal.quantile}th percentile)`,
  ]);
  rows.push(['face re-identification: cosine similarity', String(fr.n), dist(fr.cosine), `different people: ${dist(fr.baseline.cosine)}`]);
  rows.push(['face re-identification: Human similarity', String(fr.n), dist(fr.humanSimilarity), `different people: ${dist(fr.baseline.humanSimilarity)}`]);
  rows.push(['face detectability (detection centre inside the face box)', String(r.faceDetectability.n), pct(r.faceDetectability.anonymized), `original images: ${pct(r.faceDetectability.original)}`]);
  rows.push(['person detectability (box IoU >= 0.5)', String(r.personDetectability.n), pct(r.personDetectability.anonymized), `original images: ${pct(r.personDetectability.original)}`]);
  rows.push(['appearance leak: H-S histogram Bhattacharyya distance', String(r.appearanceLeak.n), dist(r.appearanceLeak.bhattacharyya), `0 same colours, 1 disjoint${r.appearanceLeak.achromatic ? `; ${r.appearanceLeak.achromatic} greyscale regions left out` : ''}`]);
  rows.push(['pixel-independent (output ignores the region\'s pixels)', '-', r.pixelIndependence.independent ? 'yes' : 'no', `method ${r.pixelIndependence.method}`]);
  out.push(...table(rows));
  out.push('');
  out.push(`faces: ${fr.faces}; different-people baseline: ${fr.baseline.pairs} pairs of different original faces`);
  out.push(`appearance: ${r.appearanceLeak.regions}; ${r.appearanceLeak.metric}`);
  out.push(`pixel independence: ${r.pixelIndependence.source}`);
  const m = r.models;
  out.push('models' + (m.backend ? ` (tfjs ${m.backend})` : '') + ':');
  out.push(`  face recognition: ${m.faceRecognition.name}, ${m.faceRecognition.file}; ${m.faceRecognition.origin}; licence ${m.faceRecognition.licence}`);
  out.push(`    match rule: ${m.faceRecognition.threshold}, from ${m.faceRecognition.thresholdSource}`);
  out.push(`  face detector: ${m.faceDetector.name}, ${m.faceDetector.file}; licence ${m.faceDetector.licence}`);
  out.push(`  person detector: ${m.personDetector.name}, ${m.personDetector.file}; ${m.personDetector.io}; licence ${m.personDetector.licence}`);
  return out.join('\n');
}
