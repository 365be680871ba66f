// A small software rasterizer that paints colour, Cityscapes label id, object index and
// draw-order number at once. Coverage rule: a pixel belongs to a shape when its centre
// (x + 0.5, y + 0.5) lies inside it; shapes are scan-converted row by row into spans, so
// every pixel is written with plain typed-array stores (no per-pixel callbacks).

/** Fill patterns of the current ink. */
export const SOLID = 0;
/** Two colours alternating in bands across axis u. */
export const STRIPES = 1;
/** Two colours in a checkerboard on axes u and v. */
export const CHECKS = 2;
/** A vertical gradient from colour A (at gy0) to colour B (at gy1). */
export const GRADIENT = 3;

/** Paint mode: write colour and ids. */
export const PAINT = 0;
/** Shadow mode: scale the colour already there by `shade`, leave the ids as they are. */
export const DARKEN = 1;

export class Canvas {
  readonly width: number;
  readonly height: number;
  /** Interleaved RGB, row-major. */
  readonly rgb: Uint8Array;
  /** Cityscapes label id per pixel. */
  readonly label: Uint8Array;
  /** Object index per pixel (0: background stuff); see the generator's object table. */
  readonly obj: Uint16Array;
  /** Number of the draw group that last wrote the pixel (increasing in drawing order). */
  readonly seq: Uint16Array;

  // The current ink.
  private r = 0;
  private g = 0;
  private b = 0;
  private r2 = 0;
  private g2 = 0;
  private b2 = 0;
  private labelId = 0;
  private objId = 0;
  private seqId = 0;
  private seqCounter = 0;
  private pattern = SOLID;
  private mode = PAINT;
  private shade = 1;
  private ux = 0;
  private uy = 0;
  private uo = 0;
  private vx = 0;
  private vy = 0;
  private vo = 0;
  private gy0 = 0;
  private gy1 = 1;
  private noise = 0;
  private noiseSeed = 0;

  // Scratch for polygon edge crossings.
  private xs = new Float64Array(64);

