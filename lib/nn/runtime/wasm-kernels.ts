// Our training kernels for the tfjs wasm backend (see lib/nn/runtime/kernels/). The stock wasm backend
// lacks Conv2DBackpropFilter and has a slow direct-loop Conv2DBackpropInput. Ours run on
// WebAssembly SIMD kernels we emit at run time (simd-*.ts) or, where those do not apply, on the
// XNNPACK Conv2D; Conv2D and FusedConv2D use the SIMD convolution where it applies (stride 1,
// ReLU or no activation). MaxPoolGrad, ResizeNearestNeighborGrad and the two depthwise
// convolution gradients (which the stock backend lacks) are single-pass loops over the wasm heap. Added: the bias/ReLU gradient kernels of lib/nn/ops/conv-bias-act.ts, the
// phase kernels of lib/nn/ops/up-conv.ts, the one-pass softmax cross-entropy of lib/train/loss.ts
// and the fused AdamW update of lib/train/optimizer.ts.
// Identity (tf.clone) shares the buffer instead of copying it. Registering replaces the stock
// kernel of the same name (kept, so that unregistering restores it).
import * as tf from '@tensorflow/tfjs';
import { stockKernels } from './kernels/call.ts';
import { conv2DBackpropFilter } from './kernels/conv2d-backprop-filter.ts';
import { conv2DBackpropInput } from './kernels/conv2d-backprop-input.ts';
import { maxPoolGrad } from './kernels/max-pool-grad.ts';
import { depthwiseConv2dNativeBackpropFilter, depthwiseConv2dNativeBackpropInput } from './kernels/depthwise-grad.ts';
import { resizeNearestNeighborGrad, resizeNearestNeighborGradCpu } from './kernels/resize-nearest-grad.ts';
import { biasGrad, reluBiasGrad } from './kernels/bias-grad.ts';
import { identity } from './kernels/identity.ts';
import { conv2d, fusedConv2d } from './kernels/conv2d-forward.ts';
import { softmaxCrossEntropy } from './kernels/softmax-cross-entropy.ts';
import { SOFTMAX_CE } from '../ops/softmax-cross-entropy.ts';
import { BIAS_GRAD, RELU_BIAS_GRAD } from '../ops/conv-bias-act.ts';
import { PHASE_SPLIT, UP_ADD_RELU } from '../ops/up-conv.ts';
import { phaseSplit, upAddRelu } from './kernels/phases.ts';
import { ADAMW_UPDATE } from '../ops/adamw-update.ts';
import { adamwUpdate } from './kernels/adamw-update.ts';

type KernelFn = tf.KernelConfig['kernelFunc'];

/** Kernel name -> our implementation. */
export const wasmTrainingKernels: Readonly<Record<string, KernelFn>> = {
  Conv2D: conv2d as unknown as KernelFn,
  FusedConv2D: fusedConv2d as unknown as KernelFn,
  Conv2DBackpropFilter: conv2DBackpropFilter as unknown as KernelFn,
  Conv2DBackpropInput: conv2DBackpropInput as unknown as KernelFn,
  MaxPoolGrad: maxPoolGrad as unknown as KernelFn,
  DepthwiseConv2dNativeBackpropInput: depthwiseConv2dNativeBackpropInput as unknown as KernelFn,
  DepthwiseConv2dNativeBackpropFilter: depthwiseConv2dNativeBackpropFilter as unknown as KernelFn,
  ResizeNearestNeighborGrad: resizeNearestNeighborGrad as unknown as KernelFn,
  Identity: identity as unknown as KernelFn,
  [RELU_BIAS_GRAD]: reluBiasGrad as unknown as KernelFn,
  [BIAS_GRAD]: biasGrad as unknown as KernelFn,
  [UP_ADD_RELU]: upAddRelu as unknown as KernelFn,
  [PHASE_SPLIT]: phaseSplit as unknown as KernelFn,
  [SOFTMAX_CE]: softmaxCrossEntropy as unknown as KernelFn,
  [ADAMW_UPDATE]: adamwUpdate as unknown as KernelFn,
};

let registered = false;

/** Registers our kernels on the 'wasm' backend (idempotent). */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  for (const [name, kernelFunc] of Object.entries(wasmTrainingKernels)) {
    const stock = tf.getKernel(name, 'wasm');
    if (stock) {
      stockKernels.set(name, stock);
      tf.unregisterKernel(name, 'wasm');
    }
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc });
  }
  registered = true;
}

/** Restores the stock wasm kernels (and removes the ones the stock backend does not have). */
export function unregisterWasmTrainingKernels(): void {
  if (!registered) return;
  for (const name of Object.keys(wasmTrainingKernels)) {
    tf.unregisterKernel(name, 'wasm');
    const stock = stockKernels.get(name);
    if (stock) tf.registerKernel(stock);
  }
  stockKernels.clear();
  registered = false;
}

export function wasmTrainingKernelsRegistered(): boolean {
  return registered;
}

let cpuFixed = false;
const stockCpu = new Map<string, tf.KernelConfig>();

/** The stock cpu kernel we replaced (for comparisons in tests). */
export function stockCpuKernel(name: string): tf.KernelConfig | undefined {
  return stockCpu.get(name);
}

/**
 * Replaces the tfjs cpu backend's ResizeNearestNeighborGrad, which is wrong for batches of more
 * than one image in tfjs 4.22 (it steps through dy with the input's batch stride), by ours.
 */
export function registerCpuKernelFixes(): void {
  if (cpuFixed) return;
  const stock = tf.getKernel('ResizeNearestNeighborGrad', 'cpu');
  if (stock) {
    stockCpu.set('ResizeNearestNeighborGrad', stock);
    tf.unregisterKernel('ResizeNearestNeighborGrad', 'cpu');
  }
  tf.registerKernel({ kernelName: 'ResizeNearestNeighborGrad', backendName: 'cpu', kernelFunc: resizeNearestNeighborGradCpu as unknown as KernelFn });
  cpuFixed = true;
}
