// Data manifests: one YAML file per dataset saying what it is, where it lives and how to get it.
// Schema-validated with zod; every schema problem is reported, not just the first.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DataError, type DatasetFormat } from './types.ts';

const relPath = z.string().min(1);

const splitSchema = z
  .object({
    /** COCO: annotation JSON; BDD100K: Scalabel JSON (relative to root). */
    annotations: relPath.optional(),
    /** COCO: a COCO JSON over the same images whose 'license plate' annotations are the split's
     *  licence plates (lib/data/coco-plates.ts), when `annotations` has none (e.g. person_keypoints). */
    plates: relPath.optional(),
    /** COCO / BDD100K: image folder (relative to root). */
    images: relPath.optional(),
    /** BDD100K: folder of RGBA instance bitmasks (alternative to `annotations`). */
    bitmasks: relPath.optional(),
    /** Cityscapes: split folder name under leftImg8bit/ and gtFine/ (default: the split's key). */
    folder: z.string().min(1).optional(),
  })
  .strict();

export const manifestSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash, underscore'),
    description: z.string().optional(),
    format: z.enum(['coco', 'cityscapes', 'bdd100k']),
    /** Dataset root, absolute or relative to the manifest's folder. */
    root: z.string().min(1),
    /** Environment variable that, when set, overrides `root`. */
    rootEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name')
      .optional(),
    licence: z.string().min(1),
    obtain: z.string().min(1),
    /** Category names whose instances get anonymized. */
    anonymize: z.array(z.string().min(1)).min(1).default(['person']),
    splits: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), splitSchema).refine((s) => Object.keys(s).length > 0, 'at least one split'),
    /** sha256 (hex) of files relative to root, checked by `data check`. */
    checksums: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/, 'sha256 in lower-case hex')).optional(),
    /** Parameters the synthetic generator was run with (embedded dataset only). */
    synth: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export type ManifestFile = z.infer<typeof manifestSchema>;
export type SplitSpec = z.infer<typeof splitSchema>;

export interface Manifest extends ManifestFile {
  /** Absolute path of the manifest file. */
  path: string;
  /** Absolute dataset root after applying `rootEnv`. */
  rootDir: string;
  format: DatasetFormat;
}

/** Schema problems as DataErrors (file, record = manifest, field = the YAML path). */
export function validateManifest(file: string, value: unknown): { manifest?: ManifestFile; problems: DataError[] } {
  const r = manifestSchema.safeParse(value);
  if (r.success) return { manifest: r.data, problems: [] };
  const problems = r.error.issues.map((i) => new DataError(file, 'manifest', i.path.length ? i.path.join('.') : '(top level)', i.message));
  return { problems };
}

export function resolveRoot(file: string, m: ManifestFile, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = m.rootEnv ? env[m.rootEnv] : undefined;
  const root = fromEnv && fromEnv.length > 0 ? fromEnv : m.root;
  return isAbsolute(root) ? resolve(root) : resolve(dirname(resolve(file)), root);
}

/** Loads and validates a manifest; throws one error listing every schema problem. */
export async function loadManifest(file: string, env: NodeJS.ProcessEnv = process.env): Promise<Manifest> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new DataError(file, 'manifest', '(file)', `cannot read: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (e) {
    throw new DataError(file, 'manifest', '(yaml)', (e as Error).message.split('\n')[0]);
  }
  const { manifest, problems } = validateManifest(file, value);
  if (!manifest) throw new Error(problems.map((p) => p.message).join('\n'));
  return { ...manifest, path, rootDir: resolveRoot(path, manifest, env) };
}

export function splitSpec(m: Manifest, split: string): SplitSpec {
  const s = m.splits[split];
  if (!s) throw new DataError(m.path, 'manifest', `splits.${split}`, `no such split (have: ${Object.keys(m.splits).join(', ')})`);
  return s;
}
