// Comma-separated values as RFC 4180 defines them: a field that holds a comma, a double quote,
// a CR or a LF is enclosed in double quotes, and a double quote inside it is doubled. The reader
// accepts LF and CRLF record ends, quoted fields spanning lines, a leading UTF-8 byte-order mark,
// and skips blank lines (as pandas.read_csv does by default). The writer ends every record with
// LF (what pandas.to_csv writes) and quotes only the fields that need it.
import { DataError } from '../data/types.ts';

/** One parsed record with the 1-based line its first field starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Parses CSV text into records; `file` names the source in errors. */
export function parseCsv(text: string, file: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    // a blank line (LF or CRLF alone) is no record
    if (text[i] === '\n') {
      i++;
      line++;
      continue;
    }
    if (text[i] === '\r' && text[i + 1] === '\n') {
      i += 2;
      line++;
      continue;
    }
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        const open = line;
        i++;
        for (;;) {
          if (i >= n) throw new DataError(file, `line ${open}`, `field ${fields.length + 1}`, 'quoted field is not closed before the end of the file');
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        const c = text[i];
        if (i < n && c !== ',' && c !== '\n' && !(c === '\r' && text[i + 1] === '\n')) {
          throw new DataError(file, `line ${line}`, `field ${fields.length + 1}`, `unexpected ${JSON.stringify(c)} after a closing quote`);
        }
      } else {
        const from = i;
        while (i < n) {
          const c = text[i];
          if (c === ',' || c === '\n' || (c === '\r' && text[i + 1] === '\n')) break;
          if (c === '"') throw new DataError(file, `line ${line}`, `field ${fields.length + 1}`, 'a double quote inside an unquoted field (RFC 4180 needs the whole field quoted)');
          i++;
        }
        field = text.slice(from, i);
      }
      fields.push(field);
      if (i >= n) break;
      if (text[i] === ',') {
        i++;
        continue;
      }
      // record end
      i += text[i] === '\r' ? 2 : 1;
      line++;
      break;
    }
    out.push({ line: start, fields });
  }
  return out;
}

/** A field as RFC 4180 writes it: quoted only when it holds a comma, a quote, CR or LF. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Records to CSV text, each ended by LF. */
export function formatCsv(records: readonly (readonly string[])[]): string {
  let s = '';
  for (const r of records) s += r.map(csvField).join(',') + '\n';
  return s;
}
