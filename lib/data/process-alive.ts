// Whether a process id names a live process on this machine: signal 0 is delivered (or refused
// with EPERM, which means the process exists but belongs to someone else). Lock files hold their
// owner's pid; a lock whose owner is gone (a killed run) is stale.

/** True when a process with this pid exists. */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
