/** 1536-d unit vectors with known cosine similarities, for a fake embedder and SQL tests. */
export const DIMENSIONS = 1536;

/** A unit vector pointing mostly along `axis`, tilted towards `towards` by `tilt` (0..1). */
export function axisVector(axis: number, towards?: number, tilt = 0): number[] {
  const v = new Array<number>(DIMENSIONS).fill(0);
  v[axis] = 1 - tilt;
  if (towards !== undefined) v[towards] = tilt;
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}
