// An overview of datasets that may or may not be on this machine (real samples, a user's own
// data): for each one found, annotation previews of its first images, its class counts and its
// person box sizes; for each one whose root folder does not exist, a line saying it was skipped.
// One HTML fragment for a notebook (previews inlined as PNG data URIs). A dataset whose root
// exists but does not read is an error, not a skip.
import { existsSync } from 'node:fs';
import { classCounts, type ClassCount } from '../data/class-counts.ts';
import { readDataset, type DatasetSpec } from '../data/dataset.ts';
import type { Dataset } from '../data/types.ts';
import type { BoxSizePoint } from './box-sizes-csv.ts';
import { boxSizePoints } from './box-size-points.ts';
import { htmlTable } from './records-table.ts';
import { annotationPreview } from './sample-preview.ts';

export interface OverviewSource {
  /** Name in headings, tables and the box-size legend. */
  name: string;
  spec: DatasetSpec;
}

export interface OverviewOptions {
  /** Images previewed per dataset (default 1). */
  previews?: number;
  /** Categories whose box sizes are collected (default ['person']). */
  categories?: readonly string[];
  /** Preview width in CSS pixels (default 512). */
  width?: number;
}

export interface DatasetOverview {
  html: string;
  /** The datasets found, read. */
  found: { name: string; dataset: Dataset }[];
  /** Names of the datasets skipped, with the folder that was missing. */
  skipped: { name: string; root: string }[];
  counts: (ClassCount & { dataset: string })[];
  boxSizes: BoxSizePoint[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export async function datasetOverview(sources: readonly OverviewSource[], options: OverviewOptions = {}): Promise<DatasetOverview> {
  const out: DatasetOverview = { html: '', found: [], skipped: [], counts: [], boxSizes: [] };
  const parts: string[] = [];
  const width = options.width ?? 512;
  for (const src of sources) {
    parts.push(`<h4>${esc(src.name)}</h4>`);
    if (!existsSync(src.spec.root)) {
      out.skipped.push({ name: src.name, root: src.spec.root });
      parts.push(`<p><i>${esc(src.spec.root)} not found: skipped.</i></p>`);
      continue;
    }
    const ds = await readDataset(src.spec);
    out.found.push({ name: src.name, dataset: ds });
    const n = Math.min(options.previews ?? 1, ds.samples.length);
    for (let i = 0; i < n; i++) {
      const png = await annotationPreview(ds, i);
      parts.push(`<figure style="display:inline-block;margin:4px"><img src="data:image/png;base64,${png.toString('base64')}" style="max-width:${width}px;width:100%"><figcaption>${esc(ds.samples[i]!.file)}</figcaption></figure>`);
    }
    const counts = classCounts(ds).filter((c) => c.instances + c.crowd + c.ignored > 0);
    out.counts.push(...counts.map((c) => ({ dataset: src.name, ...c })));
    parts.push(`<p>${ds.samples.length} image(s), split ${esc(ds.split)}</p>`);
    if (counts.length) parts.push(htmlTable(counts));
    out.boxSizes.push(...boxSizePoints(ds, { dataset: src.name, categories: options.categories }));
  }
  out.html = parts.join('\n') + '\n';
  return out;
}
