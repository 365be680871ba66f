// Shared option parsing for the sub-commands (node:util parseArgs, strict: unknown flags are errors).
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type Options = NonNullable<ParseArgsConfig['options']>;

type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O & { help: { type: 'boolean'; short: 'h' } }; allowPositionals: boolean; strict: true }>>;

export function parse<O extends Options>(argv: string[], options: O, allowPositionals = false): Parsed<O> {
  return parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } as const, ...options }, allowPositionals, strict: true }) as Parsed<O>;
}

/** A required string option, or a clear error. */
export function required(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new Error(`--${name} is required`);
  return v;
}

/** An integer option with a default and bounds. */
export function int(values: Record<string, unknown>, name: string, def: number, min = -Infinity, max = Infinity): number {
  const v = values[name];
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer in [${min}, ${max}], got '${String(v)}'`);
  return n;
}

/** A number option with a default. */
export function num(values: Record<string, unknown>, name: string, def: number): number {
  const v = values[name];
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got '${String(v)}'`);
  return n;
}
