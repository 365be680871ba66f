// Checking a sample handed to a test: numbers only, no infinities; whether it holds NaN is reported.

/**
 * Copies `values` into a Float64Array after checking every element is a number and not ±Infinity
 * (scipy 1.10's rankdata turns a sample holding both +inf and -inf into NaN ranks, so there is no
 * reference behaviour to follow). NaN is let through; `hasNaN` says whether there was one.
 */
export function checkSample(values: ArrayLike<number>, name: string): { data: Float64Array; hasNaN: boolean } {
  const data = numberArray(values, name);
  let hasNaN = false;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v === Infinity || v === -Infinity) throw new RangeError(`${name}[${i}] must be finite, got ${v}`);
    if (Number.isNaN(v)) hasNaN = true;
  }
  return { data, hasNaN };
}

/** Copies `values` into a Float64Array after checking every element is a number (NaN and ±Infinity pass). */
export function numberArray(values: ArrayLike<number>, name: string): Float64Array {
  if (values == null || typeof values.length !== 'number') throw new TypeError(`${name} must be an array of numbers`);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number') throw new TypeError(`${name}[${i}] must be a number, got ${typeof v}`);
    out[i] = v;
  }
  return out;
}

/** Throws unless `value` is one of `allowed`. */
export function checkChoice<T extends string>(value: string, allowed: readonly T[], name: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new RangeError(`${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got '${value}'`);
  }
  return value as T;
}
