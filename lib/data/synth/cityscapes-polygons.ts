// The synthetic set's `_gtFine_polygons.json` (cityscapesScripts' layout: imgHeight, imgWidth and
// a list of objects with `label` and `polygon` [[x, y], ...]). It carries what the label images
// cannot: the licence plates, as objects labelled 'license plate' whose polygon PIL draws as the
// plate's box (lib/data/plate.ts boxPolygon). As in Cityscapes, plates are labelled as their car
// in labelIds and instanceIds; those images hold every other object, so the file lists the plates
// only (cityscapesScripts never draws a plate into a label image: its id is -1).
import { boxPolygon, PLATE_LABEL } from '../plate.ts';
import type { Box } from '../types.ts';

export interface PolygonsJson {
  imgHeight: number;
  imgWidth: number;
  objects: { label: string; polygon: [number, number][] }[];
}

export function platePolygonsJson(width: number, height: number, plates: readonly Box[]): PolygonsJson {
  return { imgHeight: height, imgWidth: width, objects: plates.map((box) => ({ label: PLATE_LABEL, polygon: boxPolygon(box) })) };
}
