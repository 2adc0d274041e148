/** Axis arithmetic shared by the planners and the graph rewrites. */

/**
 * An axis in `[-rank, rank)` mapped to `[0, rank)`; undefined when out of range. With
 * `inclusive`, `rank` itself is allowed too (Flatten's axis counts dims before the split).
 * Example: `axisIndex(-1, 4)` is 3, `axisIndex(4, 4)` is undefined, `axisIndex(4, 4, true)` is 4.
 */
export function axisIndex(axis: number, rank: number, inclusive = false): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && (a < rank || (inclusive && a === rank)) ? a : undefined;
}
