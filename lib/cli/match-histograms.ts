// `anon-impact match-histograms`: skimage match_histograms(source, reference, channel_axis=-1).
import { decodeImage, writeImage } from '../data/image.ts';
import { matchHistograms } from '../anonymize/histogram-match.ts';
import { int, parse, required } from './args.ts';

const help = `usage:
  anon-impact match-histograms --source A.png --reference B.png --out C.png [--quality 95]
  Matches each RGB channel of A to B's cumulative histogram exactly as skimage's
  exposure.match_histograms(A, B, channel_axis=-1) does on uint8 images (whose result is uint8:
  the interpolated values truncated). Both images are read as RGB (alpha dropped); sizes may differ.
  The output is written atomically, without metadata.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    source: { type: 'string' },
    reference: { type: 'string' },
    out: { type: 'string' },
    quality: { type: 'string' },
  });
  if (values.help) {
    console.log(help);
    return 0;
  }
  const source = await decodeImage(required(values, 'source'), 3);
  const reference = await decodeImage(required(values, 'reference'), 3);
  const out = required(values, 'out');
  const quality = int(values, 'quality', 95, 1, 100);
  await writeImage(out, matchHistograms(source, reference), { quality });
  return 0;
}
