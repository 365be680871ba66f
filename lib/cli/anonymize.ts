// `anon-impact anonymize`: a complete anonymized copy of one split of a dataset (lib/anonymize/runner.ts).
import { anonymizerNames, isRealisticMethod } from '../anonymize/anonymizer.ts';
import { anonymizeDataset, type AnonymizeProgress } from '../anonymize/runner.ts';
import { checkRegionSelection, hasPlates, personKind } from '../regions/selection.ts';
import { int, num, parse, required } from './args.ts';
import { METHOD_FLAG_OPTIONS, methodFlagParams, paramValue } from './method-flags.ts';
import { progress, type Progress } from './progress.ts';

/** What a realistic method's generator can be. */
const GENERATORS =
  'builtin:GEN_DIR (a generator trained by `anon-impact train-generator`), onnx:FILE (an exported ONNX generator; needs onnxruntime-node) or rerender (synthetic dataset: a new person re-rendered in the same pose)';

const help = `usage:
  anon-impact anonymize --manifest M.yaml --split train --region face|body|plate|face+plate|body+plate --method NAME --out DIR
      methods: ${anonymizerNames().join(', ')}
      method parameters (only those of the chosen method):
        [--fill 127 | --fill R,G,B]                 maskout (default 127), cropout (default 0)
        [--sigma 7] [--ksize 21] [--variant native|deepprivacy2]   blur
        [--block 16] [--average block|region]       pixelate
        [--radius 5]                                inpaint
        --generator builtin:GEN_DIR|onnx:FILE|rerender    realistic methods (required):
              builtin:GEN_DIR                       a generator trained by \`anon-impact train-generator\`
              onnx:FILE                             an exported ONNX generator (needs onnxruntime-node)
              rerender                              synthetic dataset: a new person re-rendered in the same pose
        [--param KEY=VALUE ...]                     any method's parameter by name (realistic: docs/realistic.md)
        [--param plateGenerator=rerender]           realistic with licence plates: only rerender makes plates
      regions:
        --region plate                              licence plates (COCO 'license plate' annotations, Cityscapes
                                                    'license plate' polygons), each its box; face+plate, body+plate: both
        [--categories person,rider]                 default: the manifest's 'anonymize' list
        [--dilation dp2|N]                          body: DeepPrivacy2's radius (default) or N pixels
        [--min-size 32]                             skip instances whose DP2 body crop is below N^2 pixels
        [--require-keypoints]                       skip instances without labelled keypoints
        [--face-detector blazeface|none]            face: for persons without face box or head keypoints
      run:
        [--seed 0] [--workers N (default: cores; 0 = this thread)]
        [--jpeg-quality 95]                         JPEG datasets; PNG stays lossless
        [--reencode-untouched]                      re-encode images without regions too
        [--on-error stop|skip]                      stop at the first bad image (default) or record and skip it
  Writes the split's images (anonymized), its annotation/label files (unchanged), provenance.jsonl
  (journal), provenance.json (summary) and DIR/<dataset>-<region>-<method>.yaml (the output's
  manifest). DIR must not be inside the dataset. A killed run resumes when started again with the
  same arguments; a DIR holding another configuration is refused.
  exit status: 0 the output is complete; 1 an error stopped the run (bad options or data, or a bad
  image without --on-error skip); 3 the run finished but is incomplete (--on-error skip left out
  images: they are listed on stderr; run the same command again to retry them).`;

