// The statistics of the project, for notebooks and reports: descriptive summaries and rank tests
// with scipy.stats 1.10 semantics.
export { mean, variance, std, sem, describe, type Description } from './describe.ts';
export { wilcoxon, type WilcoxonOptions, type WilcoxonResult, type Alternative, type WilcoxonMethod, type ZeroMethod } from './wilcoxon.ts';
export { mannWhitneyU, type MannWhitneyOptions, type MannWhitneyResult, type MannWhitneyMethod } from './mannwhitney.ts';
export { rankAverage } from './rank.ts';
export { normCdf, normSf, erf, erfc } from './normal.ts';
export { signedRankPmf } from './signed-rank-distribution.ts';
export { uSf } from './u-distribution.ts';
