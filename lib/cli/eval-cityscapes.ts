// `anon-impact eval cityscapes-pixel|cityscapes-instance --gt DIR --pred DIR [--json] [--out FILE]`
// The official Cityscapes evaluations (cityscapesScripts) over a ground-truth folder and a folder
// of predictions found as the scripts find them: every ground truth file under --gt (recursively),
// and for each the one file under --pred (recursively) whose name is `<city>_<seq>_<frame>*.png`
// (pixel level: labelIds images) or `<city>_<seq>_<frame>*.txt` (instance level: lines
// `relPathToMask.png labelId confidence`).
import { readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { writeJsonAtomic } from '../data/atomic.ts';
import { CityscapesPixelEvaluator, formatPixelTable, pixelResultToJson } from '../eval/cityscapes-pixel.ts';
import { CityscapesInstanceEvaluator, formatInstanceTable, instanceResultToJson, loadPredictionText } from '../eval/cityscapes-instance.ts';
import { readInstanceIdMap, readLabelMap } from '../eval/label-image.ts';
import { parse, required } from './args.ts';
import { progress } from './progress.ts';

const USAGE = `usage: anon-impact eval cityscapes-pixel    --gt DIR --pred DIR [--json] [--out FILE]
       anon-impact eval cityscapes-instance --gt DIR --pred DIR [--json] [--out FILE]

  --gt DIR     ground truth: *_gtFine_labelIds.png with their *_gtFine_instanceIds.png
               (pixel level), *_gtFine_instanceIds.png (instance level), searched recursively
  --pred DIR   predictions, searched recursively, one per ground truth image, named
               <city>_<seq>_<frame>*.png (labelIds, not trainIds; 8-bit grey or palette PNG) or
               <city>_<seq>_<frame>*.txt (lines 'relPathToMask.png labelId confidence')
  --json       print the result as one JSON object (NaN as null) instead of the table
  --out FILE   also write that JSON object to FILE`;

interface FileEntry {
  name: string;
  path: string;
}

/** Every file under `dir` (os.walk: directory symlinks not followed), sorted by name then path. */
export async function walkFiles(dir: string): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  const visit = async (d: string) => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (e) {
      throw new Error(`${d}: cannot read folder: ${(e as Error).message}`);
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) await visit(p);
      else if (e.isFile() || e.isSymbolicLink()) out.push({ name: e.name, path: p });
    }
  };
  await visit(resolve(dir));
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** `<city>_<seq>_<frame>` of a Cityscapes file name (getCsFileInfo). */
export function cityscapesPrefix(file: string): string {
  const parts = basename(file).split('_');
  if (parts.length < 4) throw new Error(`${file}: not a Cityscapes file name (<city>_<seq>_<frame>_<type>...)`);
  return parts.slice(0, 3).join('_');
}

/**
 * For each ground truth file, its one prediction: a file named `<prefix>*<ext>` anywhere under
 * the prediction folder (fnmatch as the scripts use it). Missing or multiple predictions are an
 * error naming every ground truth file concerned.
 */
export function matchPredictions(gtFiles: readonly string[], predFiles: readonly FileEntry[], ext: string): string[] {
  const candidates = predFiles.filter((f) => f.name.endsWith(ext)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const problems: string[] = [];
  const out: string[] = [];
  for (const gt of gtFiles) {
    const prefix = cityscapesPrefix(gt);
    // binary search for the first name >= prefix, then every name starting with it
    let lo = 0;
    let hi = candidates.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (candidates[mid].name < prefix) lo = mid + 1;
      else hi = mid;
    }
    const found: string[] = [];
    for (let i = lo; i < candidates.length && candidates[i].name.startsWith(prefix); i++) found.push(candidates[i].path);
    if (found.length === 0) problems.push(`found no prediction for ground truth ${gt} (expected a file ${prefix}*${ext})`);
    else if (found.length > 1) problems.push(`found multiple predictions for ground truth ${gt}: ${found.join(', ')}`);
    out.push(found[0]);
  }
  if (problems.length) {
    const shown = problems.slice(0, 20);
    if (problems.length > shown.length) shown.push(`... and ${problems.length - shown.length} more`);
    throw new Error(shown.join('\n'));
  }
  return out;
}

