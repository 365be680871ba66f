// An ablation grid: one knob of one condition of a grid varied over values, everything else kept.
// The knob is a method parameter (blur sigma, mask-out fill, pixelation block), a region option
// (body dilation, minimum size) or a training variant (backbone depth). The grid keeps the base
// grid's original condition and the condition as the base grid has it (its stages are shared
// with the base grid through the stage cache), and adds one condition per value, named
// '<method>-<knob>-<value>' in the results, labelled '<Method> (<knob> <value>)'.
// A training variant applies to every condition (the original included): the relative drop is
// measured at each value, as Hukkelås & Lindseth's Figure 8 does for backbone depth.
import { conditionId, parseGrid, resultMethod, type Condition, type GridSpec } from './spec.ts';

export type KnobPlace = 'params' | 'regionOptions' | 'variant';

export interface SweepOptions {
  /** Name of the new grid (results run ids start with it). */
  name: string;
  title?: string;
  /** The condition whose knob varies, by conditionId (e.g. 'body:blur'). */
  condition: string;
  /** Where the knob lives and its name, e.g. { in: 'params', key: 'sigma' }. */
  knob: { in: KnobPlace; key: string };
  values: readonly (number | string | boolean)[];
  /** Keep the base condition unchanged beside the varied ones (default true; not for 'variant'). */
  keepBase?: boolean;
  /** Display label of the varied condition's method (default: the condition's label or method). */
  methodLabel?: string;
}

/** A results-safe text for a knob value ('3', '0.5', 'dp2'). */
export function valueName(v: number | string | boolean): string {
  return String(v).replace(/[^A-Za-z0-9.+_-]+/g, '_');
}

export function sweepGrid(base: GridSpec, o: SweepOptions): GridSpec {
  if (o.values.length === 0) throw new Error(`sweep ${o.name}: no values`);
  const target = base.conditions.find((c) => conditionId(c) === o.condition);
  if (!target) throw new Error(`sweep ${o.name}: grid ${base.name} has no condition '${o.condition}' (conditions: ${base.conditions.map(conditionId).join(', ')})`);
  const original = base.conditions.find((c) => c.region === 'none' && Object.keys(c.variant).length === 0);
  if (!original) throw new Error(`sweep ${o.name}: grid ${base.name} has no original condition`);
  const label = o.methodLabel ?? target.label ?? target.method;
  const conditions: Condition[] = [];
  if (o.knob.in === 'variant') {
    if (target.region === 'none') throw new Error(`sweep ${o.name}: a training variant is swept over the original and '${o.condition}' together; name an anonymized condition`);
    for (const v of o.values) {
      const variant = { ...target.variant, [o.knob.key]: v as string | number | boolean };
      conditions.push({ ...original, variant: { ...original.variant, [o.knob.key]: v as string | number | boolean } });
      conditions.push({ ...target, variant });
    }
  } else {
    conditions.push(original);
    if (o.keepBase ?? true) conditions.push(target);
    const name = resultMethod(target);
    for (const v of o.values) {
      const c: Condition = { ...target, [o.knob.in]: { ...target[o.knob.in], [o.knob.key]: v } };
      c.name = `${name}-${o.knob.key}-${valueName(v)}`;
      c.label = `${label} (${o.knob.key} ${v})`;
      delete c.reference;
      conditions.push(c);
    }
  }
  const ids = conditions.map(conditionId);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new Error(`sweep ${o.name}: two conditions would be '${dup}' (a value repeated?)`);
  const { source: _source, ...rest } = base;
  return parseGrid(`sweep ${o.name}`, {
    ...rest,
    name: o.name,
    title: o.title ?? `${base.title}: ${label}, ${o.knob.key} varied`,
    xAxis: o.knob.in === 'variant' ? o.knob.key : base.xAxis,
    conditions,
  });
}
