// pycocotools converts `iscrowd` with np.array(iscrowd, dtype=np.uint8) and tests the byte for
// nonzero; this reproduces that conversion for booleans and numbers.
export function crowdFlags(iscrowd: ArrayLike<number | boolean>, n: number, what: string): Uint8Array {
  if (iscrowd.length !== n && iscrowd.length !== 0) {
    throw new RangeError(`${what}: iscrowd has ${iscrowd.length} entries for ${n} ground truths`);
  }
  const out = new Uint8Array(n);
  for (let g = 0; g < iscrowd.length; g++) {
    const v = iscrowd[g];
    out[g] = v === true ? 1 : typeof v === 'number' && Number.isFinite(v) && (Math.trunc(v) & 0xff) !== 0 ? 1 : 0;
  }
  return out;
}
