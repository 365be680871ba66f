// The manifest of an anonymized copy: the source manifest's schema, root '.', only the
// anonymized split (same relative paths), so that `data check` and the trainer read the
// output folder directly. Dropped from the source: rootEnv (it would point back at the
// original), checksums (the images changed; provenance.json has every file's sha256) and the
// synthetic generator's parameters.
import { stringify } from 'yaml';
import { validateManifest, type Manifest, type ManifestFile } from '../data/manifest.ts';

/** `<dataset>-<region>-<method>` with characters outside the manifest name rule made '-'. */
export function outputName(dataset: string, region: string, method: string): string {
  return `${dataset}-${region}-${method}`.replace(/[^A-Za-z0-9._-]/g, '-');
}

/** What was anonymized: 'face regions of person/rider instances', 'licence plates', or both joined by 'and'. */
function whatRegions(region: string, categories: readonly string[]): string {
  const kinds = region.split('+');
  const person = kinds.find((k) => k !== 'plate');
  const parts: string[] = [];
  if (person) parts.push(`${person} regions of ${categories.join('/')} instances`);
  if (kinds.includes('plate')) parts.push('licence plates');
  return parts.join(' and ');
}

export function outputManifest(src: Manifest, split: string, region: string, method: string, categories: readonly string[], obtain: string): { file: string; text: string } {
  const name = outputName(src.name, region, method);
  const m: ManifestFile = {
    name,
    description: `${src.name}, split ${split}, ${whatRegions(region, categories)} anonymized by ${method} (provenance.json: parameters, versions, every image and every skipped instance with its reason)`,
    format: src.format,
    root: '.',
    licence: src.licence,
    obtain,
    anonymize: [...categories],
    splits: { [split]: { ...src.splits[split] } },
  };
  const { problems } = validateManifest(`${name}.yaml`, m);
  if (problems.length) throw new Error(`output manifest: ${problems.map((p) => p.message).join('; ')}`);
  return { file: `${name}.yaml`, text: stringify(m, { lineWidth: 0 }) };
}
