/**
 * Buffer reuse by liveness: each runtime buffer lives from the step that writes it to the
 * last step that reads it; buffers whose lifetimes do not overlap share bytes of one arena.
 */

/** One buffer to place: live over steps [first, last] (inclusive), `bytes` long. */
export interface Lifetime {
  bytes: number;
  first: number;
  last: number;
  /** Assigned offset inside the arena. */
  offset?: number;
}

const ALIGN = 16;

/**
 * Assigns arena offsets by first fit over free intervals, in order of first use; returns the
 * arena size. Buffers live at the same step never overlap.
 */
export function planArena(items: Lifetime[]): number {
  const order = items.map((_, i) => i).sort((a, b) => items[a]!.first - items[b]!.first || items[b]!.bytes - items[a]!.bytes);
  const active: Lifetime[] = [];
  let size = 0;
  for (const i of order) {
    const it = items[i]!;
    for (let j = active.length - 1; j >= 0; j--) if (active[j]!.last < it.first) active.splice(j, 1);
    const need = Math.ceil(it.bytes / ALIGN) * ALIGN;
    const taken = active.map((a) => [a.offset!, a.offset! + Math.ceil(a.bytes / ALIGN) * ALIGN] as const).sort((a, b) => a[0] - b[0]);
    let at = 0;
    for (const [s, e] of taken) {
      if (at + need <= s) break;
      at = Math.max(at, e);
    }
    it.offset = at;
    size = Math.max(size, at + need);
    active.push(it);
  }
  return size;
}
