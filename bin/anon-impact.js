#!/usr/bin/env node
// Thin launcher: runs the TypeScript CLI through tsx so the command always matches the sources.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../lib/cli.ts');
process.exitCode = await main(process.argv.slice(2));
