// Public API of anon-impact, as notebooks and scripts import it (`import { ... } from 'anon-impact'`).
export * from './data/types.ts';
export { loadManifest } from './data/manifest.ts';
export { readSplit } from './data/open.ts';