  constructor(width: number, height: number) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new RangeError(`Canvas: bad size ${width}x${height}`);
    this.width = width;
    this.height = height;
    this.rgb = new Uint8Array(width * height * 3);
    this.label = new Uint8Array(width * height);
    this.obj = new Uint16Array(width * height);
    this.seq = new Uint16Array(width * height);
  }

  // ---- ink -------------------------------------------------------------------------------

  /** Sets the ids written by subsequent fills and starts a new draw group; returns its number. */
  ids(labelId: number, objId: number): number {
    this.labelId = labelId;
    this.objId = objId;
    return this.group();
  }

  /** Starts a new draw group with the same ids; returns its number (1, 2, ...). */
  group(): number {
    if (this.seqCounter >= 0xffff) throw new RangeError('Canvas: more than 65535 draw groups');
    this.seqId = ++this.seqCounter;
    return this.seqId;
  }

  /** The current draw group's number. */
  get currentGroup(): number {
    return this.seqId;
  }

  /** Solid colour (clears pattern and noise). */
  color(r: number, g: number, b: number): this {
    this.r = clamp8(r);
    this.g = clamp8(g);
    this.b = clamp8(b);
    this.pattern = SOLID;
    this.mode = PAINT;
    this.noise = 0;
    return this;
  }

  /** Per-pixel brightness jitter of +-amp/2 (deterministic hash of position and seed). */
  grain(amp: number, seed: number): this {
    this.noise = Math.max(0, Math.round(amp));
    this.noiseSeed = seed | 0;
    return this;
  }

  /**
   * Stripes of the current colour and (r2,g2,b2): band index floor((x,y)·u/period + phase);
   * u is the unit normal of the bands (e.g. [0, 1] for horizontal stripes).
   */
  stripes(r2: number, g2: number, b2: number, ux: number, uy: number, period: number, phase = 0): this {
    this.setSecond(r2, g2, b2);
    const p = Math.max(period, 1e-3);
    this.ux = ux / p;
    this.uy = uy / p;
    this.uo = phase;
    this.pattern = STRIPES;
    return this;
  }

  /** Checkerboard of the current colour and (r2,g2,b2) on axes u (unit) and its normal. */
  checks(r2: number, g2: number, b2: number, ux: number, uy: number, period: number, phaseU = 0, phaseV = 0): this {
    this.setSecond(r2, g2, b2);
    const p = Math.max(period, 1e-3);
    this.ux = ux / p;
    this.uy = uy / p;
    this.vx = -uy / p;
    this.vy = ux / p;
    this.uo = phaseU;
    this.vo = phaseV;
    this.pattern = CHECKS;
    return this;
  }

  /** Vertical gradient from the current colour at y0 to (r2,g2,b2) at y1. */
  gradient(r2: number, g2: number, b2: number, y0: number, y1: number): this {
    this.setSecond(r2, g2, b2);
    this.gy0 = y0;
    this.gy1 = y1 === y0 ? y0 + 1 : y1;
    this.pattern = GRADIENT;
    return this;
  }

  /** Shadow ink: multiplies existing colours by `factor`, keeps ids and draw groups. */
  darken(factor: number): this {
    this.mode = DARKEN;
    this.shade = Math.round(Math.min(1, Math.max(0, factor)) * 256);
    return this;
  }

  private setSecond(r: number, g: number, b: number): void {
    this.r2 = clamp8(r);
    this.g2 = clamp8(g);
    this.b2 = clamp8(b);
  }

  // ---- spans -----------------------------------------------------------------------------

  /** Paints pixels [xa, xb) of row y with the current ink; xa, xb are clipped here. */
  span(y: number, xa: number, xb: number): void {
    if (y < 0 || y >= this.height) return;
    if (xa < 0) xa = 0;
    if (xb > this.width) xb = this.width;
    if (xb <= xa) return;
    const W = this.width;
    const rgb = this.rgb;
    let i = y * W + xa;
    const end = y * W + xb;
    if (this.mode === DARKEN) {
      const k = this.shade;
      for (let j = 3 * i; i < end; i++, j += 3) {
        rgb[j] = (rgb[j] * k) >> 8;
        rgb[j + 1] = (rgb[j + 1] * k) >> 8;
        rgb[j + 2] = (rgb[j + 2] * k) >> 8;
      }
      return;
    }
    const label = this.label;
    const obj = this.obj;
    const seq = this.seq;
    const lab = this.labelId;
    const o = this.objId;
    const s = this.seqId;
    for (let k = i; k < end; k++) {
      label[k] = lab;
      obj[k] = o;
      seq[k] = s;
    }
    const pat = this.pattern;
    const noise = this.noise;
    if (pat === SOLID && noise === 0) {
      const r = this.r;
      const g = this.g;
      const b = this.b;
      for (let j = 3 * i; i < end; i++, j += 3) {
        rgb[j] = r;
        rgb[j + 1] = g;
        rgb[j + 2] = b;
      }
      return;
    }
    let r = this.r;
    let g = this.g;
    let b = this.b;
    if (pat === GRADIENT) {
      let t = (y + 0.5 - this.gy0) / (this.gy1 - this.gy0);
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      r = Math.round(r + (this.r2 - r) * t);
      g = Math.round(g + (this.g2 - g) * t);
      b = Math.round(b + (this.b2 - b) * t);
    }
    const yc = y + 0.5;
    const ux = this.ux;
    const uBase = yc * this.uy + this.uo;
    const vx = this.vx;
    const vBase = yc * this.vy + this.vo;
    const half = noise >> 1;
    const ns = this.noiseSeed;
    const yh = Math.imul(y, 0x165667b1) ^ ns;
    for (let j = 3 * i, x = xa; i < end; i++, j += 3, x++) {
      let cr = r;
      let cg = g;
      let cb = b;
      if (pat === STRIPES || pat === CHECKS) {
        const xc = x + 0.5;
        let band = Math.floor(xc * ux + uBase);
        if (pat === CHECKS) band += Math.floor(xc * vx + vBase);
        if (band & 1) {
          cr = this.r2;
          cg = this.g2;
          cb = this.b2;
        }
      }
      if (noise > 0) {
        let h = Math.imul(x, 0x27d4eb2d) ^ yh;
        h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
        h ^= h >>> 13;
        const d = (((h >>> 24) * (noise + 1)) >> 8) - half;
        cr += d;
        cg += d;
        cb += d;
        cr = cr < 0 ? 0 : cr > 255 ? 255 : cr;
        cg = cg < 0 ? 0 : cg > 255 ? 255 : cg;
        cb = cb < 0 ? 0 : cb > 255 ? 255 : cb;
      }
      rgb[j] = cr;
      rgb[j + 1] = cg;
      rgb[j + 2] = cb;
    }
  }

  /** Paints the pixels whose centres lie in [xl, xr) on row y. */
  private spanF(y: number, xl: number, xr: number): void {
    this.span(y, Math.ceil(xl - 0.5), Math.ceil(xr - 0.5));
  }

  // ---- shapes ----------------------------------------------------------------------------

  /** Axis-aligned rectangle [x0, x1) x [y0, y1) in continuous coordinates. */
  fillRect(x0: number, y0: number, x1: number, y1: number): void {
    const ya = Math.max(0, Math.ceil(Math.min(y0, y1) - 0.5));
    const yb = Math.min(this.height, Math.ceil(Math.max(y0, y1) - 0.5));
    const xl = Math.min(x0, x1);
    const xr = Math.max(x0, x1);
    for (let y = ya; y < yb; y++) this.spanF(y, xl, xr);
  }

  /**
   * Filled polygon (even-odd rule) from flat [x0, y0, x1, y1, ...] coordinates.
   * Edges are half-open in y, so polygons sharing an edge never both paint a pixel.
   */
  fillPolygon(pts: ArrayLike<number>): void {
    const n = pts.length >> 1;
    if (n < 3) return;
    let minY = Infinity;
    let maxY = -Infinity;
    for (let k = 0; k < n; k++) {
      const y = pts[2 * k + 1];
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    if (!(maxY > minY)) return;
    const ya = Math.max(0, Math.ceil(minY - 0.5));
    const yb = Math.min(this.height, Math.ceil(maxY - 0.5));
    if (this.xs.length < n) this.xs = new Float64Array(2 * n);
    const xs = this.xs;
    for (let y = ya; y < yb; y++) {
      const yc = y + 0.5;
      let m = 0;
      for (let k = 0, j = n - 1; k < n; j = k++) {
        const y0 = pts[2 * j + 1];
        const y1 = pts[2 * k + 1];
        if ((y0 <= yc && yc < y1) || (y1 <= yc && yc < y0)) {
          const x0 = pts[2 * j];
          const x1 = pts[2 * k];
          xs[m++] = x0 + ((yc - y0) * (x1 - x0)) / (y1 - y0);
        }
      }
      // insertion sort: m is small
      for (let a = 1; a < m; a++) {
        const v = xs[a];
        let b = a - 1;
        while (b >= 0 && xs[b] > v) {
          xs[b + 1] = xs[b];
          b--;
        }
        xs[b + 1] = v;
      }
      for (let a = 0; a + 1 < m; a += 2) this.spanF(y, xs[a], xs[a + 1]);
    }
  }

  /** Filled ellipse with radii rx, ry, its rx axis turned by `angle` radians (clockwise on screen). */
  fillEllipse(cx: number, cy: number, rx: number, ry: number, angle = 0): void {
    if (!(rx > 0) || !(ry > 0)) return;
    if (angle === 0) {
      const ya = Math.max(0, Math.ceil(cy - ry - 0.5));
      const yb = Math.min(this.height, Math.ceil(cy + ry - 0.5));
      for (let y = ya; y < yb; y++) {
        const dy = (y + 0.5 - cy) / ry;
        const q = 1 - dy * dy;
        if (q <= 0) continue;
        const h = rx * Math.sqrt(q);
        this.spanF(y, cx - h, cx + h);
      }
      return;
    }
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    const irx2 = 1 / (rx * rx);
    const iry2 = 1 / (ry * ry);
    const A = c * c * irx2 + s * s * iry2;
    const Bk = 2 * c * s * (irx2 - iry2);
    const Ck = s * s * irx2 + c * c * iry2;
    const hh = Math.sqrt(rx * rx * s * s + ry * ry * c * c);
    const ya = Math.max(0, Math.ceil(cy - hh - 0.5));
    const yb = Math.min(this.height, Math.ceil(cy + hh - 0.5));
    for (let y = ya; y < yb; y++) {
      const dy = y + 0.5 - cy;
      const B = Bk * dy;
      const C = Ck * dy * dy - 1;
      const disc = B * B - 4 * A * C;
      if (disc <= 0) continue;
      const sq = Math.sqrt(disc);
      this.spanF(y, cx + (-B - sq) / (2 * A), cx + (-B + sq) / (2 * A));
    }
  }

  /** Elliptic ring between an outer and an inner axis-aligned ellipse with the same centre. */
  fillRing(cx: number, cy: number, rx: number, ry: number, irx: number, iry: number): void {
    if (!(rx > 0) || !(ry > 0)) return;
    if (!(irx > 0) || !(iry > 0) || irx >= rx || iry >= ry) {
      this.fillEllipse(cx, cy, rx, ry);
      return;
    }
    const ya = Math.max(0, Math.ceil(cy - ry - 0.5));
    const yb = Math.min(this.height, Math.ceil(cy + ry - 0.5));
    for (let y = ya; y < yb; y++) {
      const yc = y + 0.5 - cy;
      const q = 1 - (yc / ry) * (yc / ry);
      if (q <= 0) continue;
      const h = rx * Math.sqrt(q);
      const qi = 1 - (yc / iry) * (yc / iry);
      if (qi <= 0) {
        this.spanF(y, cx - h, cx + h);
        continue;
      }
      const hi = irx * Math.sqrt(qi);
      this.spanF(y, cx - h, cx - hi);
      this.spanF(y, cx + hi, cx + h);
    }
  }

  /**
   * Tapered capsule: the convex hull of the discs (x0, y0, r0) and (x1, y1, r1).
   * With r0 = r1 it is a thick line with round caps.
   */
  fillCapsule(x0: number, y0: number, r0: number, x1: number, y1: number, r1: number): void {
    r0 = Math.max(r0, 0);
    r1 = Math.max(r1, 0);
    const dx = x1 - x0;
    const dy = y1 - y0;
    const L = Math.hypot(dx, dy);
    if (L <= Math.abs(r0 - r1)) {
      // one disc contains the other
      if (r0 >= r1) this.fillEllipse(x0, y0, r0, r0);
      else this.fillEllipse(x1, y1, r1, r1);
      return;
    }
    const ddx = dx / L;
    const ddy = dy / L;
    const sb = (r0 - r1) / L;
    const cb = Math.sqrt(Math.max(0, 1 - sb * sb));
    // tangent normals m = n cos b + d sin b, n = (-ddy, ddx) and its opposite
    const m1x = -ddy * cb + ddx * sb;
    const m1y = ddx * cb + ddy * sb;
    const m2x = ddy * cb + ddx * sb;
    const m2y = -ddx * cb + ddy * sb;
    const qx0 = x0 + r0 * m1x;
    const qy0 = y0 + r0 * m1y;
    const qx1 = x1 + r1 * m1x;
    const qy1 = y1 + r1 * m1y;
    const qx2 = x1 + r1 * m2x;
    const qy2 = y1 + r1 * m2y;
    const qx3 = x0 + r0 * m2x;
    const qy3 = y0 + r0 * m2y;
    const minY = Math.min(y0 - r0, y1 - r1);
    const maxY = Math.max(y0 + r0, y1 + r1);
    const ya = Math.max(0, Math.ceil(minY - 0.5));
    const yb = Math.min(this.height, Math.ceil(maxY - 0.5));
    for (let y = ya; y < yb; y++) {
      const yc = y + 0.5;
      let lo = Infinity;
      let hi = -Infinity;
      let e = yc - y0;
      if (e * e < r0 * r0) {
        const h = Math.sqrt(r0 * r0 - e * e);
        lo = Math.min(lo, x0 - h);
        hi = Math.max(hi, x0 + h);
      }
      e = yc - y1;
      if (e * e < r1 * r1) {
        const h = Math.sqrt(r1 * r1 - e * e);
        lo = Math.min(lo, x1 - h);
        hi = Math.max(hi, x1 + h);
      }
      // crossings of the tangent quadrilateral's edges
      let x = edgeX(qx0, qy0, qx1, qy1, yc);
      if (x === x) {
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
      x = edgeX(qx1, qy1, qx2, qy2, yc);
      if (x === x) {
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
      x = edgeX(qx2, qy2, qx3, qy3, yc);
      if (x === x) {
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
      x = edgeX(qx3, qy3, qx0, qy0, yc);
      if (x === x) {
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
      if (hi > lo) this.spanF(y, lo, hi);
    }
  }

  /** Thick line with round caps. */
  line(x0: number, y0: number, x1: number, y1: number, width: number): void {
    this.fillCapsule(x0, y0, width / 2, x1, y1, width / 2);
  }
}

/** x where segment (x0,y0)-(x1,y1) crosses the row y (NaN when it does not). */
function edgeX(x0: number, y0: number, x1: number, y1: number, y: number): number {
  if ((y0 <= y && y < y1) || (y1 <= y && y < y0)) return x0 + ((y - y0) * (x1 - x0)) / (y1 - y0);
  return NaN;
}

function clamp8(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}
