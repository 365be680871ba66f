// The per-category AP table detectron2's COCOEvaluator prints (_derive_coco_results), byte for
// byte: (category, AP) pairs in category order, three pairs a row (fewer when there are fewer
// categories: N_COLS = min(6, 2 * K)), rows filled left to right (itertools.zip_longest pads the
// last row with empty cells), laid out as tabulate(rows, tablefmt="pipe", floatfmt=".3f",
// headers=["category", "AP"] * (N_COLS // 2), numalign="left") lays it out: every column as wide
// as its widest cell or its header + 2, left-aligned, "| " ... " | " ... " |" rows under a
// ":---" rule. AP is in percent, as detectron2 prints it; an undefined AP (NaN there) prints
// "nan". (tabulate would also format a column of category names that all read as numbers as
// numbers; names are printed as they are here.)
import { format3 } from './coco-summary.ts';

/** The table's lines for per-category AP x 100 by category name (null where undefined); [] without categories. */
export function categoryTable(perCategory: Record<string, number | null>): string[] {
  const pairs = Object.entries(perCategory);
  if (pairs.length === 0) return [];
  const cols = Math.min(6, 2 * pairs.length);
  const flat = pairs.flatMap(([name, ap]) => [name, ap === null || Number.isNaN(ap) ? 'nan' : format3(ap)]);
  const rows: string[][] = [];
  for (let i = 0; i < flat.length; i += cols) rows.push(Array.from({ length: cols }, (_, c) => flat[i + c] ?? ''));
  const headers = Array.from({ length: cols }, (_, c) => (c % 2 === 0 ? 'category' : 'AP'));
  const widths = headers.map((h, c) => Math.max(h.length + 2, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => `| ${cells.map((s, c) => s.padEnd(widths[c]!)).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => `:${'-'.repeat(w + 1)}`).join('|')}|`, ...rows.map(line)];
}
