/**
 * Nodes left float, grouped by op type and reason, largest group first: what the
 * summary lists and what an error about a run that quantized nothing explains.
 *
 * Example: three Softmax nodes without a rule and one excluded Conv give
 * `[{ opType: 'Softmax', reason: '...', n: 3 }, { opType: 'Conv', reason: 'excluded by user', n: 1 }]`.
 */
import type { FloatNode } from '@qtk/core';

/** One group of float nodes: the op type, the reason and how many. */
export interface FloatGroup {
  opType: string;
  reason: string;
  n: number;
}

/** Groups `float` by op type and reason, most nodes first (ties by op type). */
export function groupFloatNodes(float: readonly FloatNode[]): FloatGroup[] {
  const groups = new Map<string, FloatGroup>();
  for (const f of float) {
    const key = `${f.opType}\u0000${f.reason}`;
    const g = groups.get(key) ?? { opType: f.opType, reason: f.reason, n: 0 };
    g.n++;
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.n - a.n || a.opType.localeCompare(b.opType));
}
