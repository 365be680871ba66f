// The statistics of the project, for notebooks and reports: descriptive summaries, rank tests and
// Welch's t-test with scipy.stats 1.10 semantics, and a seeded percentile bootstrap.
export { mean, variance, std, sem, describe, type Description } from './describe.ts';
export { wilcoxon, type WilcoxonOptions, type WilcoxonResult, type Alternative, type WilcoxonMethod, type ZeroMethod } from './wilcoxon.ts';
export { mannWhitneyU, type MannWhitneyOptions, type MannWhitneyResult, type MannWhitneyMethod } from './mannwhitney.ts';
export { welchTTest, type WelchOptions, type WelchResult } from './welch.ts';
export { bootstrapMeanDifference, type BootstrapOptions, type BootstrapInterval } from './bootstrap.ts';
export { percentile } from './percentile.ts';
export { rankAverage } from './rank.ts';
export { normCdf, normSf, erf, erfc } from './normal.ts';
export { studentTCdf, studentTSf } from './student-t.ts';
export { betaInc, betaIncComplement } from './incomplete-beta.ts';
export { logGamma, logBeta } from './log-beta.ts';
export { numpyMean, numpySum, scipyVar } from './numpy-moments.ts';
export { signedRankPmf } from './signed-rank-distribution.ts';
export { uSf } from './u-distribution.ts';
