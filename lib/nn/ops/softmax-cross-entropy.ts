// The name and contract of the fused softmax cross-entropy kernel that lib/train/loss.ts calls
// where a backend registers it (lib/nn/runtime/wasm-kernels.ts does, for wasm).
/**
 * Kernel {logits [P,C] float32, index [P] int32 (-1 = ignored)} -> [loss sum (scalar), gradient
 * [P,C] of the sum]; backends that register it compute both in one pass instead of the op-by-op
 * formula of crossEntropySum.
 */
export const SOFTMAX_CE = 'AnonImpactSoftmaxCrossEntropy';
