// One image of an anonymization run: read, find its regions, anonymize, encode, write. The same
// code runs in worker threads and, with workers 0, in the calling thread.
//
// Output format = input format (by content): PNG in, PNG out (lossless, zlib level
// `pngCompressionLevel`); JPEG in, JPEG out at `jpegQuality`. No output carries metadata:
// - an image with regions is decoded, anonymized and encoded by sharp, which writes none;
// - an image without regions is, with `reencodeUntouched`, decoded and encoded the same way
//   (so that a baseline differs from an anonymized set only inside the regions); otherwise
//   it is copied byte for byte when it has no metadata, or copied with its metadata segments
//   removed (data/image-metadata.ts: compressed pixels untouched, decodes to the same pixels) — except
//   when it carries an ICC profile: the decoder converts through the profile, so such an image
//   is re-encoded (PNG losslessly) from the converted pixels, as anonymized images are.
// Every image is fully decoded (a truncated or corrupt file is an error, also when it would be
// copied), its size checked against the annotation, and every output checked once more for
// metadata before it is written.
// An alpha channel (PNG) is kept as it is; the method sees the colour channels only.
// Pixel coordinates are the stored pixel grid: an EXIF orientation tag is not applied (the
// annotations of COCO, Cityscapes and BDD100K refer to the stored pixels) and is dropped with
// the rest of the metadata.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../data/atomic.ts';
import { decodeImage, encodeImage, type Image } from '../data/image.ts';
import { checkRelativePath } from '../data/problems.ts';
import { DataError, type Sample } from '../data/types.ts';
import type { FaceDetector } from '../regions/face-detector.ts';
import type { SampleRegions } from '../regions/region.ts';
import { computeRegions, detectorNeeded, type RegionOptions } from '../regions/regions.ts';
import { createAnonymizer, type Anonymizer } from './anonymizer.ts';
import { findMetadata, sniffFormat, withoutRanges, type MetadataFormat } from '../data/image-metadata.ts';
import { OutTree } from './out-dir.ts';
import { canonicalJson, type ErrorRecord, type ImageAction, type ImageRecord, type OutputConfig, type RegionConfig } from './provenance.ts';
import { imageRng } from './rng.ts';

export interface ProcessConfig {
  /** Dataset root (absolute). */
  root: string;
  /** Output folder (absolute, real path). */
  out: string;
  region: RegionConfig;
  method: string;
  params: Record<string, unknown>;
  seed: number;
  output: OutputConfig;
}

export interface ImageTask {
  sample: Sample;
  /** The sample's latest journal record: skip the image when input, annotations and output still match it. */
  done?: { input: string; annotations: string; output: string };
}

export type ImageOutcome =
  | { type: 'image'; record: ImageRecord }
  /** Already done by an earlier run: input, annotation and output hashes match its record. */
  | { type: 'resumed'; id: string }
  | { type: 'error'; record: ErrorRecord };

export interface ImageProcessor {
  process(task: ImageTask): Promise<ImageOutcome>;
  dispose(): Promise<void>;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A stage tag carried by errors, for the provenance record. */
class StageError extends Error {
  constructor(
    readonly stage: string,
    message: string,
  ) {
    super(message);
  }
}

async function stage<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof StageError) throw e;
    throw new StageError(name, e instanceof Error ? e.message : String(e));
  }
}

/**
 * sha256 of what the regions of a sample are computed from: its size, its instances (category,
 * mask, box, flags, area, keypoints, face box) and its licence plates (id, box; left out when it
 * has none, so that the hash of a sample without plates is what it was before plates), so that a
 * resumed run redoes an image whose annotations changed even when its file did not.
 */
export function annotationHash(sample: Sample): string {
  const inst = sample.instances.map((i) => ({
    id: i.id,
    categoryId: i.categoryId,
    category: i.category,
    mask: { h: i.mask.h, w: i.mask.w, counts: Array.from(i.mask.counts) },
    bbox: i.bbox,
    iscrowd: i.iscrowd,
    ignore: i.ignore,
    area: i.area,
    keypoints: i.keypoints,
    faceBox: i.faceBox,
  }));
  const plates = sample.plates?.length ? sample.plates.map((p) => ({ id: p.id, box: p.box })) : undefined;
  return sha256(Buffer.from(canonicalJson({ id: sample.id, width: sample.width, height: sample.height, instances: inst, plates })));
}

