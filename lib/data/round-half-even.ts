// Rounding half to even: cvRound on x86 (OpenCV), numpy.rint / numpy.round, torch.round.
// Math.round rounds halves up (2.5 -> 3, -2.5 -> -2); these round them to the even neighbour.

/** Round half to even: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -1.5 -> -2. */
export function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
