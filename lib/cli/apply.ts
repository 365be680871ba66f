// `anon-impact apply`: anonymize one image inside a mask with one method.
import { decodeImage, writeImage } from '../data/image.ts';
import { getMethod, METHOD_NAMES, type MethodName } from '../anonymize/methods.ts';
import { int, num, parse, required } from './args.ts';

const help = `usage:
  anon-impact apply --image IN --mask MASK.png --method ${METHOD_NAMES.join('|')} --out OUT.png|.jpg
                    [--fill 127 | --fill R,G,B]   maskout (default 127), cropout (default 0)
                    [--sigma 7] [--ksize 21] [--variant native|deepprivacy2]   blur
                    [--block 16] [--average block|region]                     pixelate
                    [--radius 5]                                              inpaint
                    [--quality 95]                                            JPEG output quality
  Mask pixels > 0 (first channel) are the region; the mask must have the image's size.
  The output is written atomically, without metadata.`;

const perMethod: Record<MethodName, string[]> = {
  maskout: ['fill'],
  cropout: ['fill'],
  blur: ['sigma', 'ksize', 'variant'],
  pixelate: ['block', 'average'],
  inpaint: ['radius'],
};

function parseFill(v: string): number | number[] {
  const parts = v.split(',').map((s) => s.trim());
  const nums = parts.map((s) => Number(s));
  if (parts.some((s) => s === '') || nums.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) {
    throw new Error(`--fill must be an integer 0..255 or a comma list of them, got '${v}'`);
  }
  return nums.length === 1 ? nums[0]! : nums;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    image: { type: 'string' },
    mask: { type: 'string' },
    method: { type: 'string' },
    out: { type: 'string' },
    fill: { type: 'string' },
    sigma: { type: 'string' },
    ksize: { type: 'string' },
    variant: { type: 'string' },
    block: { type: 'string' },
    average: { type: 'string' },
    radius: { type: 'string' },
    quality: { type: 'string' },
  });
  if (values.help) {
    console.log(help);
    return 0;
  }
  const imagePath = required(values, 'image');
  const maskPath = required(values, 'mask');
  const out = required(values, 'out');
  const method = getMethod(required(values, 'method'));
  const allowed = perMethod[method.name];
  for (const k of ['fill', 'sigma', 'ksize', 'variant', 'block', 'average', 'radius']) {
    if ((values as Record<string, unknown>)[k] !== undefined && !allowed.includes(k)) {
      throw new Error(`--${k} does not apply to method ${method.name} (its options: ${allowed.map((a) => `--${a}`).join(', ')})`);
    }
  }
  const params: Record<string, unknown> = {};
  if (values.fill !== undefined) params.fill = parseFill(values.fill);
  if (values.sigma !== undefined) params.sigma = num(values, 'sigma', 7);
  if (values.ksize !== undefined) params.ksize = int(values, 'ksize', 21, 1);
  if (values.variant !== undefined) params.variant = values.variant;
  if (values.block !== undefined) params.block = int(values, 'block', 16, 1);
  if (values.average !== undefined) params.average = values.average;
  if (values.radius !== undefined) params.radius = num(values, 'radius', 5);
  const quality = int(values, 'quality', 95, 1, 100);

  const img = await decodeImage(imagePath);
  const maskImg = await decodeImage(maskPath, 1);
  if (maskImg.width !== img.width || maskImg.height !== img.height) {
    throw new Error(`${maskPath}: mask is ${maskImg.width}x${maskImg.height}, image ${imagePath} is ${img.width}x${img.height}; they must be the same size`);
  }
  const mask = new Uint8Array(maskImg.width * maskImg.height);
  for (let i = 0; i < mask.length; i++) mask[i] = maskImg.data[i]! > 0 ? 1 : 0;
  const result = method.apply(img, mask, params);
  await writeImage(out, result, { quality });
  return 0;
}
