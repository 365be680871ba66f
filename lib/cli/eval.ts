// `anon-impact eval <kind> ...`: dispatches on the first positional to the evaluation's module.
//   coco                                    -> lib/cli/eval-coco.ts (pycocotools COCOeval)
//   cityscapes-pixel | cityscapes-instance  -> lib/cli/eval-cityscapes.ts (cityscapesScripts)
// Each module's run() receives the whole argv, the kind included.

const USAGE = `usage: anon-impact eval coco --gt GT.json --results RES.json --iou-type bbox|segm|keypoints [--json]
       anon-impact eval cityscapes-pixel    --gt DIR --pred DIR [--json] [--out FILE]
       anon-impact eval cityscapes-instance --gt DIR --pred DIR [--json] [--out FILE]

Run \`anon-impact eval <kind> --help\` for the options of one kind.`;

type Runner = { run(argv: string[]): Promise<number> };

/** Imports a sibling command module, with a clear error when the file itself is absent. */
async function load(file: string, kind: string): Promise<Runner> {
  const url = new URL(file, import.meta.url);
  try {
    return (await import(url.href)) as Runner;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const missing = err.code === 'ERR_MODULE_NOT_FOUND' && typeof err.message === 'string' && err.message.includes(file.replace(/^\.\//, ''));
    if (missing) throw new Error(`'eval ${kind}' is not available: ${url.pathname} does not exist in this checkout`);
    throw e;
  }
}

export async function run(argv: string[]): Promise<number> {
  const kind = argv[0];
  switch (kind) {
    case 'coco':
      return (await load('./eval-coco.ts', kind)).run(argv);
    case 'cityscapes-pixel':
    case 'cityscapes-instance':
      return (await load('./eval-cityscapes.ts', kind)).run(argv);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      console.log(USAGE);
      return kind === undefined ? 2 : 0;
    default:
      console.error(`unknown evaluation '${kind}'\n\n${USAGE}`);
      return 2;
  }
}
