// Relative-tolerance comparison for golden values (NaN equals NaN; exact zeros must be exact).
import assert from 'node:assert/strict';

export function close(actual: number, expected: number, rtol: number, what: string): void {
  if (Number.isNaN(expected)) {
    assert.ok(Number.isNaN(actual), `${what}: expected NaN, got ${actual}`);
    return;
  }
  const err = Math.abs(actual - expected);
  assert.ok(err <= rtol * Math.abs(expected), `${what}: expected ${expected}, got ${actual} (relative error ${err / Math.abs(expected)})`);
}
