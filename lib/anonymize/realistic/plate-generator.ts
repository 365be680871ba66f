// Which generator makes a realistic method's licence plates. Only the re-render generator draws
// plates (rerender-plate.ts); the built-in generators and ONNX exports make faces or bodies. A run
// whose regions include plates names it (`plateGenerator: rerender`) or re-renders every region
// (`generator: rerender`); otherwise it is refused before any image is touched, with an error
// naming what is possible. No tfjs and no generator code here: grids ask while planning.
import { hasPlates, type RegionSelection } from '../../regions/selection.ts';
import { METHOD_NAMES } from '../methods.ts';

export const PLATE_GENERATORS = ['rerender'] as const;
export type PlateGenerator = (typeof PLATE_GENERATORS)[number];

/** The plate generator a realistic method's parameters give, or undefined when none makes plates. */
export function plateGeneratorOf(params: Record<string, unknown>): PlateGenerator | undefined {
  if (params.plateGenerator !== undefined) return (PLATE_GENERATORS as readonly unknown[]).includes(params.plateGenerator) ? (params.plateGenerator as PlateGenerator) : undefined;
  return params.generator === 'rerender' ? 'rerender' : undefined;
}

/** The refusal of a realistic method without a plate generator, naming what is possible. */
export function noPlateGenerator(method: string, params: Record<string, unknown>): string {
  const gen = typeof params.generator === 'string' && params.generator !== 'builtin' ? `generator ${params.generator}` : 'the built-in generator';
  return (
    `${method}: no generator for licence plates (region kind 'plate'): ${gen} makes faces or bodies. ` +
    `Give plateGenerator=rerender (a new plate of random characters, drawn as the synthetic dataset draws its plates) or generator=rerender, ` +
    `or anonymize the plates with ${METHOD_NAMES.join(', ')}`
  );
}

/** Why a method cannot anonymize the selection's plates, or undefined when it can. */
export function realisticPlateProblem(method: string, params: Record<string, unknown>, selection: RegionSelection): string | undefined {
  if (!method.startsWith('realistic') || !hasPlates(selection)) return undefined;
  return plateGeneratorOf(params) ? undefined : noPlateGenerator(method, params);
}
