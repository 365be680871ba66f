// A synthetic street at 512x256 (seed 0, train image 0) and BlazeFace windows over it: the whole
// image, the head window of every person and rider, and (with `others`) a square around every
// other object. Shared by the detector tests.
import { generateSample } from '../../lib/data/synth/generate.ts';
import type { Image } from '../../lib/data/image.ts';
import { headWindow } from '../../lib/regions/face-crops.ts';
import type { SquareWindow } from '../../lib/regions/square-input.ts';

export function streetWindows(others: boolean): { img: Image; windows: (SquareWindow | undefined)[] } {
  const syn = generateSample({ seed: 0, split: 'train', index: 0, width: 512, height: 256 });
  const img = { width: syn.width, height: syn.height, channels: 3, data: syn.rgb };
  const windows: (SquareWindow | undefined)[] = [undefined];
  for (const i of syn.instances) {
    const [x, y, w, h] = i.bbox;
    const head = i.kind === 'person' || i.kind === 'rider' ? headWindow([x, y, x + w, y + h]) : null;
    const side = 1.25 * Math.max(w, h);
    if (head) windows.push(head);
    else if (others) windows.push({ ox: x + w / 2 - side / 2, oy: y + h / 2 - side / 2, side });
  }
  return { img, windows };
}
