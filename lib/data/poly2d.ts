// Scalabel poly2d -> pixels, the way bdd100k draws instance masks (bdd100k/label/to_mask.py,
// scalabel/label/transforms.py poly_to_patch): each polygon is a matplotlib PathPatch, filled,
// no antialiasing, snapping on, drawn by matplotlib's Agg renderer onto a canvas of the image's
// size; 'L' vertices are line ends, each 'C' vertex starts a cubic Bezier that takes it and the
// next vertex as control points and the one after as its end; the path is closed back to the
// first vertex. Later patches paint over earlier ones.
//
// What we reproduce of that pipeline (matplotlib RendererAgg.draw_path and Anti-Grain Geometry):
//  1. snapping (PathSnapper, snap=True, line width 0): every vertex, control points included,
//     goes to floor(v + 0.5) in pixel units;
//  2. Bezier flattening by AGG's curve4_div (approximation scale 1, angle tolerance 0);
//  3. clipping to the canvas box in double precision (rasterizer_sl_clip_dbl);
//  4. AGG's cell rasterizer in 24.8 fixed point (rasterizer_cells_aa::line/render_hline) and its
//     non-zero-winding scanline sweep; a pixel is painted when its coverage alpha is non-zero
//     (the binary scanline renderer paints every span the sweep emits).
// Golden masks made with matplotlib 3.6.3 check this bit for bit (test/data/poly2d.test.ts).

export type Point = [number, number];

const SHIFT = 8;
const SCALE = 1 << SHIFT; // poly_subpixel_scale
const MASK = SCALE - 1;

/** AGG iround: round half away from zero. */
const iround = (v: number) => (v < 0 ? Math.trunc(v - 0.5) : Math.trunc(v + 0.5));

// ---------------------------------------------------------------------------------------------
// Bezier flattening (AGG curve4_div)

const CURVE_COLLINEARITY_EPSILON = 1e-30;
const CURVE_RECURSION_LIMIT = 32;
const DISTANCE_TOLERANCE_SQUARE = 0.5 * 0.5; // (0.5 / approximation_scale)^2

function sqDist(x1: number, y1: number, x2: number, y2: number): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  return dx * dx + dy * dy;
}

/** The points AGG emits for a cubic from (x1, y1): the interior points and the end point. */
export function flattenCubic(x1: number, y1: number, x2: number, y2: number, x3: number, y3: number, x4: number, y4: number): Point[] {
  const out: Point[] = [];
  recursiveBezier(out, x1, y1, x2, y2, x3, y3, x4, y4, 0);
  out.push([x4, y4]);
  return out;
}

function recursiveBezier(out: Point[], x1: number, y1: number, x2: number, y2: number, x3: number, y3: number, x4: number, y4: number, level: number): void {
  if (level > CURVE_RECURSION_LIMIT) return;
  const x12 = (x1 + x2) / 2;
  const y12 = (y1 + y2) / 2;
  const x23 = (x2 + x3) / 2;
  const y23 = (y2 + y3) / 2;
  const x34 = (x3 + x4) / 2;
  const y34 = (y3 + y4) / 2;
  const x123 = (x12 + x23) / 2;
  const y123 = (y12 + y23) / 2;
  const x234 = (x23 + x34) / 2;
  const y234 = (y23 + y34) / 2;
  const x1234 = (x123 + x234) / 2;
  const y1234 = (y123 + y234) / 2;

  const dx = x4 - x1;
  const dy = y4 - y1;
  let d2 = Math.abs((x2 - x4) * dy - (y2 - y4) * dx);
  let d3 = Math.abs((x3 - x4) * dy - (y3 - y4) * dx);
  const sw = ((d2 > CURVE_COLLINEARITY_EPSILON ? 1 : 0) << 1) + (d3 > CURVE_COLLINEARITY_EPSILON ? 1 : 0);
  switch (sw) {
    case 0: {
      // All collinear, or p1 == p4.
      let k = dx * dx + dy * dy;
      if (k === 0) {
        d2 = sqDist(x1, y1, x2, y2);
        d3 = sqDist(x4, y4, x3, y3);
      } else {
        k = 1 / k;
        d2 = k * ((x2 - x1) * dx + (y2 - y1) * dy);
        d3 = k * ((x3 - x1) * dx + (y3 - y1) * dy);
        if (d2 > 0 && d2 < 1 && d3 > 0 && d3 < 1) return; // 1---2---3---4: the end points suffice
        if (d2 <= 0) d2 = sqDist(x2, y2, x1, y1);
        else if (d2 >= 1) d2 = sqDist(x2, y2, x4, y4);
        else d2 = sqDist(x2, y2, x1 + d2 * dx, y1 + d2 * dy);
        if (d3 <= 0) d3 = sqDist(x3, y3, x1, y1);
        else if (d3 >= 1) d3 = sqDist(x3, y3, x4, y4);
        else d3 = sqDist(x3, y3, x1 + d3 * dx, y1 + d3 * dy);
      }
      if (d2 > d3) {
        if (d2 < DISTANCE_TOLERANCE_SQUARE) {
          out.push([x2, y2]);
          return;
        }
      } else if (d3 < DISTANCE_TOLERANCE_SQUARE) {
        out.push([x3, y3]);
        return;
      }
      break;
    }
    case 1:
      // p1, p2, p4 collinear; p3 matters. With angle tolerance 0 the midpoint ends it.
      if (d3 * d3 <= DISTANCE_TOLERANCE_SQUARE * (dx * dx + dy * dy)) {
        out.push([x23, y23]);
        return;
      }
      break;
    case 2:
      if (d2 * d2 <= DISTANCE_TOLERANCE_SQUARE * (dx * dx + dy * dy)) {
        out.push([x23, y23]);
        return;
      }
      break;
    case 3:
      if ((d2 + d3) * (d2 + d3) <= DISTANCE_TOLERANCE_SQUARE * (dx * dx + dy * dy)) {
        out.push([x23, y23]);
        return;
      }
      break;
  }
  recursiveBezier(out, x1, y1, x12, y12, x123, y123, x1234, y1234, level + 1);
  recursiveBezier(out, x1234, y1234, x234, y234, x34, y34, x4, y4, level + 1);
}

