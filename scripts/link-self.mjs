#!/usr/bin/env node
// Makes `anon-impact` resolvable by its package name from inside the repository
// (node_modules/anon-impact -> ..), so notebooks import the built library exactly as a user's
// project would. tslab's bundled TypeScript resolves packages through node_modules only.
import { lstat, mkdir, readlink, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';

const link = join('node_modules', 'anon-impact');
const target = '..';
const st = await lstat(link).catch(() => undefined);
if (st?.isSymbolicLink() && (await readlink(link)) === target) process.exit(0);
if (st) await rm(link, { recursive: true, force: true });
await mkdir('node_modules', { recursive: true });
await symlink(target, link, 'dir');
