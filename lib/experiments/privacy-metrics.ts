// A privacy report (lib/privacy/privacy-report.ts) as the grid's metric rows, `privacy/<name>`:
// shares in percent (as the task metrics' AP), distances and similarities as they are.
//
//   privacy/face-reid               share of anonymized faces the face-recognition model still
//                                   matches to their original (Human's similarity > 0.5), %
//   privacy/face-reid-baseline      the same rule on pairs of two different people, %
//   privacy/face-reid-calibrated    share above the cosine threshold calibrated on the original
//                                   faces (1% false matches between different people), %
//   privacy/face-cosine             median cosine similarity of original and anonymized face
//   privacy/face-detected           share of faces the face detector still finds at their place, %
//   privacy/face-detected-original  the same on the original images, %
//   privacy/colour-distance         median Bhattacharyya distance of the person's H-S histograms
//                                   (0: the same colours; 1: none in common)
//   privacy/person-detected         share of anonymized persons the person detector still finds, %
//   privacy/person-detected-original  the same on the original images, %
//   privacy/pixel-independent       1 when the anonymized pixels do not depend on the originals
// Figures without anything to measure (no faces) are NaN.
import type { PrivacyReport } from '../privacy/privacy-report.ts';
import type { Metrics } from './evaluate-run.ts';

/** Pixel independence: a yes/no property of the method (1 or 0), not a rate. */
export const PIXEL_INDEPENDENT = 'privacy/pixel-independent';

/** The figures that say what an anonymized copy reveals (a utility-versus-privacy figure each):
 * not the references measured on the originals or on pairs of different people, nor pixel
 * independence. */
export function isLeakFigure(metric: string): boolean {
  return metric.startsWith('privacy/') && metric !== PIXEL_INDEPENDENT && !/-(original|baseline)$/.test(metric);
}

const pct = (v: number | null) => (v === null ? NaN : 100 * v);
const num = (v: number | null) => (v === null ? NaN : v);

export function privacyMetrics(r: PrivacyReport): Metrics {
  const f = r.faceReidentification;
  return {
    'privacy/face-reid': pct(f.matched.share),
    'privacy/face-reid-baseline': pct(f.baseline.matched.share),
    'privacy/face-reid-calibrated': pct(f.calibrated.matched.share),
    'privacy/face-cosine': num(f.cosine.median),
    'privacy/face-detected': pct(r.faceDetectability.anonymized.share),
    'privacy/face-detected-original': pct(r.faceDetectability.original.share),
    'privacy/colour-distance': num(r.appearanceLeak.bhattacharyya.median),
    'privacy/person-detected': pct(r.personDetectability.anonymized.share),
    'privacy/person-detected-original': pct(r.personDetectability.original.share),
    [PIXEL_INDEPENDENT]: r.pixelIndependence.independent ? 1 : 0,
  };
}
