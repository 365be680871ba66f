import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { processAlive } from '../../lib/data/process-alive.ts';

test('processAlive: this process is alive, an exited child is not, non-pids are not', () => {
  assert.equal(processAlive(process.pid), true);
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(child.stdout);
  assert.ok(Number.isInteger(pid) && pid > 0, child.stderr);
  assert.equal(processAlive(pid), false); // exited and reaped by spawnSync
  for (const bad of [0, -1, 1.5, Number.NaN]) assert.equal(processAlive(bad), false, String(bad));
});
