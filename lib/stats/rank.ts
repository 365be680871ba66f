// Ranks with ties averaged: scipy.stats.rankdata(a, method='average').

/**
 * 1-based ranks of `values`; a group of equal values gets the mean of the ranks it spans
 * (so ranks are integers or halves). -0 and 0 are equal. NaN is not allowed here: callers
 * decide what NaN means before ranking.
 */
export function rankAverage(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(values[i])) throw new RangeError(`rankAverage: value ${i} is NaN`);
  }
  order.sort((a, b) => values[a]! - values[b]! || 0);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && values[order[j]!] === values[order[i]!]) j++;
    // positions i..j-1 (0-based) hold ranks i+1..j; their mean is (i + 1 + j) / 2
    const r = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) ranks[order[k]!] = r;
    i = j;
  }
  return ranks;
}

/** Sizes of the groups of equal values (groups of one included), in ascending value order. */
export function tieGroupSizes(values: ArrayLike<number>): number[] {
  const sorted = Float64Array.from(values).sort();
  const sizes: number[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    sizes.push(j - i);
    i = j;
  }
  return sizes;
}
