// A Cityscapes `_gtFine_polygons.json` (imgHeight, imgWidth, objects [{label, polygon, deleted?}]),
// read once per sample, and the licence plates in it: the objects labelled 'license plate'
// (label id -1, which cityscapesScripts never draws into a label image), each the box of the
// pixels PIL draws its polygon over (lib/data/plate.ts polygonBox), its id the object's index in
// `objects`. Deleted objects are skipped, as everywhere else.
import { readFile } from 'node:fs/promises';
import { PLATE_LABEL, polygonBox } from './plate.ts';
import type { Problems } from './problems.ts';
import type { Plate } from './types.ts';

export interface PolygonsFile {
  imgHeight: number;
  imgWidth: number;
  objects: unknown[];
}

const isFiniteNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A polygon as cityscapesScripts writes it: a list of [x, y] points. */
export function isPointList(poly: unknown): poly is number[][] {
  return Array.isArray(poly) && poly.every((p) => Array.isArray(p) && p.length === 2 && p.every(isFiniteNum));
}

/** The parsed file, its size checked against the image's; undefined (reported) when it is unusable. */
export async function readPolygonsFile(file: string, record: string, h: number, w: number, problems: Problems): Promise<PolygonsFile | undefined> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    problems.report(file, record, 'polygons', `invalid JSON: ${(e as Error).message}`);
    return undefined;
  }
  const j = json as { imgHeight?: unknown; imgWidth?: unknown; objects?: unknown };
  if (typeof json !== 'object' || json === null || !Array.isArray(j.objects)) {
    problems.report(file, record, 'objects', 'expected an object with an `objects` list');
    return undefined;
  }
  if (j.imgHeight !== h || j.imgWidth !== w) {
    problems.report(file, record, j.imgHeight !== h ? 'imgHeight' : 'imgWidth', `polygon file says ${String(j.imgWidth)}x${String(j.imgHeight)}, the image is ${w}x${h}`);
    return undefined;
  }
  return { imgHeight: h, imgWidth: w, objects: j.objects };
}

/** The licence plates of a polygons file, in file order; a bad plate polygon is reported and left out. */
export function platesFromPolygons(j: PolygonsFile, file: string, record: string, problems: Problems): Plate[] {
  const plates: Plate[] = [];
  j.objects.forEach((obj, i) => {
    const o = obj as { label?: unknown; polygon?: unknown; deleted?: unknown } | null;
    if (typeof o !== 'object' || o === null || o.label !== PLATE_LABEL || o.deleted) return;
    const rec = `${record} object #${i} (${PLATE_LABEL})`;
    if (!isPointList(o.polygon)) return problems.report(file, rec, 'polygon', 'expected a list of [x, y] points');
    if (o.polygon.length < 3) return problems.report(file, rec, 'polygon', `polygon has ${o.polygon.length} points, needs at least 3`);
    plates.push({ id: i, box: polygonBox(o.polygon), source: obj });
  });
  return plates;
}