/** What differs between the two evaluations: the ground truth files, the prediction files, and how a pair is read and reported. */
interface Evaluation {
  name: string;
  /** Ground truth file name suffix, searched recursively under --gt. */
  gtSuffix: string;
  /** Prediction file extension, searched recursively under --pred. */
  predExt: string;
  /** Reads one ground truth file and its prediction into the evaluator. */
  add(gtFile: string, predFile: string, predDir: string): Promise<void>;
  /** The result as JSON, and as the scripts print it. */
  finish(): { json: unknown; text: string };
}

async function evaluateFolders(argv: string[], ev: Evaluation): Promise<number> {
  const { values } = parse(argv, { gt: { type: 'string' }, pred: { type: 'string' }, json: { type: 'boolean' }, out: { type: 'string' } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const gtDir = required(values, 'gt');
  const predDir = required(values, 'pred');
  const gtFiles = (await walkFiles(gtDir)).filter((f) => f.name.endsWith(ev.gtSuffix)).map((f) => f.path);
  if (gtFiles.length === 0) throw new Error(`${gtDir}: no ground truth files *${ev.gtSuffix} found`);
  const predFiles = matchPredictions(gtFiles, await walkFiles(predDir), ev.predExt);
  const bar = progress(ev.name, gtFiles.length, 'images');
  try {
    for (let i = 0; i < gtFiles.length; i++) {
      await ev.add(gtFiles[i], predFiles[i], predDir);
      bar.update(i + 1);
    }
  } finally {
    bar.stop();
  }
  const { json, text } = ev.finish();
  if (values.out) await writeJsonAtomic(values.out, json, 2);
  if (values.json) console.log(JSON.stringify(json));
  else console.log(text);
  return 0;
}

function pixelEvaluation(): Evaluation {
  const ev = new CityscapesPixelEvaluator();
  return {
    name: 'cityscapes-pixel',
    gtSuffix: '_gtFine_labelIds.png',
    predExt: '.png',
    async add(gtFile, predFile) {
      const instFile = gtFile.replace(/_gtFine_labelIds\.png$/, '_gtFine_instanceIds.png');
      const gt = await readLabelMap(gtFile);
      const pred = await readLabelMap(predFile);
      const inst = await readInstanceIdMap(instFile).catch((e: Error) => {
        throw new Error(`unable to load ${instFile} (needed for iIoU): ${e.message}`);
      });
      if (pred.width !== gt.width || pred.height !== gt.height) {
        throw new Error(`${predFile}: image size ${pred.width}x${pred.height} differs from ground truth ${gtFile} (${gt.width}x${gt.height})`);
      }
      if (inst.width !== gt.width || inst.height !== gt.height) {
        throw new Error(`${instFile}: image size ${inst.width}x${inst.height} differs from ${gtFile} (${gt.width}x${gt.height})`);
      }
      ev.addPair({ width: gt.width, height: gt.height, gt: gt.data, pred: pred.data, instanceIds: inst.data, gtName: gtFile, predName: predFile, instName: instFile });
    },
    finish() {
      const result = ev.result();
      return { json: pixelResultToJson(result), text: `Evaluated ${ev.pairCount} pairs of images.\n\n${formatPixelTable(result)}` };
    },
  };
}

function instanceEvaluation(): Evaluation {
  const ev = new CityscapesInstanceEvaluator();
  return {
    name: 'cityscapes-instance',
    gtSuffix: '_gtFine_instanceIds.png',
    predExt: '.txt',
    async add(gtFile, predFile, predDir) {
      const inst = await readInstanceIdMap(gtFile);
      const preds = await loadPredictionText(predFile, predDir, inst);
      ev.addImage({ width: inst.width, height: inst.height, instanceIds: inst.data, name: gtFile }, preds);
    },
    finish() {
      const result = ev.result();
      return { json: instanceResultToJson(result), text: `Evaluated ${ev.imageCount} images.\n\n${formatInstanceTable(result)}` };
    },
  };
}

/** argv starts after `eval`: argv[0] is 'cityscapes-pixel' or 'cityscapes-instance'. */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'cityscapes-pixel') return evaluateFolders(rest, pixelEvaluation());
  if (sub === 'cityscapes-instance') return evaluateFolders(rest, instanceEvaluation());
  if (!sub || sub === '--help' || sub === '-h') {
    console.log(USAGE);
    return sub ? 0 : 2;
  }
  console.error(`unknown evaluation '${sub}'\n\n${USAGE}`);
  return 2;
}
