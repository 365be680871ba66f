import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Canvas } from '../../../lib/data/synth/raster.ts';

function count(c: Canvas, obj: number): number {
  let n = 0;
  for (const o of c.obj) if (o === obj) n++;
  return n;
}

test('pixel-centre coverage: a rectangle covers exactly the pixels whose centres it contains', () => {
  const c = new Canvas(20, 10);
  c.ids(7, 1);
  c.color(10, 20, 30);
  c.fillRect(2.4, 1.6, 5.5, 4.49); // centres x 2.5,3.5,4.5 (5.5 excluded), y 2.5,3.5
  assert.equal(count(c, 1), 6);
  const i = 3 * 20 + 4;
  assert.equal(c.obj[i], 1);
  assert.equal(c.label[i], 7);
  assert.deepEqual([...c.rgb.subarray(3 * i, 3 * i + 3)], [10, 20, 30]);
});

test('polygons sharing an edge never paint the same pixel twice, and tile the union', () => {
  const c = new Canvas(32, 32);
  c.ids(1, 1);
  c.fillPolygon([3.3, 2.2, 20.7, 5.1, 9.9, 25.6]);
  c.ids(2, 2);
  c.fillPolygon([20.7, 5.1, 28.2, 27.9, 9.9, 25.6]);
  const a = count(c, 1);
  const b = count(c, 2);
  const both = new Canvas(32, 32);
  both.ids(3, 3);
  both.fillPolygon([3.3, 2.2, 20.7, 5.1, 28.2, 27.9, 9.9, 25.6]);
  assert.equal(a + b, count(both, 3));
  assert.ok(a > 0 && b > 0);
});

test('ellipse, capsule and ring areas are close to the continuous shapes', () => {
  const c = new Canvas(200, 200);
  c.ids(1, 1);
  c.fillEllipse(100, 100, 40, 25);
  assert.ok(Math.abs(count(c, 1) - Math.PI * 40 * 25) < 40);
  c.ids(2, 2);
  c.fillEllipse(100, 100, 40, 25, 0.7); // rotated: same area
  assert.ok(Math.abs(count(c, 2) - Math.PI * 40 * 25) < 40);
  const d = new Canvas(200, 200);
  d.ids(1, 1);
  d.fillCapsule(50, 50, 10, 150, 50, 10); // rectangle 100x20 plus a disc of r 10
  assert.ok(Math.abs(count(d, 1) - (2000 + Math.PI * 100)) < 40);
  d.ids(2, 2);
  d.fillRing(100, 140, 30, 30, 20, 20);
  assert.ok(Math.abs(count(d, 2) - Math.PI * (900 - 400)) < 40);
  assert.equal(d.obj[140 * 200 + 100], 0, 'the ring has a hole');
});

test('a tapered capsule covers both end discs and stays convex', () => {
  const c = new Canvas(100, 100);
  c.ids(1, 1);
  c.fillCapsule(20, 30, 12, 70, 60, 3);
  for (const [x, y] of [
    [20, 30],
    [9, 30],
    [31, 30],
    [70, 60],
    [72, 60],
    [45, 45],
  ]) {
    assert.equal(c.obj[y * 100 + x], 1, `(${x}, ${y}) covered`);
  }
  assert.equal(c.obj[60 * 100 + 75], 0);
  // one disc inside the other: just the big disc
  const d = new Canvas(50, 50);
  d.ids(1, 1);
  d.fillCapsule(25, 25, 10, 27, 25, 2);
  assert.ok(Math.abs(count(d, 1) - Math.PI * 100) < 20);
});

test('draw groups increase, darken keeps ids, shapes clip at the borders', () => {
  const c = new Canvas(10, 10);
  const g1 = c.ids(5, 1);
  c.color(200, 200, 200);
  c.fillRect(-5, -5, 15, 15);
  const g2 = c.ids(6, 2);
  assert.ok(g2 > g1);
  c.fillEllipse(5, 5, 2, 2);
  assert.equal(c.seq[5 * 10 + 5], g2);
  assert.equal(c.seq[0], g1);
  c.darken(0.5);
  c.fillRect(0, 0, 10, 10);
  assert.equal(c.obj[0], 1);
  assert.equal(c.label[0], 5);
  assert.equal(c.rgb[0], 100);
});

test('stripes and checks alternate with the period', () => {
  const c = new Canvas(16, 16);
  c.ids(1, 1);
  c.color(0, 0, 0).stripes(255, 255, 255, 0, 1, 4);
  c.fillRect(0, 0, 16, 16);
  const row = (y: number) => c.rgb[3 * (y * 16 + 3)];
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map(row), [0, 0, 0, 0, 255, 255, 255, 255, 0]);
  c.color(0, 0, 0).checks(255, 255, 255, 1, 0, 4);
  c.fillRect(0, 0, 16, 16);
  assert.equal(c.rgb[3 * (1 * 16 + 1)], 0);
  assert.equal(c.rgb[3 * (1 * 16 + 5)], 255);
  assert.equal(c.rgb[3 * (5 * 16 + 5)], 0);
});
