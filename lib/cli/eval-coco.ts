// `anon-impact eval coco --gt GT.json --results RES.json --iou-type bbox|segm|keypoints [--json]`
// COCO evaluation with pycocotools' COCOeval semantics. Prints the lines COCOeval.summarize()
// prints and detectron2's per-category AP table (AP in percent, as detectron2 prints it), or with
// --json exactly one JSON object in which every number is a fraction:
//   {"iouType": ..., "stats": [12 or 10 fractions, -1 where undefined], "perCategoryAP": {name: fraction or null}}
import { categoryTable } from '../eval/category-table.ts';
import { evaluateCocoFiles } from '../eval/coco.ts';
import { IOU_TYPES } from '../eval/coco-params.ts';
import type { IouType } from '../eval/coco-params.ts';
import { perCategoryAp } from '../eval/coco-summary.ts';
import { parse, required } from './args.ts';

const USAGE = `usage: anon-impact eval coco --gt GT.json --results RES.json --iou-type bbox|segm|keypoints [--json]

  --gt FILE        COCO ground truth (images, categories, annotations)
  --results FILE   COCO results: a list of {image_id, category_id, score, bbox | segmentation | keypoints}
  --iou-type T     bbox, segm or keypoints
  --json           print {"iouType", "stats", "perCategoryAP"} as one JSON object instead of the text;
                   all its numbers are fractions in [0, 1]: stats as COCOeval.stats (-1 where
                   undefined), perCategoryAP per category name (null where undefined)

  Without --json: the lines COCOeval.summarize() prints, then detectron2's per-category AP table
  (AP in percent, 3 decimals, nan where undefined).`;

export async function run(argv: string[]): Promise<number> {
  const args = argv[0] === 'coco' ? argv.slice(1) : argv;
  const { values } = parse(args, {
    gt: { type: 'string' },
    results: { type: 'string' },
    'iou-type': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const gt = required(values, 'gt');
  const results = required(values, 'results');
  const iouType = required(values, 'iou-type');
  if (!(IOU_TYPES as readonly string[]).includes(iouType)) throw new Error(`--iou-type must be one of ${IOU_TYPES.join(', ')}, got '${iouType}'`);
  const summary = await evaluateCocoFiles(gt, results, iouType as IouType);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ iouType: summary.iouType, stats: summary.stats, perCategoryAP: perCategoryAp(summary.eval, 'fraction') })}\n`);
  } else {
    const table = categoryTable(summary.perCategory);
    const text = table.length ? [...summary.lines, '', `Per-category ${summary.iouType} AP:`, ...table] : summary.lines;
    process.stdout.write(`${text.join('\n')}\n`);
  }
  return 0;
}
