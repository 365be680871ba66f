// An 8-bit image as the float RGB tensor the privacy models read: [1, H, W, 3], values 0..255
// (grey repeated to three channels, alpha dropped).
import * as tf from '@tensorflow/tfjs';
import type { Image } from '../data/image.ts';

/** Float RGB values 0..255 of `img`, H * W * 3, row-major. */
export function rgbFloats(img: Image): Float32Array {
  const { width, height, channels: C, data } = img;
  if (data.length !== width * height * C) throw new Error(`image: ${data.length} bytes for ${width}x${height}x${C}`);
  const n = width * height;
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const p = i * C;
    if (C < 3) {
      out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = data[p]!;
    } else {
      out[3 * i] = data[p]!;
      out[3 * i + 1] = data[p + 1]!;
      out[3 * i + 2] = data[p + 2]!;
    }
  }
  return out;
}

/** [1, H, W, 3] float32 tensor of `img` (the caller disposes it). */
export function imageTensor(img: Image): tf.Tensor4D {
  return tf.tensor4d(rgbFloats(img), [1, img.height, img.width, 3]);
}