/** Exit status of a run that finished but left out images (--on-error skip). */
export const EXIT_INCOMPLETE = 3;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    manifest: { type: 'string' },
    split: { type: 'string' },
    region: { type: 'string' },
    method: { type: 'string' },
    out: { type: 'string' },
    ...METHOD_FLAG_OPTIONS,
    generator: { type: 'string' },
    param: { type: 'string', multiple: true },
    categories: { type: 'string' },
    dilation: { type: 'string' },
    'min-size': { type: 'string' },
    'require-keypoints': { type: 'boolean' },
    'face-detector': { type: 'string' },
    seed: { type: 'string' },
    workers: { type: 'string' },
    'jpeg-quality': { type: 'string' },
    'reencode-untouched': { type: 'boolean' },
    'on-error': { type: 'string' },
  });
  if (values.help) {
    console.log(help);
    return 0;
  }
  const manifest = required(values, 'manifest');
  const split = required(values, 'split');
  const region = checkRegionSelection(required(values, 'region'), '--region');
  const method = required(values, 'method');
  if (!anonymizerNames().includes(method)) throw new Error(`unknown --method '${method}' (known: ${anonymizerNames().join(', ')})`);
  const out = required(values, 'out');

  const params = methodFlagParams(values, method);
  for (const kv of values.param ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new Error(`--param must be KEY=VALUE, got '${kv}'`);
    params[kv.slice(0, eq)] = paramValue(kv.slice(eq + 1));
  }
  if (values.generator !== undefined) {
    if (!isRealisticMethod(method)) throw new Error(`--generator applies to the realistic methods only, not to --method ${method}`);
    params.generator = values.generator;
  }
  if (isRealisticMethod(method) && params.generator === undefined) throw new Error(`--method ${method} needs --generator: ${GENERATORS}`);

  let dilation: 'dp2' | number | undefined;
  if (values.dilation !== undefined) dilation = values.dilation === 'dp2' ? 'dp2' : int(values, 'dilation', 0, 0);
  const onError = values['on-error'] ?? 'stop';
  if (onError !== 'stop' && onError !== 'skip') throw new Error(`--on-error must be stop or skip, got '${onError}'`);
  const detector = values['face-detector'];
  if (detector !== undefined && detector !== 'blazeface' && detector !== 'none') throw new Error(`--face-detector must be blazeface or none, got '${detector}'`);
  const categories = values.categories?.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (categories && categories.length === 0) throw new Error('--categories must name at least one category');

  let bar: Progress | undefined;
  const result = await anonymizeDataset({
    manifest,
    split,
    region,
    method,
    params,
    out,
    seed: int(values, 'seed', 0),
    workers: values.workers === undefined ? undefined : int(values, 'workers', 0, 0),
    jpegQuality: int(values, 'jpeg-quality', 95, 1, 100),
    reencodeUntouched: values['reencode-untouched'] ?? false,
    onError,
    categories,
    dilation,
    minSize: values['min-size'] === undefined ? undefined : num(values, 'min-size', 0),
    requireKeypoints: values['require-keypoints'] ?? false,
    faceDetector: detector as 'blazeface' | 'none' | undefined,
    onProgress: (p: AnonymizeProgress) => {
      bar ??= progress(`anonymize ${split}`, p.total, 'images');
      bar.update(p.done, { resumed: p.resumed, failed: p.failed });
    },
  });
  bar?.stop();
  const c = result.counts;
  const skipped = Object.entries(c.instancesSkipped)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  const sources = Object.entries(c.instancesBySource ?? {})
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  console.log(
    `${result.complete ? 'wrote' : 'INCOMPLETE:'} ${c.images - c.failed}/${c.images} images to ${result.out} in ${result.seconds.toFixed(1)} s ` +
      `(${result.processed} processed, ${result.resumed} already done): ${c.anonymized} anonymized, ${c.reencoded} re-encoded, ${c.stripped} stripped of metadata, ${c.copied} copied; ` +
      `${c.instancesAnonymized} ${hasPlates(region) ? (personKind(region) ? 'instances and plates' : 'plates') : 'instances'} anonymized${sources ? ` (${sources})` : ''}${skipped ? `, skipped: ${skipped}` : ''}`,
  );
  console.log(`manifest: ${result.manifest}\nprovenance: ${result.provenance}`);
  if (!result.complete) {
    for (const e of result.errors) console.error(`skipped ${e.input.path}: ${e.error}`);
    console.error(`${result.errors.length} image(s) failed and are missing from ${result.out}: the annotations still list them, so 'data check' on the output reports them; run the same command again to retry them`);
    return EXIT_INCOMPLETE;
  }
  return 0;
}
