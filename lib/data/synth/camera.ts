// A pinhole camera looking along the street: world X to the right, Y up (ground at Y = 0),
// Z forward (distance in metres). Image x = cx + f X / Z, y = horizon + f (height - Y) / Z.

export interface Camera {
  width: number;
  height: number;
  /** Focal length in pixels. */
  f: number;
  /** Principal point column (the vanishing point of the street). */
  cx: number;
  /** Image row of the horizon. */
  horizon: number;
  /** Camera height above the ground, metres. */
  camHeight: number;
}

export function projectX(cam: Camera, X: number, Z: number): number {
  return cam.cx + (cam.f * X) / Z;
}

export function projectY(cam: Camera, Y: number, Z: number): number {
  return cam.horizon + (cam.f * (cam.camHeight - Y)) / Z;
}

/** Pixels per metre at distance Z. */
export function scaleAt(cam: Camera, Z: number): number {
  return cam.f / Z;
}

/** Distance Z of the ground point imaged on row y (y below the horizon). */
export function groundZ(cam: Camera, y: number): number {
  return (cam.f * cam.camHeight) / (y - cam.horizon);
}

/** World X of image column x at distance Z. */
export function worldX(cam: Camera, x: number, Z: number): number {
  return ((x - cam.cx) * Z) / cam.f;
}

/** Appends the projection of (X, Y, Z) to a flat point list. */
export function pushPoint(out: number[], cam: Camera, X: number, Y: number, Z: number): void {
  out.push(projectX(cam, X, Z), projectY(cam, Y, Z));
}
