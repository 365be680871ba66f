import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, formatCsv, parseCsv } from '../../lib/experiments/csv.ts';
import { DataError } from '../../lib/data/types.ts';

test('RFC 4180 quoting: only fields with comma, quote, CR or LF are quoted; quotes doubled', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('cr\r'), '"cr\r"');
  assert.equal(csvField(''), '');
  assert.equal(formatCsv([['a', 'b,c'], ['', '"']]), 'a,"b,c"\n,""""\n');
});

test('parse: quoted commas, doubled quotes, newlines in fields, CRLF, BOM, blank lines, trailing empty field', () => {
  const text = '\ufeffa,b,c\r\n"x,1","say ""hi""","multi\nline"\n\nlast,,\n';
  const recs = parseCsv(text, 'f.csv');
  assert.deepEqual(recs, [
    { line: 1, fields: ['a', 'b', 'c'] },
    { line: 2, fields: ['x,1', 'say "hi"', 'multi\nline'] },
    { line: 5, fields: ['last', '', ''] },
  ]);
  // no final newline
  assert.deepEqual(parseCsv('a,b\n1,2', 'f.csv').map((r) => r.fields), [['a', 'b'], ['1', '2']]);
});

test('format then parse is the identity', () => {
  const recs = [['run,1', 'q"uote', ''], ['a\r\nb', ' spaced ', 'ü,ß']];
  assert.deepEqual(parseCsv(formatCsv(recs), 'x').map((r) => r.fields), recs);
});

test('malformed CSV: clear errors naming file, line and field', () => {
  assert.throws(() => parseCsv('a,b\n"open,2\n', 'bad.csv'), (e: unknown) => e instanceof DataError && /bad\.csv: line 2: field 1: quoted field is not closed/.test(e.message));
  assert.throws(() => parseCsv('a,b\n1,x"y\n', 'bad.csv'), (e: unknown) => e instanceof DataError && /line 2: field 2: a double quote inside an unquoted field/.test(e.message));
  assert.throws(() => parseCsv('a,b\n"1"x,2\n', 'bad.csv'), (e: unknown) => e instanceof DataError && /line 2: field 1: unexpected "x" after a closing quote/.test(e.message));
});
