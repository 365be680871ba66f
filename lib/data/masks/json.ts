// COCO's JSON form of an RLE: {size: [h, w], counts} with counts either the compressed string
// (pycocotools' own output) or the plain list of runs (an "uncompressed" RLE, which pycocotools
// turns into an RLE with frPyObjects -> frUncompressedRLE, taking the counts as they are).
import type { Rle, RleJson } from '../types.ts';
import { DataError } from '../types.ts';
import { NO_CONTEXT } from './context.ts';
import type { MaskContext } from './context.ts';
import { parseCounts, toString } from './string.ts';
import { MAX_PIXELS } from './validate.ts';

/** {size: [h, w], counts: compressed string}, as pycocotools' encode returns it. */
export function toJson(rle: Rle): RleJson {
  return { size: [rle.h, rle.w], counts: toString(rle) };
}

/**
 * Reads a compressed or uncompressed RLE object. Checks that `size` is two non-negative
 * integers (equal to h, w when given), that counts are non-negative integers < 2^32 (or a
 * well-formed string) and that they sum to h * w. Any problem throws a DataError naming ctx.
 */
export function fromJson(json: unknown, h?: number, w?: number, ctx: MaskContext = NO_CONTEXT): Rle {
  const fail = (problem: string): never => {
    throw new DataError(ctx.file, ctx.record, ctx.field, problem);
  };
  if (json === null || typeof json !== 'object' || Array.isArray(json)) fail(`expected an RLE object {size, counts}, got ${describe(json)}`);
  const obj = json as Record<string, unknown>;
  const size = obj.size;
  if (!Array.isArray(size) || size.length !== 2 || !size.every((v) => Number.isInteger(v) && (v as number) >= 0)) {
    fail(`size must be [height, width] of non-negative integers, got ${describe(size)}`);
  }
  const [sh, sw] = size as [number, number];
  if ((h !== undefined && sh !== h) || (w !== undefined && sw !== w)) {
    fail(`RLE size [${sh}, ${sw}] disagrees with the image size [${h ?? sh}, ${w ?? sw}] (height, width)`);
  }
  if (sh * sw > MAX_PIXELS) fail(`size [${sh}, ${sw}] has more than 2^32 - 1 pixels`);
  const raw = obj.counts;
  let counts: Uint32Array;
  if (typeof raw === 'string') {
    const r = parseCounts(raw);
    if (typeof r === 'string') fail(r);
    counts = r as Uint32Array;
  } else if (Array.isArray(raw)) {
    counts = new Uint32Array(raw.length);
    for (let j = 0; j < raw.length; j++) {
      const v = raw[j];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
        fail(`counts[${j}] must be a non-negative integer below 2^32, got ${describe(v)}`);
      }
      counts[j] = v as number;
    }
  } else {
    counts = fail(`counts must be a string or a list of integers, got ${describe(raw)}`);
  }
  let sum = 0;
  for (let j = 0; j < counts.length; j++) sum += counts[j];
  if (sum !== sh * sw) fail(`counts sum to ${sum} pixels, but size [${sh}, ${sw}] has ${sh * sw}`);
  return { h: sh, w: sw, counts };
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
