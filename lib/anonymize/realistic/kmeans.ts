// Seeded k-means (Lloyd's algorithm with k-means++ seeding, Arthur & Vassilvitskii 2007), used to
// find the modes of a generator's latent distribution for multi-modal truncation (Mokady et al.
// 2022; DeepPrivacy2's tools/compute_cluster_means.py clusters sampled w into 512 centres).
// Deterministic: the seeding draws from a seeded generator; ties go to the lowest index; an
// empty cluster takes the point farthest from its current centre. Arithmetic in float64.
import { Rng } from '../../data/rng.ts';

export interface KMeansOptions {
  seed?: number;
  /** Most Lloyd iterations (default 50). */
  maxIter?: number;
  /** Stop when no assignment changes (always) or the largest squared centre shift is below tol (default 1e-10). */
  tol?: number;
  /** Called after each iteration with (iteration, inertia). */
  onIter?: (iter: number, inertia: number) => void;
}

export interface KMeansResult {
  /** k * d centres (float32). */
  centres: Float32Array;
  /** Cluster of each point. */
  assignment: Int32Array;
  iterations: number;
  /** Sum of squared distances to the assigned centres. */
  inertia: number;
}

function sqDist(p: Float32Array, i: number, c: Float64Array, j: number, d: number): number {
  let s = 0;
  const a = i * d;
  const b = j * d;
  for (let t = 0; t < d; t++) {
    const x = p[a + t]! - c[b + t]!;
    s += x * x;
  }
  return s;
}

/**
 * One assignment pass: each point to its nearest centre (lowest index on ties), its squared
 * distance in `dist`; how many assignments changed, and the inertia.
 */
function assignNearest(points: Float32Array, n: number, c: Float64Array, k: number, d: number, assignment: Int32Array, dist: Float64Array): { changed: number; inertia: number } {
  let changed = 0;
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bd = Infinity;
    for (let j = 0; j < k; j++) {
      const s = sqDist(points, i, c, j, d);
      if (s < bd) {
        bd = s;
        best = j;
      }
    }
    if (assignment[i] !== best) changed++;
    assignment[i] = best;
    dist[i] = bd;
    inertia += bd;
  }
  return { changed, inertia };
}

/** k-means of n points of dimension d (points: n * d, row-major). */
export function kmeans(points: Float32Array, n: number, d: number, k: number, opts: KMeansOptions = {}): KMeansResult {
  if (points.length !== n * d) throw new Error(`kmeans: ${points.length} values for ${n} points of dimension ${d}`);
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`kmeans: k must be an integer in [1, ${n}] (the number of points), got ${k}`);
  const rng = new Rng(`anon-impact-kmeans/${opts.seed ?? 0}`);
  const maxIter = opts.maxIter ?? 50;
  const tol = opts.tol ?? 1e-10;
  const c = new Float64Array(k * d);
  // k-means++ seeding: first centre uniform, each next one with probability proportional to D(x)^2
  const first = Math.min(n - 1, Math.floor(rng.next() * n));
  for (let t = 0; t < d; t++) c[t] = points[first * d + t]!;
  const dmin = new Float64Array(n);
  for (let i = 0; i < n; i++) dmin[i] = sqDist(points, i, c, 0, d);
  for (let j = 1; j < k; j++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += dmin[i]!;
    let pick = n - 1;
    if (total > 0) {
      let r = rng.next() * total;
      for (let i = 0; i < n; i++) {
        r -= dmin[i]!;
        if (r < 0) {
          pick = i;
          break;
        }
      }
    } else pick = Math.min(n - 1, Math.floor(rng.next() * n));
    for (let t = 0; t < d; t++) c[j * d + t] = points[pick * d + t]!;
    for (let i = 0; i < n; i++) dmin[i] = Math.min(dmin[i]!, sqDist(points, i, c, j, d));
  }
  const assignment = new Int32Array(n).fill(-1);
  const dist = new Float64Array(n);
  let iterations = 0;
  let inertia = 0;
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  for (let it = 0; it < maxIter; it++) {
    iterations = it + 1;
    const pass = assignNearest(points, n, c, k, d, assignment, dist);
    inertia = pass.inertia;
    opts.onIter?.(iterations, inertia);
    if (pass.changed === 0) break;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const j = assignment[i]!;
      counts[j]!++;
      for (let t = 0; t < d; t++) sums[j * d + t]! += points[i * d + t]!;
    }
    let shift = 0;
    const taken = new Uint8Array(n);
    for (let j = 0; j < k; j++) {
      if (counts[j] === 0) {
        // empty cluster: the point farthest from its centre (lowest index on ties), not yet used
        let far = -1;
        let fd = -1;
        for (let i = 0; i < n; i++) if (!taken[i] && dist[i]! > fd) {
          fd = dist[i]!;
          far = i;
        }
        taken[far] = 1;
        dist[far] = 0;
        for (let t = 0; t < d; t++) {
          const v = points[far * d + t]!;
          shift = Math.max(shift, (v - c[j * d + t]!) ** 2);
          c[j * d + t] = v;
        }
        continue;
      }
      let s2 = 0;
      for (let t = 0; t < d; t++) {
        const v = sums[j * d + t]! / counts[j]!;
        s2 += (v - c[j * d + t]!) ** 2;
        c[j * d + t] = v;
      }
      shift = Math.max(shift, s2);
    }
    if (shift < tol) {
      // centres converged: final assignment against them
      inertia = assignNearest(points, n, c, k, d, assignment, dist).inertia;
      break;
    }
  }
  return { centres: Float32Array.from(c), assignment, iterations, inertia };
}

/** Index of the centre nearest to point `x` (squared Euclidean; lowest index on ties). */
export function nearestCentre(x: Float32Array, xo: number, centres: Float32Array, k: number, d: number): number {
  let best = 0;
  let bd = Infinity;
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = x[xo + t]! - centres[j * d + t]!;
      s += v * v;
    }
    if (s < bd) {
      bd = s;
      best = j;
    }
  }
  return best;
}