/** PNG bit depth from the IHDR chunk (byte 24), or undefined for other files. */
function pngBitDepth(b: Uint8Array): number | undefined {
  return b.length > 24 && b[12] === 0x49 && b[13] === 0x48 && b[14] === 0x44 && b[15] === 0x52 ? b[24] : undefined;
}

/**
 * Runs `fn` on the colour channels only: an alpha channel (grey+alpha, RGBA PNGs) is taken off
 * before and put back unchanged after, so that a method's fill or filter never touches it.
 */
export async function withAlphaKept(img: Image, fn: (colour: Image) => Promise<Image>): Promise<Image> {
  if (img.channels !== 2 && img.channels !== 4) return fn(img);
  const c = img.channels - 1;
  const n = img.width * img.height;
  const colour = new Uint8Array(n * c);
  const alpha = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < c; k++) colour[i * c + k] = img.data[i * img.channels + k]!;
    alpha[i] = img.data[i * img.channels + c]!;
  }
  const out = await fn({ width: img.width, height: img.height, channels: c, data: colour });
  if (out.width !== img.width || out.height !== img.height || out.channels !== c) throw new Error(`anonymizer returned ${out.width}x${out.height}x${out.channels}, expected ${img.width}x${img.height}x${c}`);
  const data = new Uint8Array(n * img.channels);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < c; k++) data[i * img.channels + k] = out.data[i * c + k]!;
    data[i * img.channels + c] = alpha[i]!;
  }
  return { width: img.width, height: img.height, channels: img.channels, data };
}

/** The options of computeRegions for a run's region configuration (the detector aside). */
export function regionOptions(cfg: RegionConfig): Omit<RegionOptions, 'detector'> {
  return { kind: cfg.kind, categories: cfg.categories, minSize: cfg.minSize, requireKeypoints: cfg.requireKeypoints, dilation: cfg.dilation };
}

/** Strips a sample of the source records (not needed here; smaller to post to a worker). */
export function lean(sample: Sample): Sample {
  const out: Sample = { ...sample, source: undefined, instances: sample.instances.map((i) => ({ ...i, source: undefined })) };
  if (sample.plates) out.plates = sample.plates.map((p) => ({ ...p, source: undefined }));
  return out;
}

