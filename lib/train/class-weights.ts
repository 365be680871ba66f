// Class weights of the semantic cross-entropy from the training set's class frequencies, as ENet
// weights them for Cityscapes (Paszke et al. 2016, "ENet", section 5.2): w_c = 1 / ln(k + p_c),
// p_c the fraction of labelled pixels of class c, k = 1.02 (weights bounded by 1 / ln 1.02 ~ 50).
// Rare classes (persons are a few percent of street-scene pixels) then learn early in a short run.
import { IGNORE_LABEL } from './classes.ts';

/** Labelled-pixel counts per class over label maps (values >= numClasses other than IGNORE_LABEL are an error). */
export function classCounts(maps: Iterable<Uint8Array>, numClasses: number): Float64Array {
  const counts = new Float64Array(numClasses);
  for (const m of maps) {
    for (let i = 0; i < m.length; i++) {
      const v = m[i];
      if (v === IGNORE_LABEL) continue;
      if (v >= numClasses) throw new RangeError(`label ${v} is neither a class in [0, ${numClasses}) nor ${IGNORE_LABEL}`);
      counts[v]++;
    }
  }
  return counts;
}

/** ENet weights 1 / ln(k + p_c); classes never seen get 1 / ln(k) (they contribute nothing anyway). */
export function enetWeights(counts: ArrayLike<number>, k = 1.02): Float32Array {
  let total = 0;
  for (let c = 0; c < counts.length; c++) total += counts[c];
  const out = new Float32Array(counts.length);
  for (let c = 0; c < counts.length; c++) out[c] = 1 / Math.log(k + (total > 0 ? counts[c] / total : 0));
  return out;
}
