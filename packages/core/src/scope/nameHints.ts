/**
 * Names close to one that matched nothing, for "did you mean" hints: ranked by edit
 * distance, case ignored, with a name containing the text ranked first.
 *
 * Example: `closestNames('/layer1/conv', ['/layer1/Conv', '/layer2/Conv', '/fc/Gemm'])` is
 * `['/layer1/Conv', '/layer2/Conv']`.
 */

/** Levenshtein distance between `a` and `b` (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Up to `limit` distinct names of `names` nearest to `text`: those containing it, then
 * those within an edit distance of half its length (at least 2), nearest first.
 */
export function closestNames(text: string, names: Iterable<string>, limit = 3): string[] {
  const t = text.toLowerCase();
  const scored: Array<{ name: string; d: number }> = [];
  for (const name of new Set(names)) {
    if (!name) continue;
    const n = name.toLowerCase();
    const d = t && n.includes(t) ? -1 : editDistance(t, n);
    if (d <= Math.max(2, Math.floor(t.length / 2))) scored.push({ name, d });
  }
  return scored.sort((a, b) => a.d - b.d || a.name.localeCompare(b.name)).slice(0, limit).map((s) => s.name);
}
