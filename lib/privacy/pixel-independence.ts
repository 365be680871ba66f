// Whether an anonymization method's output inside a region is independent of the original
// pixels there: the property that makes the region's content unrecoverable from the output
// whatever the method's parameters (a mask-out or an inpainting can be read only as what
// surrounds the region; a blur or a pixelation is a function of the face it hides).
//
// Not derived here: it is the flag the methods carry, `readsRegion` ("whether the output inside a
// region depends on the region's own input pixels"), of lib/anonymize/methods.ts for the image
// methods (maskout, cropout, inpaint: no; blur, pixelate: yes) and of each realistic method's
// AnonymizerModule (lib/anonymize/realistic/methods.ts: realistic, realistic+hm, realistic+hmlo
// generate from the surroundings and match histograms to the crop's context pixels only: no;
// realistic+hm-dp2, realistic+hmlo-dp2 match to the original crop, person included, as
// DeepPrivacy2's code does: yes), read through methodReadsRegion (lib/anonymize/anonymizer.ts).
// test/anonymize/methods.test.ts checks the image methods' flags by scrambling a region's pixels.
import { methodReadsRegion } from '../anonymize/anonymizer.ts';

export interface PixelIndependence {
  method: string;
  /** True when the output inside a region does not depend on the original pixels there. */
  independent: boolean;
  source: string;
}

export const PIXEL_INDEPENDENCE_SOURCE =
  "the method's readsRegion flag: lib/anonymize/methods.ts (image methods), lib/anonymize/realistic/methods.ts (realistic methods), via methodReadsRegion in lib/anonymize/anonymizer.ts";

export async function pixelIndependence(method: string): Promise<PixelIndependence> {
  return { method, independent: !(await methodReadsRegion(method)), source: PIXEL_INDEPENDENCE_SOURCE };
}
