// `anon-impact stats wilcoxon|mannwhitney`: the rank tests of lib/stats (scipy.stats 1.10 semantics)
// on numbers given on the command line. Bad input (not a number, unequal lengths, unknown option
// values) is a usage error: message on stderr, exit code 2.
import { mannWhitneyU, type MannWhitneyMethod } from '../stats/mannwhitney.ts';
import { wilcoxon, type Alternative, type WilcoxonMethod, type ZeroMethod } from '../stats/wilcoxon.ts';
import { parse } from './args.ts';

const USAGE = `usage: anon-impact stats wilcoxon    --x LIST [--y LIST] [--alternative two-sided|greater|less]
                                   [--method auto|exact|approx] [--correction]
                                   [--zero-method wilcox|pratt|zsplit] [--json]
       anon-impact stats mannwhitney --x LIST --y LIST [--alternative two-sided|greater|less]
                                   [--method auto|exact|asymptotic] [--no-continuity] [--json]

  wilcoxon      Wilcoxon signed-rank test of x - y (paired) or of x alone, as scipy.stats.wilcoxon
  mannwhitney   Mann-Whitney U test of x against y, as scipy.stats.mannwhitneyu; the statistic is U of x
  LIST          comma-separated numbers, e.g. 0.71,0.69,-0.2 (a list may start with a minus sign)
  --json        print {"statistic": ..., "pvalue": ...} (NaN as null) instead of a sentence`;

class UsageError extends Error {}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Comma-separated decimal numbers; anything else is a usage error naming the option and the item. */
export function parseList(text: string, name: string): number[] {
  const items = text.split(',').map((s) => s.trim());
  return items.map((s, i) => {
    if (!NUMBER.test(s)) throw new UsageError(`--${name}: item ${i + 1} ('${s}') is not a number`);
    const v = Number(s);
    if (!Number.isFinite(v)) throw new UsageError(`--${name}: item ${i + 1} ('${s}') is out of range`);
    return v;
  });
}

function choice<T extends string>(value: unknown, allowed: readonly T[], name: string, def: T): T {
  if (value === undefined) return def;
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got '${String(value)}'`);
  }
  return value as T;
}

/** Lets `--x -1,2` through: a value that starts with a minus sign is joined to its option. */
function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if ((a === '--x' || a === '--y') && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

const ALTERNATIVES = ['two-sided', 'greater', 'less'] as const;

function fmt(v: number): string {
  return Number.isNaN(v) ? 'nan' : String(v);
}

function print(test: string, detail: string, statistic: number, pvalue: number, json: boolean): void {
  if (json) console.log(JSON.stringify({ statistic: Number.isNaN(statistic) ? null : statistic, pvalue: Number.isNaN(pvalue) ? null : pvalue }));
  else console.log(`${test} (${detail}): statistic = ${fmt(statistic)}, p-value = ${fmt(pvalue)}`);
}

function runWilcoxon(argv: string[]): number {
  const { values } = parse(joinNegativeValues(argv), {
    x: { type: 'string' },
    y: { type: 'string' },
    alternative: { type: 'string' },
    method: { type: 'string' },
    correction: { type: 'boolean' },
    'zero-method': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.x === undefined) throw new UsageError('--x is required');
  const x = parseList(values.x, 'x');
  const y = values.y === undefined ? null : parseList(values.y, 'y');
  if (y && y.length !== x.length) throw new UsageError(`--x and --y must have the same length for a paired test (x has ${x.length}, y has ${y.length})`);
  const alternative: Alternative = choice(values.alternative, ALTERNATIVES, 'alternative', 'two-sided');
  const method: WilcoxonMethod = choice(values.method, ['auto', 'exact', 'approx'] as const, 'method', 'auto');
  const zeroMethod: ZeroMethod = choice(values['zero-method'], ['wilcox', 'pratt', 'zsplit'] as const, 'zero-method', 'wilcox');
  const correction = values.correction ?? false;
  const r = wilcoxon(x, y, { alternative, method, zeroMethod, correction });
  const detail = [
    y ? `paired, n = ${x.length}` : `one-sample, n = ${x.length}`,
    r.method ?? method,
    alternative,
    `zero_method ${zeroMethod}`,
    ...(correction ? ['continuity correction'] : []),
  ].join(', ');
  print('wilcoxon', detail, r.statistic, r.pvalue, values.json ?? false);
  return 0;
}

function runMannWhitney(argv: string[]): number {
  const { values } = parse(joinNegativeValues(argv), {
    x: { type: 'string' },
    y: { type: 'string' },
    alternative: { type: 'string' },
    method: { type: 'string' },
    'no-continuity': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.x === undefined || values.y === undefined) throw new UsageError('--x and --y are both required');
  const x = parseList(values.x, 'x');
  const y = parseList(values.y, 'y');
  const alternative: Alternative = choice(values.alternative, ALTERNATIVES, 'alternative', 'two-sided');
  const method: MannWhitneyMethod = choice(values.method, ['auto', 'exact', 'asymptotic'] as const, 'method', 'auto');
  const useContinuity = !(values['no-continuity'] ?? false);
  const r = mannWhitneyU(x, y, { alternative, method, useContinuity });
  const detail = [
    `n1 = ${x.length}, n2 = ${y.length}`,
    r.method ?? method,
    alternative,
    ...(r.method === 'asymptotic' ? [useContinuity ? 'continuity correction' : 'no continuity correction'] : []),
  ].join(', ');
  print('mannwhitney U of x', detail, r.statistic, r.pvalue, values.json ?? false);
  return 0;
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    (sub ? console.log : console.error)(USAGE);
    return sub ? 0 : 2;
  }
  try {
    if (sub === 'wilcoxon') return runWilcoxon(rest);
    if (sub === 'mannwhitney') return runMannWhitney(rest);
    throw new UsageError(`unknown test '${sub}' (wilcoxon or mannwhitney)`);
  } catch (e) {
    // option-parsing errors from node:util parseArgs are usage errors too
    const code = (e as { code?: string }).code;
    if (e instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      console.error(`anon-impact stats: ${(e as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}
