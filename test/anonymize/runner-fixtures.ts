// Small datasets for the runner tests, written to temporary folders: the synthetic street
// scenes (both layouts), and a COCO set of JPEG and PNG images carrying metadata.
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import { writeSynthDataset } from '../../lib/data/synth/write.ts';
import { afterIhdr, afterSoi, jpegSegment, pngChunk } from './metadata-fixtures.ts';
import { lcgBytes } from './fixtures.ts';

// The synthetic manifests carry rootEnv: keep it from redirecting the tests' datasets.
delete process.env.ANON_IMPACT_SYNTH_ROOT;

export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The synthetic dataset (train split only) under `dir`; returns the manifests' paths. */
export async function synthDataset(dir: string, train = 4, width = 256, height = 128): Promise<{ coco: string; cityscapes: string }> {
  await writeSynthDataset({ out: dir, train, val: 0, width, height, seed: 1 });
  return { coco: join(dir, 'synth-coco.yaml'), cityscapes: join(dir, 'synth-cityscapes.yaml') };
}

export interface FileState {
  sha256: string;
  size: number;
  mtimeMs: number;
  mode: number;
}

/** Every entry under `dir` (files hashed; folders and links by their lstat), by relative path. */
export async function snapshot(dir: string): Promise<Map<string, FileState>> {
  const out = new Map<string, FileState>();
  const walk = async (d: string) => {
    for (const name of (await readdir(d)).sort()) {
      const p = join(d, name);
      const st = await lstat(p);
      const rel = relative(dir, p);
      if (st.isDirectory()) {
        out.set(rel + '/', { sha256: '', size: 0, mtimeMs: st.mtimeMs, mode: st.mode });
        await walk(p);
      } else {
        const sha = st.isFile() ? createHash('sha256').update(await readFile(p)).digest('hex') : '';
        out.set(rel, { sha256: sha, size: st.size, mtimeMs: st.mtimeMs, mode: st.mode });
      }
    }
  };
  await walk(dir);
  return out;
}

/** Relative path -> contents of every file under `dir`. */
export async function readTree(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.set(relative(dir, p), await readFile(p));
    }
  };
  await walk(dir);
  return out;
}

export const FX_W = 64;
export const FX_H = 48;
export const SECRETS = ['SECRET-EXIF', 'SECRET-ARTIST', 'SECRET-XMP', 'SECRET-COMMENT', 'SECRET-TEXT'];
const XMP = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>SECRET-XMP</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>';
const EXIF = { IFD0: { Copyright: 'SECRET-EXIF', Artist: 'SECRET-ARTIST' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '59/1 54/1 12/1', GPSLongitudeRef: 'E', GPSLongitude: '10/1 45/1 3/1' } };

/** What each image of the COCO fixture is. */
export const FX_IMAGES = {
  'p1.jpg': { person: true, meta: 'exif+gps+xmp+comment' },
  'p2.png': { person: true, meta: 'exif+gps+xmp+text' },
  'n1.jpg': { person: false, meta: 'exif+gps+xmp+comment' },
  'n2.png': { person: false, meta: 'exif+gps+xmp+text' },
  'n3.jpg': { person: false, meta: 'none' },
  'n4.png': { person: false, meta: 'none' },
  'n5.jpg': { person: false, meta: 'icc' },
} as const;
export type FxName = keyof typeof FX_IMAGES;

async function fixtureImage(name: FxName, seed: number): Promise<Buffer> {
  const s = () => sharp(Buffer.from(lcgBytes(seed, FX_W * FX_H * 3)), { raw: { width: FX_W, height: FX_H, channels: 3 } });
  const { meta } = FX_IMAGES[name];
  const jpeg = name.endsWith('.jpg');
  if (meta === 'none') return jpeg ? s().jpeg({ quality: 90 }).toBuffer() : s().png().toBuffer();
  if (meta === 'icc') return s().withIccProfile('p3').jpeg({ quality: 90 }).toBuffer();
  if (jpeg) return afterSoi(await s().withExif(EXIF).withXmp(XMP).jpeg({ quality: 90 }).toBuffer(), jpegSegment(0xfe, Buffer.from('SECRET-COMMENT')));
  return afterIhdr(await s().withExif(EXIF).withXmp(XMP).png().toBuffer(), pngChunk('tEXt', Buffer.from('Comment\0SECRET-TEXT', 'latin1')));
}

/**
 * A COCO dataset under `dir`: images/<name> for every FX_IMAGES entry, one person (a polygon
 * with a face box) in the person images and a car in n3; ann/train.json; fx.yaml.
 */
export async function cocoFixture(dir: string): Promise<string> {
  await mkdir(join(dir, 'images'), { recursive: true });
  await mkdir(join(dir, 'ann'), { recursive: true });
  const images: unknown[] = [];
  const annotations: unknown[] = [];
  let id = 1;
  let aid = 1;
  for (const name of Object.keys(FX_IMAGES) as FxName[]) {
    await writeFile(join(dir, 'images', name), await fixtureImage(name, 100 + id));
    images.push({ id, file_name: name, width: FX_W, height: FX_H });
    if (FX_IMAGES[name].person) {
      annotations.push({
        id: aid++,
        image_id: id,
        category_id: 1,
        segmentation: [[10, 6, 30, 6, 30, 44, 10, 44]],
        area: 20 * 38,
        bbox: [10, 6, 20, 38],
        iscrowd: 0,
        face_box: [14, 7, 10, 9],
      });
    }
    if (name === 'n3.jpg') annotations.push({ id: aid++, image_id: id, category_id: 3, segmentation: [[40, 30, 60, 30, 60, 46, 40, 46]], area: 320, bbox: [40, 30, 20, 16], iscrowd: 0 });
    id++;
  }
  const categories = [
    { id: 1, name: 'person', supercategory: 'person' },
    { id: 3, name: 'car', supercategory: 'vehicle' },
  ];
  // indented and with a key order of its own: the copy must keep these bytes
  await writeFile(join(dir, 'ann', 'train.json'), JSON.stringify({ info: { description: 'fixture' }, images, annotations, categories }, null, 3) + '\n');
  const manifest = ['name: fx', 'format: coco', 'root: .', 'licence: test fixture', 'obtain: written by the tests', 'anonymize: [person]', 'splits:', '  train:', '    annotations: ann/train.json', '    images: images', ''].join('\n');
  await writeFile(join(dir, 'fx.yaml'), manifest);
  return join(dir, 'fx.yaml');
}
