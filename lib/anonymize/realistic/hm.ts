// Histogram matching, "HM" (Hukkelås & Lindseth 2023, Sec. 3.4), in the generator's crop:
// the generated crop y is matched per RGB channel to the reference with skimage's
// match_histograms (histogram-match.ts), and the matched crop replaces y where the person's
// UNdilated mask, blurred with a 19x19 Gaussian of sigma 9, says so:
//   y_hm = y * (1 - M_b) + match(y, ref) * M_b
// (pasteWithBlurredMask with the raw generated crop as the base: DP2's
// dp2/anonymizer/histogram_match_anonymizers.py blends the matched and the raw generated crop with
// the blurred person mask; the paper's formula writes the original crop x for the base, but only
// the region is pasted into the image afterwards, where x would be the very pixels being hidden).
// The result is then pasted into the image inside the (dilated) region mask like any crop.
//
// The reference: 'crop' is DP2's (the original crop at the generator's size, the person
// included: it reads the region's colours); 'context' uses only the crop's pixels outside every
// region, so nothing under the mask is read.
import type { Image } from '../../data/image.ts';
import { matchHistograms, pasteWithBlurredMask, PASTE_DEFAULTS } from '../histogram-match.ts';

export type HistogramReference = 'context' | 'crop';

/**
 * HM of a generated crop (bytes, W x H RGB) to `reference` (any RGB pixels), blended with
 * `coreMask` (W * H, the undilated region) blurred 19x19, sigma 9. An empty reference or core
 * mask leaves the crop as it is.
 */
export function histogramMatchCrop(generated: Uint8Array, W: number, H: number, reference: Image, coreMask: Uint8Array): Uint8Array {
  if (reference.width * reference.height === 0) return generated.slice();
  const y: Image = { width: W, height: H, channels: 3, data: generated };
  const matched = matchHistograms(y, reference);
  return pasteWithBlurredMask(y, matched, coreMask, { ksize: PASTE_DEFAULTS.ksize, sigma: PASTE_DEFAULTS.sigma }).data;
}
