// Reading COCO JSON files (ground truth and results) with errors that name the file.
// Python's json module writes non-finite floats as the bare tokens NaN, Infinity and -Infinity,
// which JSON (and JSON.parse) does not allow; a results file with a NaN score is a common way for
// a broken model to fail. Such a file is re-read with those tokens turned into a marker value so
// that validation can name the record and the field that holds them.
import { readFile } from 'node:fs/promises';
import { DataError } from '../data/types.ts';

/** What a bare NaN / Infinity / -Infinity token outside a string is read as. */
export const NON_FINITE_MARK = '\u0000non-finite:';

/** Parses `text` as JSON; bare NaN / Infinity tokens become NON_FINITE_MARK + token. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const first = e as Error;
    if (/NaN|Infinity/.test(text)) {
      const marked = markNonFinite(text);
      if (marked !== null) {
        try {
          return JSON.parse(marked);
        } catch {
          // fall through to the original error
        }
      }
    }
    throw new DataError(file, '(file)', '(json)', `not valid JSON: ${first.message}`);
  }
}

/** Reads and parses a JSON file; a missing or unreadable file is an error naming it. */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new DataError(file, '(file)', '(json)', `cannot read: ${(e as Error).message}`);
  }
  return parseJsonText(text, file);
}

/** `text` with bare NaN / Infinity / -Infinity tokens (outside strings) replaced by marker strings; null if none. */
function markNonFinite(text: string): string | null {
  let out = '';
  let last = 0;
  let inString = false;
  let found = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      continue;
    }
    let token: string | null = null;
    if (c === 0x4e && text.startsWith('NaN', i)) token = 'NaN';
    else if (c === 0x49 && text.startsWith('Infinity', i)) token = 'Infinity';
    else if (c === 0x2d && text.startsWith('-Infinity', i)) token = '-Infinity';
    if (token !== null) {
      out += text.slice(last, i) + JSON.stringify(NON_FINITE_MARK + token);
      i += token.length - 1;
      last = i + 1;
      found = true;
    }
  }
  return found ? out + text.slice(last) : null;
}

/** A short description of a JSON value for an error message. */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string' && v.startsWith(NON_FINITE_MARK)) return v.slice(NON_FINITE_MARK.length);
  const s = JSON.stringify(v);
  if (s === undefined) return String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
