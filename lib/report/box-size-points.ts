// The person box-size CDF of a dataset split (Hukkelås & Lindseth 2023, Figure 7) as the points
// the figure takes (lib/report/figures.ts boxSizeCdfFigure): the same rows `anon-impact data stats`
// writes to its CSV (dataset, split, the categories joined by '+', relative length, its square
// (the area fraction of a box of that relative length) and the empirical CDF).
import { boxSizes, empiricalCdf } from '../data/box-sizes.ts';
import type { Dataset } from '../data/types.ts';
import type { BoxSizePoint } from './box-sizes-csv.ts';

export interface BoxSizePointOptions {
  /** Dataset name in the figure's legend. */
  dataset: string;
  /** Categories whose boxes count (default ['person']). */
  categories?: readonly string[];
}

export function boxSizePoints(ds: Dataset, options: BoxSizePointOptions): BoxSizePoint[] {
  const categories = options.categories ?? ['person'];
  const cdf = empiricalCdf(boxSizes(ds, categories).map((b) => b.relativeLength));
  return cdf.map((p) => ({ dataset: options.dataset, split: ds.split, category: categories.join('+'), relativeLength: p.x, areaFraction: p.x * p.x, cdf: p.cdf }));
}
