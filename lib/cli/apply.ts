// `anon-impact apply`: anonymize one image inside a mask with one method.
import { decodeImage, writeImage } from '../data/image.ts';
import { getMethod, METHOD_NAMES, resolveParams } from '../anonymize/methods.ts';
import { int, parse, required } from './args.ts';
import { METHOD_FLAG_OPTIONS, methodFlagParams } from './method-flags.ts';

const help = `usage:
  anon-impact apply --image IN --mask MASK.png --method ${METHOD_NAMES.join('|')} --out OUT.png|.jpg
                    [--fill 127 | --fill R,G,B]   maskout (default 127), cropout (default 0)
                    [--sigma 7] [--ksize 21] [--variant native|deepprivacy2]   blur
                    [--block 16] [--average block|region]                     pixelate
                    [--radius 5]                                              inpaint
                    [--quality 95]                                            JPEG output quality
  Mask pixels > 0 (first channel) are the region; the mask must have the image's size.
  The output is written atomically, without metadata.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    image: { type: 'string' },
    mask: { type: 'string' },
    method: { type: 'string' },
    out: { type: 'string' },
    ...METHOD_FLAG_OPTIONS,
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
  const params = resolveParams(method.name, methodFlagParams(values, method.name)); // checked before any image is read
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
