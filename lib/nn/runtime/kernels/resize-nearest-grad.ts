// ResizeNearestNeighborGrad for the wasm backend as a JavaScript scatter over the wasm heap: every
// dy pixel is added to the input pixel the forward pass copied it from, with the source index
// computed exactly as the tfjs forward kernel does (ratio of the effective sizes, floor or round
// for alignCorners, +0.5 and clamping for halfPixelCenters). For halfPixelCenters=false this is
// the tfjs cpu gradient (for one image; see resizeNearestNeighborGradCpu); for true it is the
// exact adjoint of the forward resize.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapF32, type Info } from './call.ts';

/** Source index of each output index along one axis, as the forward nearest-neighbour resize. */
export function nearestSource(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): Int32Array {
  const effIn = alignCorners && outSize > 1 ? inSize - 1 : inSize;
  const effOut = alignCorners && outSize > 1 ? outSize - 1 : outSize;
  const ratio = effIn / effOut;
  const src = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const frac = halfPixelCenters ? ratio * (o + 0.5) : ratio * o;
    let s = Math.min(inSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
    if (halfPixelCenters) s = Math.max(0, s);
    src[o] = s;
  }
  return src;
}

/** dx (zeroed here) += scatter of dy, NHWC. */
export function resizeNearestGradInto(
  g: Float32Array,
  dx: Float32Array,
  imagesShape: number[],
  dyShape: number[],
  alignCorners: boolean,
  halfPixelCenters: boolean,
): void {
  const [n, inH, inW, c] = imagesShape;
  const [, outH, outW] = dyShape;
  const rows = nearestSource(inH, outH, alignCorners, halfPixelCenters);
  const cols = nearestSource(inW, outW, alignCorners, halfPixelCenters);
  dx.fill(0);
  let s = 0;
  for (let b = 0; b < n; b++) {
    const xb = b * inH * inW * c;
    for (let r = 0; r < outH; r++) {
      const xr = xb + rows[r] * inW * c;
      for (let col = 0; col < outW; col++) {
        let d = xr + cols[col] * c;
        for (let k = 0; k < c; k++) dx[d++] += g[s++];
      }
    }
  }
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

/** The wasm kernel. */
export function resizeNearestNeighborGrad(args: KernelArgs): Info {
  const backend = args.backend as BackendWasm;
  const { images, dy } = args.inputs as { images: Info; dy: Info };
  const { alignCorners, halfPixelCenters } = (args.attrs ?? {}) as { alignCorners?: boolean; halfPixelCenters?: boolean };
  const out = backend.makeOutput(images.shape, 'float32');
  resizeNearestGradInto(heapF32(backend, dy), heapF32(backend, out), images.shape, dy.shape, !!alignCorners, !!halfPixelCenters);
  return out;
}

interface CpuBackendLike {
  data: { get(id: tf.DataId): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): Info;
}

/**
 * The same on the tfjs cpu backend, whose own kernel (tfjs 4.22) reads dy with the images' batch
 * stride and so is wrong for batches of more than one image.
 */
export function resizeNearestNeighborGradCpu(args: KernelArgs): Info {
  const backend = args.backend as CpuBackendLike;
  const { images, dy } = args.inputs as { images: Info; dy: Info };
  const { alignCorners, halfPixelCenters } = (args.attrs ?? {}) as { alignCorners?: boolean; halfPixelCenters?: boolean };
  const g = backend.data.get(dy.dataId).values as Float32Array;
  const dx = new Float32Array(images.shape.reduce((a, b) => a * b, 1));
  resizeNearestGradInto(g, dx, images.shape, dy.shape, !!alignCorners, !!halfPixelCenters);
  return backend.makeTensorInfo(images.shape, 'float32', dx);
}
