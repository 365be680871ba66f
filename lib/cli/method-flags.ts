// Method parameters as command-line flags, shared by `anonymize` and `apply`: one flag per
// parameter of the image-level methods (lib/anonymize/methods.ts), values read as numbers, comma
// lists of numbers, booleans or strings, and checked by the method's own schema when it runs. A
// flag for a parameter the chosen method does not have is an error naming the method's parameters.
import { getMethod, isMethodName } from '../anonymize/methods.ts';

export const METHOD_FLAGS = ['fill', 'sigma', 'ksize', 'variant', 'block', 'average', 'radius'] as const;
export type MethodFlag = (typeof METHOD_FLAGS)[number];

/** The flags' parseArgs options (all strings). */
export const METHOD_FLAG_OPTIONS = Object.fromEntries(METHOD_FLAGS.map((k) => [k, { type: 'string' }])) as { [K in MethodFlag]: { type: 'string' } };

/** A parameter value from the command line: a number, a comma list of numbers, a boolean, or a string. */
export function paramValue(v: string): unknown {
  const t = v.trim();
  if (/^-?(\d+(\.\d*)?|\.\d+)(e-?\d+)?$/i.test(t)) return Number(t);
  if (t.includes(',')) {
    const parts = t.split(',').map((s) => s.trim());
    if (parts.every((p) => /^-?(\d+(\.\d*)?|\.\d+)$/.test(p))) return parts.map(Number);
  }
  if (t === 'true') return true;
  if (t === 'false') return false;
  return t;
}

/**
 * The parameters given by method flags. For an image-level method a flag it has no parameter for
 * is an error; for another method (the realistic ones, which check their own parameters) every
 * flag given is passed on.
 */
export function methodFlagParams(values: Partial<Record<MethodFlag, string>>, method: string): Record<string, unknown> {
  const allowed = isMethodName(method) ? Object.keys(getMethod(method).schema.shape) : undefined;
  const params: Record<string, unknown> = {};
  for (const k of METHOD_FLAGS) {
    const v = values[k];
    if (v === undefined) continue;
    if (allowed && !allowed.includes(k)) throw new Error(`--${k} does not apply to method ${method} (its parameters: ${allowed.map((a) => `--${a}`).join(', ') || 'none'})`);
    params[k] = paramValue(v);
  }
  return params;
}
