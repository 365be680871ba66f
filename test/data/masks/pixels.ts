// Test helper: masks drawn as text rows ('#' inside, '.' outside), ROW-major like the library.
export interface Grid {
  mask: Uint8Array;
  h: number;
  w: number;
}

export function grid(rows: string[]): Grid {
  const h = rows.length;
  const w = h ? rows[0].length : 0;
  const mask = new Uint8Array(h * w);
  rows.forEach((row, y) => {
    if (row.length !== w) throw new Error(`row ${y} has ${row.length} columns, expected ${w}`);
    for (let x = 0; x < w; x++) mask[y * w + x] = row[x] === '#' ? 1 : 0;
  });
  return { mask, h, w };
}

export function rows(mask: Uint8Array, h: number, w: number): string[] {
  const out: string[] = [];
  for (let y = 0; y < h; y++) {
    let s = '';
    for (let x = 0; x < w; x++) s += mask[y * w + x] ? '#' : '.';
    out.push(s);
  }
  return out;
}

/** Deterministic pseudo-random generator (mulberry32) for property-style tests. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random mask of blobs (so that runs are of mixed lengths). */
export function randomMask(h: number, w: number, rand: () => number, density = 0.5): Uint8Array {
  const m = new Uint8Array(h * w);
  const n = 1 + Math.floor(rand() * 4);
  for (let b = 0; b < n; b++) {
    const x0 = Math.floor(rand() * w), y0 = Math.floor(rand() * h);
    const bw = 1 + Math.floor(rand() * w * density), bh = 1 + Math.floor(rand() * h * density);
    for (let y = y0; y < Math.min(h, y0 + bh); y++) for (let x = x0; x < Math.min(w, x0 + bw); x++) m[y * w + x] = 1;
  }
  for (let i = 0; i < m.length; i++) if (rand() < 0.05) m[i] ^= 1; // speckle
  return m;
}
