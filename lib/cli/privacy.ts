// `anon-impact privacy`: privacy figures of an anonymized copy (lib/privacy/privacy-report.ts).
import { privacyReport, type PrivacyReport } from '../privacy/privacy-report.ts';
import { formatPrivacyTable } from '../privacy/privacy-table.ts';
import { int, parse, required } from './args.ts';
import { progress, type Progress } from './progress.ts';

const help = `usage:
  anon-impact privacy --manifest M.yaml --split S --anonymized DIR --region face|body [--json]
      [--backend wasm|cpu] [--baseline-pairs 100000] [--max-images N] [--records] [--quiet]
  Privacy figures of DIR, an anonymized copy of split S of the dataset M written by
  \`anon-impact anonymize\` (its provenance.jsonl says what was anonymized and how), over the
  regions the copy anonymized, each original image beside its anonymized one:
    face re-identification   cosine and @vladmandic/human similarity of face-recognition
                             descriptors (faceres) of the original and the anonymized face crop;
                             share matched by Human's rule (similarity > 0.5), and the same share
                             over pairs of two different original faces as the baseline
    face detectability       share of face regions BlazeFace still finds (detection centre inside
                             the face box), in the anonymized and in the original images
    person detectability     share of anonymized persons CenterNet (COCO) still finds (box IoU >= 0.5
                             with the person's box), in the anonymized and in the original images
    appearance leak          Bhattacharyya distance of the H-S histograms (OpenCV, 50x60 bins) of the
                             original and the anonymized region
    pixel independence       whether the method's output ignores the region's pixels (its readsRegion flag)
  With --region body the faces are those of the persons whose bodies were anonymized.
  --max-images N measures N of the anonymized images, evenly spaced in split order (default: all).
  --json prints one JSON object (every figure with its n, the models); --records adds the
  per-face, per-person and per-region values to it. docs/privacy.md says what each figure means.
  exit status: 0 done; 1 bad input (the error names the file, the record and the field).`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    manifest: { type: 'string' },
    split: { type: 'string' },
    anonymized: { type: 'string' },
    region: { type: 'string' },
    json: { type: 'boolean' },
    records: { type: 'boolean' },
    backend: { type: 'string' },
    'baseline-pairs': { type: 'string' },
    'max-images': { type: 'string' },
    quiet: { type: 'boolean' },
  });
  if (values.help) {
    console.log(help);
    return 0;
  }
  const manifest = required(values, 'manifest');
  const split = required(values, 'split');
  const anonymized = required(values, 'anonymized');
  const region = required(values, 'region');
  if (region !== 'face' && region !== 'body') throw new Error(`--region must be face or body, got '${region}'`);
  const backend = values.backend;
  if (backend !== undefined && backend !== 'wasm' && backend !== 'cpu') throw new Error(`--backend must be wasm or cpu, got '${backend}'`);
  const maxBaselinePairs = int(values, 'baseline-pairs', 100_000, 0);
  const maxImages = values['max-images'] === undefined ? undefined : int(values, 'max-images', 0, 1);
  let bar: Progress | undefined;
  const report: PrivacyReport = await privacyReport({
    manifest,
    split,
    anonymized,
    region,
    backend,
    maxBaselinePairs,
    maxImages,
    onProgress: values.quiet
      ? undefined
      : (done, total) => {
          bar ??= progress('privacy', total, 'img');
          bar.update(done);
        },
  }).finally(() => bar?.stop());
  if (values.json) {
    const { records, ...summary } = report;
    console.log(JSON.stringify(values.records ? report : summary, null, 2));
  } else {
    console.log(formatPrivacyTable(report));
  }
  return 0;
}
