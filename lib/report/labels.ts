// Display names for methods, regions and metrics, as the papers print them (Hukkelås & Lindseth:
// "Mask-out", "Realistic + HM-LO", "AP person", "Box AP", "Kp. AP").
import { metricFamily, metricName } from '../experiments/metric-row.ts';

export const METHOD_LABELS: Readonly<Record<string, string>> = {
  original: 'Original',
  blur: 'Blur',
  maskout: 'Mask-out',
  pixelate: 'Pixelation',
  cropout: 'Crop-out',
  inpaint: 'Inpainting',
  'random-crop': 'Random crop',
  realistic: 'Realistic',
  'realistic-hm': 'Realistic + HM',
  'realistic-hm-lo': 'Realistic + HM-LO',
  'realistic+hm': 'Realistic + HM',
  'realistic+hmlo': 'Realistic + HM-LO',
  'realistic-hr-faces': 'Realistic + HR Faces',
  'realistic-truncation-none': 'No Truncation',
  'realistic-truncation-unimodal': 'Unimodal Truncation',
  'realistic-skip-small': 'Realistic (skip < 32²)',
  'realistic-rerender': 'Re-render (upper bound)',
  dnat: 'DNAT',
};

export const REGION_LABELS: Readonly<Record<string, string>> = { face: 'Face', body: 'Body', plate: 'Plate', 'face+plate': 'Face + plate', 'body+plate': 'Body + plate', none: '' };

const FAMILY_LABELS: Readonly<Record<string, string>> = { bbox: 'Box', segm: 'Segm.', keypoints: 'Kp.', sem_seg: '', privacy: 'Privacy:' };

/** The privacy figures' names (lib/experiments/privacy-metrics.ts), with their unit. */
const PRIVACY_LABELS: Readonly<Record<string, string>> = {
  'face-reid': 'face re-identified (%)',
  'face-reid-baseline': 'different people matched (%)',
  'face-reid-calibrated': 'face re-identified, calibrated (%)',
  'face-cosine': 'face cosine similarity',
  'face-detected': 'face detected (%)',
  'face-detected-original': 'face detected, original (%)',
  'colour-distance': 'colour distance',
  'person-detected': 'person detected (%)',
  'person-detected-original': 'person detected, original (%)',
  'pixel-independent': 'pixel-independent',
};

/** Overrides for the default labels. */
export interface Labels {
  methods?: Record<string, string>;
  regions?: Record<string, string>;
  metrics?: Record<string, string>;
}

export function methodLabel(id: string, labels: Labels = {}): string {
  return labels.methods?.[id] ?? METHOD_LABELS[id] ?? id;
}

export function regionLabel(id: string, labels: Labels = {}): string {
  return labels.regions?.[id] ?? REGION_LABELS[id] ?? id;
}

/**
 * A metric's column label: `segm/AP-person` is "AP person", `bbox/APm` "AP m",
 * `sem_seg/IoU-category-human` "IoU human (category)". With `withFamily` (a table mixing families)
 * the family goes in front: "Box AP", "Kp. AP".
 */
export function metricLabel(metric: string, withFamily = false, labels: Labels = {}): string {
  const given = labels.metrics?.[metric];
  if (given !== undefined) return given;
  const name = metricName(metric);
  let label: string;
  let m: RegExpExecArray | null;
  if (metricFamily(metric) === 'privacy' && PRIVACY_LABELS[name]) label = PRIVACY_LABELS[name];
  else if ((m = /^IoU-category-(.+)$/.exec(name))) label = `IoU ${m[1]} (category)`;
  else if ((m = /^(AP|IoU|iIoU|ACC)-(.+)$/.exec(name))) label = `${m[1]} ${m[2]}`;
  else if ((m = /^AP([sml])$/.exec(name))) label = `AP ${m[1]}`;
  else label = name;
  const fam = FAMILY_LABELS[metricFamily(metric)] ?? metricFamily(metric);
  return withFamily && fam ? `${fam} ${label}` : label;
}

/** True when `metrics` mix families, so labels need the family to be told apart. */
export function needsFamily(metrics: readonly string[]): boolean {
  return new Set(metrics.map(metricFamily)).size > 1;
}