export async function createImageProcessor(cfg: ProcessConfig): Promise<ImageProcessor> {
  const anonymizer: Anonymizer = await createAnonymizer(cfg.method, cfg.params);
  const tree = new OutTree(cfg.out);
  let detector: Promise<FaceDetector> | undefined;
  /** The face detector, loaded on first need (once per processor). */
  const loadDetector = () => (detector ??= import('../regions/detector.ts').then((m) => m.loadFaceDetector()));
  const ropts = regionOptions(cfg.region);

  async function decodeChecked(bytes: Uint8Array, format: MetadataFormat, sample: Sample, file: string): Promise<Image> {
    let img = await decodeImage(bytes);
    // JPEG: greyscale stays 1 channel, everything else (CMYK, YCCK) becomes RGB.
    if (format === 'jpeg' && img.channels !== 1 && img.channels !== 3) img = await decodeImage(bytes, 3);
    if (img.data.length !== img.width * img.height * img.channels) {
      throw new Error(`${file}: only 8-bit images are supported (decoded ${img.data.length} bytes for ${img.width}x${img.height}x${img.channels})`);
    }
    if (img.width !== sample.width || img.height !== sample.height) {
      throw new DataError(file, `sample ${sample.id}`, 'width/height', `the image is ${img.width}x${img.height}, the annotation says ${sample.width}x${sample.height}`);
    }
    return img;
  }

  async function process(task: ImageTask): Promise<ImageOutcome> {
    const t0 = performance.now();
    const { sample } = task;
    const rel = checkRelativePath(sample.file);
    if ('reason' in rel) {
      return { type: 'error', record: { type: 'error', id: sample.id, input: { path: String(sample.file) }, stage: 'read', error: `${sample.file}: ${rel.reason}`, ms: 0 } };
    }
    const inPath = join(cfg.root, ...rel.path.split('/'));
    try {
      const bytes = await stage('read', async () => {
        try {
          return new Uint8Array(await readFile(inPath));
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          throw new Error(code === 'ENOENT' ? `${inPath}: image file not found` : `${inPath}: cannot read: ${(e as Error).message}`);
        }
      });
      const inSha = sha256(bytes);
      const annSha = annotationHash(sample);
      const outAbs = await stage('write', () => tree.file(rel.path));
      if (task.done && task.done.input === inSha && task.done.annotations === annSha) {
        const existing = await readFile(outAbs).catch(() => undefined);
        if (existing && sha256(existing) === task.done.output) return { type: 'resumed', id: sample.id };
      }
      const format = await stage('decode', () => {
        const f = sniffFormat(bytes);
        if (!f) throw new Error(`${inPath}: not a JPEG or PNG file`);
        // sharp hands 16-bit PNGs to us as 8-bit: anonymizing would lose precision silently
        if (f === 'png' && pngBitDepth(bytes) === 16) throw new Error(`${inPath}: 16-bit PNG images are not supported (8 bits per channel only)`);
        return f;
      });
      const metadata = await stage('decode', () => findMetadata(bytes, format, inPath));

      let image: Image | undefined;
      const decoded = async () => (image ??= await stage('decode', () => decodeChecked(bytes, format, sample, inPath)));
      // the image is decoded and the detector (tfjs) loaded for the regions only when a person
      // needs the detector; otherwise computeRegions gives the same without them (regions.ts)
      const found: SampleRegions = await stage('regions', async () => {
        if (cfg.region.detector === 'none' || !detectorNeeded(sample, ropts)) return computeRegions(sample, undefined, ropts);
        return computeRegions(sample, await decoded(), { ...ropts, detector: await loadDetector() });
      });

      let out: Uint8Array;
      let action: ImageAction;
      const encode = (img: Image) =>
        stage('encode', () => encodeImage(img, format, { quality: cfg.output.jpegQuality, compressionLevel: cfg.output.pngCompressionLevel }));
      if (found.regions.length > 0) {
        const img = await decoded();
        const anon = await stage('anonymize', () => withAlphaKept(img, (colour) => anonymizer.apply(colour, found.regions, imageRng(cfg.seed, sample.id))));
        out = await encode(anon);
        action = 'anonymized';
      } else {
        const img = await decoded(); // always decoded: a corrupt file is never passed on
        if (cfg.output.reencodeUntouched || metadata.some((m) => m.kind === 'icc')) {
          out = await encode(img);
          action = 'reencoded';
        } else if (metadata.length > 0) {
          out = withoutRanges(bytes, metadata);
          action = 'stripped';
        } else {
          out = bytes;
          action = 'copied';
        }
      }
      const left = await stage('encode', () => findMetadata(out, format, `output of ${inPath}`));
      if (left.length > 0) throw new StageError('encode', `output of ${inPath} still carries ${left.map((m) => m.name).join(', ')}`);
      await stage('write', () => writeFileAtomic(outAbs, out));
      const record: ImageRecord = {
        type: 'image',
        id: sample.id,
        input: { path: rel.path, sha256: inSha, bytes: bytes.length },
        annotations: annSha,
        output: { path: rel.path, sha256: sha256(out), bytes: out.length },
        action,
        metadata: metadata.map((m) => m.name),
        regions: found.regions.length,
        instances: found.records,
        ms: Math.round(performance.now() - t0),
      };
      return { type: 'image', record };
    } catch (e) {
      const st = e instanceof StageError ? e.stage : 'anonymize';
      const msg = e instanceof Error ? e.message : String(e);
      return {
        type: 'error',
        record: { type: 'error', id: sample.id, input: { path: rel.path }, stage: st, error: msg.includes(inPath) ? msg : `${inPath}: ${msg}`, ms: Math.round(performance.now() - t0) },
      };
    }
  }

  return {
    process,
    async dispose() {
      await anonymizer.dispose();
      if (detector) (await detector.catch(() => undefined))?.dispose();
    },
  };
}