/**
 * The closed outline of one poly2d after snapping and flattening, in pixel units. Throws when
 * a 'C' has no two vertices after it (no end point for its curve).
 */
export function poly2dOutline(vertices: readonly Point[], types: string): Point[] {
  if (vertices.length === 0) return [];
  if (types.length !== vertices.length) throw new Error(`types has ${types.length} letters for ${vertices.length} vertices`);
  const snap = (v: number) => Math.floor(v + 0.5);
  const pts: Point[] = vertices.map(([x, y]) => [snap(x), snap(y)]);
  const codes = types.split('');
  codes[0] = 'M';
  // Closing segment back to the first vertex, as poly_to_patch appends it.
  pts.push([pts[0][0], pts[0][1]]);
  codes.push('L');
  const out: Point[] = [pts[0]];
  for (let i = 1; i < pts.length; i++) {
    const c = codes[i];
    if (c === 'L') out.push(pts[i]);
    else if (c === 'C') {
      if (i + 2 >= pts.length) throw new Error(`curve at vertex ${i} has no end point (a 'C' needs two vertices after it)`);
      const [x1, y1] = out[out.length - 1];
      out.push(...flattenCubic(x1, y1, pts[i][0], pts[i][1], pts[i + 1][0], pts[i + 1][1], pts[i + 2][0], pts[i + 2][1]));
      i += 2;
    } else throw new Error(`vertex ${i} has type '${c}', expected 'L' or 'C'`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// AGG cell rasterizer

class Cells {
  readonly cover = new Map<number, number>();
  readonly area = new Map<number, number>();
  cx = 0;
  cy = 0;
  minY = Infinity;
  maxY = -Infinity;
  constructor(readonly stride: number) {}
  set(x: number, y: number) {
    this.cx = x;
    this.cy = y;
  }
  add(cover: number, area: number) {
    if (cover === 0 && area === 0) return;
    const k = this.cy * this.stride + this.cx;
    this.cover.set(k, (this.cover.get(k) ?? 0) + cover);
    this.area.set(k, (this.area.get(k) ?? 0) + area);
    if (this.cy < this.minY) this.minY = this.cy;
    if (this.cy > this.maxY) this.maxY = this.cy;
  }

  hline(ey: number, x1: number, y1: number, x2: number, y2: number): void {
    let ex1 = x1 >> SHIFT;
    const ex2 = x2 >> SHIFT;
    const fx1 = x1 & MASK;
    const fx2 = x2 & MASK;
    if (y1 === y2) {
      this.set(ex2, ey);
      return;
    }
    if (ex1 === ex2) {
      const delta = y2 - y1;
      this.add(delta, (fx1 + fx2) * delta);
      return;
    }
    let p = (SCALE - fx1) * (y2 - y1);
    let first = SCALE;
    let incr = 1;
    let dx = x2 - x1;
    if (dx < 0) {
      p = fx1 * (y2 - y1);
      first = 0;
      incr = -1;
      dx = -dx;
    }
    let delta = Math.trunc(p / dx);
    let mod = p % dx;
    if (mod < 0) {
      delta--;
      mod += dx;
    }
    this.add(delta, (fx1 + first) * delta);
    ex1 += incr;
    this.set(ex1, ey);
    y1 += delta;
    if (ex1 !== ex2) {
      p = SCALE * (y2 - y1 + delta);
      let lift = Math.trunc(p / dx);
      let rem = p % dx;
      if (rem < 0) {
        lift--;
        rem += dx;
      }
      mod -= dx;
      while (ex1 !== ex2) {
        delta = lift;
        mod += rem;
        if (mod >= 0) {
          mod -= dx;
          delta++;
        }
        this.add(delta, SCALE * delta);
        y1 += delta;
        ex1 += incr;
        this.set(ex1, ey);
      }
    }
    delta = y2 - y1;
    this.add(delta, (fx2 + SCALE - first) * delta);
  }

  line(x1: number, y1: number, x2: number, y2: number): void {
    const dx = x2 - x1;
    let dy = y2 - y1;
    const ex1 = x1 >> SHIFT;
    let ey1 = y1 >> SHIFT;
    const ey2 = y2 >> SHIFT;
    const fy1 = y1 & MASK;
    const fy2 = y2 & MASK;
    this.set(ex1, ey1);
    if (ey1 === ey2) {
      this.hline(ey1, x1, fy1, x2, fy2);
      return;
    }
    let incr = 1;
    if (dx === 0) {
      const ex = x1 >> SHIFT;
      const twoFx = (x1 - (ex << SHIFT)) << 1;
      let first = SCALE;
      if (dy < 0) {
        first = 0;
        incr = -1;
      }
      let delta = first - fy1;
      this.add(delta, twoFx * delta);
      ey1 += incr;
      this.set(ex, ey1);
      delta = first + first - SCALE;
      const area = twoFx * delta;
      while (ey1 !== ey2) {
        this.add(delta, area);
        ey1 += incr;
        this.set(ex, ey1);
      }
      delta = fy2 - SCALE + first;
      this.add(delta, twoFx * delta);
      return;
    }
    let p = (SCALE - fy1) * dx;
    let first = SCALE;
    if (dy < 0) {
      p = fy1 * dx;
      first = 0;
      incr = -1;
      dy = -dy;
    }
    let delta = Math.trunc(p / dy);
    let mod = p % dy;
    if (mod < 0) {
      delta--;
      mod += dy;
    }
    let xFrom = x1 + delta;
    this.hline(ey1, x1, fy1, xFrom, first);
    ey1 += incr;
    this.set(xFrom >> SHIFT, ey1);
    if (ey1 !== ey2) {
      p = SCALE * dx;
      let lift = Math.trunc(p / dy);
      let rem = p % dy;
      if (rem < 0) {
        lift--;
        rem += dy;
      }
      mod -= dy;
      while (ey1 !== ey2) {
        delta = lift;
        mod += rem;
        if (mod >= 0) {
          mod -= dy;
          delta++;
        }
        const xTo = xFrom + delta;
        this.hline(ey1, xFrom, SCALE - first, xTo, first);
        xFrom = xTo;
        ey1 += incr;
        this.set(xFrom >> SHIFT, ey1);
      }
    }
    this.hline(ey1, xFrom, SCALE - first, x2, fy2);
  }
}

/** rasterizer_sl_clip_dbl: clips each edge to the box [0, w] x [0, h] before it reaches the cells. */
class Clipper {
  constructor(readonly cells: Cells, readonly w: number, readonly h: number) {}
  private flagsY(y: number): number {
    return ((y > this.h ? 1 : 0) << 1) | ((y < 0 ? 1 : 0) << 3);
  }
  private flags(x: number, y: number): number {
    return (x > this.w ? 1 : 0) | ((y > this.h ? 1 : 0) << 1) | ((x < 0 ? 1 : 0) << 2) | ((y < 0 ? 1 : 0) << 3);
  }
  private raw(x1: number, y1: number, x2: number, y2: number) {
    this.cells.line(iround(x1 * SCALE), iround(y1 * SCALE), iround(x2 * SCALE), iround(y2 * SCALE));
  }
  private clipY(x1: number, y1: number, x2: number, y2: number, f1: number, f2: number): void {
    f1 &= 10;
    f2 &= 10;
    if ((f1 | f2) === 0) {
      this.raw(x1, y1, x2, y2);
      return;
    }
    if (f1 === f2) return;
    let tx1 = x1;
    let ty1 = y1;
    let tx2 = x2;
    let ty2 = y2;
    if (f1 & 8) {
      tx1 = x1 + ((0 - y1) * (x2 - x1)) / (y2 - y1);
      ty1 = 0;
    }
    if (f1 & 2) {
      tx1 = x1 + ((this.h - y1) * (x2 - x1)) / (y2 - y1);
      ty1 = this.h;
    }
    if (f2 & 8) {
      tx2 = x1 + ((0 - y1) * (x2 - x1)) / (y2 - y1);
      ty2 = 0;
    }
    if (f2 & 2) {
      tx2 = x1 + ((this.h - y1) * (x2 - x1)) / (y2 - y1);
      ty2 = this.h;
    }
    this.raw(tx1, ty1, tx2, ty2);
  }
  line(x1: number, y1: number, x2: number, y2: number): void {
    const f1 = this.flags(x1, y1);
    const f2 = this.flags(x2, y2);
    if ((f1 & 10) === (f2 & 10) && (f1 & 10) !== 0) return; // invisible by y
    const X1 = 0;
    const X2 = this.w;
    const yAt = (x: number) => y1 + ((x - x1) * (y2 - y1)) / (x2 - x1);
    switch (((f1 & 5) << 1) | (f2 & 5)) {
      case 0:
        this.clipY(x1, y1, x2, y2, f1, f2);
        break;
      case 1: {
        const y3 = yAt(X2);
        const f3 = this.flagsY(y3);
        this.clipY(x1, y1, X2, y3, f1, f3);
        this.clipY(X2, y3, X2, y2, f3, f2);
        break;
      }
      case 2: {
        const y3 = yAt(X2);
        const f3 = this.flagsY(y3);
        this.clipY(X2, y1, X2, y3, f1, f3);
        this.clipY(X2, y3, x2, y2, f3, f2);
        break;
      }
      case 3:
        this.clipY(X2, y1, X2, y2, f1, f2);
        break;
      case 4: {
        const y3 = yAt(X1);
        const f3 = this.flagsY(y3);
        this.clipY(x1, y1, X1, y3, f1, f3);
        this.clipY(X1, y3, X1, y2, f3, f2);
        break;
      }
      case 6: {
        const y3 = yAt(X2);
        const y4 = yAt(X1);
        const f3 = this.flagsY(y3);
        const f4 = this.flagsY(y4);
        this.clipY(X2, y1, X2, y3, f1, f3);
        this.clipY(X2, y3, X1, y4, f3, f4);
        this.clipY(X1, y4, X1, y2, f4, f2);
        break;
      }
      case 8: {
        const y3 = yAt(X1);
        const f3 = this.flagsY(y3);
        this.clipY(X1, y1, X1, y3, f1, f3);
        this.clipY(X1, y3, x2, y2, f3, f2);
        break;
      }
      case 9: {
        const y3 = yAt(X1);
        const y4 = yAt(X2);
        const f3 = this.flagsY(y3);
        const f4 = this.flagsY(y4);
        this.clipY(X1, y1, X1, y3, f1, f3);
        this.clipY(X1, y3, X2, y4, f3, f4);
        this.clipY(X2, y4, X2, y2, f4, f2);
        break;
      }
      case 12:
        this.clipY(X1, y1, X1, y2, f1, f2);
        break;
    }
  }
}

/**
 * Paints the pixels a closed outline covers (AGG non-zero fill, any non-zero coverage) with
 * `value` in a row-major h x w map.
 */
export function fillOutline(map: Uint16Array | Int32Array | Uint8Array, w: number, h: number, outline: readonly Point[], value: number): void {
  if (outline.length < 2) return;
  const stride = w + 2; // cells may sit at x = w (edges clipped to the right border)
  const cells = new Cells(stride);
  const clip = new Clipper(cells, w, h);
  for (let i = 0; i < outline.length; i++) {
    const [x1, y1] = outline[i];
    const [x2, y2] = outline[(i + 1) % outline.length]; // AGG closes every polygon
    if (x1 === x2 && y1 === y2) continue;
    clip.line(x1, y1, x2, y2);
  }
  if (cells.cover.size === 0) return;
  // Sweep: per row, cells in x order; cover accumulates from the left.
  const rows = new Map<number, number[]>();
  for (const k of cells.cover.keys()) {
    const y = Math.floor(k / stride);
    const list = rows.get(y);
    if (list) list.push(k - y * stride);
    else rows.set(y, [k - y * stride]);
  }
  const alpha = (a: number) => {
    let c = Math.floor(a / 512); // area >> (2 * shift + 1 - 8)
    if (c < 0) c = -c;
    return c > 255 ? 255 : c;
  };
  for (const [y, xs] of rows) {
    if (y < 0 || y >= h) continue;
    xs.sort((p, q) => p - q);
    let cover = 0;
    for (let i = 0; i < xs.length; i++) {
      let x = xs[i];
      const k = y * stride + x;
      const area = cells.area.get(k)!;
      cover += cells.cover.get(k)!;
      if (area !== 0) {
        if (alpha(cover * 512 - area) > 0 && x >= 0 && x < w) map[y * w + x] = value;
        x++;
      }
      if (i + 1 < xs.length && xs[i + 1] > x && alpha(cover * 512) > 0) {
        const end = Math.min(xs[i + 1], w);
        for (let xx = Math.max(x, 0); xx < end; xx++) map[y * w + xx] = value;
      }
    }
  }
}
