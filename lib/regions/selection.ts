// What a run anonymizes (the CLI's --region, a grid condition's region, the provenance's
// region.kind): one kind of region, or a person's face or body together with the licence plates
// ('face+plate': the DNAT whitepaper anonymized faces and plates).
import type { PersonRegionKind, RegionKind } from './region.ts';

export const REGION_SELECTIONS = ['face', 'body', 'plate', 'face+plate', 'body+plate'] as const;
export type RegionSelection = (typeof REGION_SELECTIONS)[number];

export function isRegionSelection(v: unknown): v is RegionSelection {
  return (REGION_SELECTIONS as readonly unknown[]).includes(v);
}

/** The selection, or an error naming the possible ones. */
export function checkRegionSelection(v: unknown, what = 'region'): RegionSelection {
  if (!isRegionSelection(v)) throw new RangeError(`${what} must be one of ${REGION_SELECTIONS.join(', ')}, got '${String(v)}'`);
  return v;
}

/** The region kinds of a selection, the person's first: 'face+plate' -> ['face', 'plate']. */
export function regionKinds(sel: RegionSelection): RegionKind[] {
  return sel.split('+') as RegionKind[];
}

/** The person part of a selection ('face' or 'body'), undefined for plates alone. */
export function personKind(sel: RegionSelection): PersonRegionKind | undefined {
  const k = regionKinds(sel)[0];
  return k === 'plate' ? undefined : k;
}

/** Whether a selection anonymizes licence plates. */
export function hasPlates(sel: RegionSelection): boolean {
  return regionKinds(sel).includes('plate');
}
