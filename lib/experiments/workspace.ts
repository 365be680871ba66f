// The folders a notebook works in, whatever its working directory:
//   cache    the stage cache: $ANON_IMPACT_CACHE, else .cache/stages in the package root (the
//            folder the grid command uses when run from the repository root), so notebooks and
//            the command line share finished stages;
//   work     <cache>/notebooks/<name>: what the notebook makes outside the cache (a small
//            dataset, an anonymized copy, a training run);
//   results  <cache>/notebooks/results: the results CSVs of the grids notebooks run (never the
//            repository's results/, which holds the grid command's results at full budget).
import { join, resolve } from 'node:path';
import { StageCache } from './cache.ts';
import { PACKAGE_ROOT } from './grid-presets.ts';

export interface Workspace {
  cache: string;
  work: string;
  results: string;
  /** The stage cache at `cache`. */
  stageCache: StageCache;
}

export function workspace(name: string, env: NodeJS.ProcessEnv = process.env): Workspace {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name === '.' || name === '..') throw new Error(`workspace name '${name}': letters, digits, '.', '_' and '-' only`);
  const cache = resolve(env.ANON_IMPACT_CACHE || join(PACKAGE_ROOT, '.cache', 'stages'));
  return { cache, work: join(cache, 'notebooks', name), results: join(cache, 'notebooks', 'results'), stageCache: new StageCache(cache) };
}
