/**
 * What kernel call sites use to split work over a session's threads: the pool attached to a
 * session's kernels (none: one thread), how many units to cut a section into and how many
 * scratch slots they need, even splits of a column range on 8-column panel bounds, and
 * running a section.
 * Example:
 * `const units = unitCount(k, M * K * N, Math.ceil(N / 8)); const buf = ctx.scratch(bytes * slotCount(k, units));`
 * then in the step `parallel(k, units, (kk, u, slot) => { const [c0, c1] = splitPanels(N, units, u); ... })`.
 */
import type { Kernels } from '../kernels.js';
import type { UnitBody, WorkerPool } from './pool.js';

const pools = new WeakMap<Kernels, WorkerPool>();

/** Attaches `pool` to the kernels of its session (the ones its slot 0 runs on). */
export function attachPool(pool: WorkerPool): void {
  pools.set(pool.kernels, pool);
}

/** Detaches the pool of these kernels (the session runs on one thread afterwards). */
export function detachPool(k: Kernels): void {
  pools.delete(k);
}

/** Threads available to kernels `k`: the pool's, or 1 without one. */
export function threadCount(k: Kernels): number {
  return pools.get(k)?.threads ?? 1;
}

/** Fewest multiply-adds per unit worth a dispatch. */
export const MIN_UNIT_MACS = 1 << 18;
/** Fewest 8-column panels per unit (a unit re-reads the whole weight matrix). */
export const MIN_UNIT_PANELS = 4;
/** Units per thread at most: more let threads that run late take less, fewer re-read weights less. */
export const UNITS_PER_THREAD = 4;

/**
 * Units to cut a section of `macs` multiply-adds over `panels` 8-column panels into: 1 on
 * one thread or when too small to split; else up to the thread count, and beyond it a
 * multiple of the thread count (so equal threads finish together) up to UNITS_PER_THREAD
 * per thread, each unit of at least MIN_UNIT_MACS and MIN_UNIT_PANELS.
 */
export function unitCount(k: Kernels, macs: number, panels: number): number {
  const t = threadCount(k);
  if (t <= 1) return 1;
  const byWork = Math.floor(macs / MIN_UNIT_MACS);
  const base = Math.min(t, panels, byWork);
  if (base <= 1) return 1;
  const more = Math.min(t * UNITS_PER_THREAD, Math.floor(panels / MIN_UNIT_PANELS), byWork);
  return Math.max(base, more - (more % t));
}

/** Scratch slots a section of `units` needs: one per thread that can take part. */
export function slotCount(k: Kernels, units: number): number {
  return Math.max(1, Math.min(threadCount(k), units));
}

/**
 * Columns [c0, c1) of unit `u` of `units` over `n` columns: contiguous, on 8-column panel
 * bounds, panel counts differing by at most one (the last unit ends at n).
 */
export function splitPanels(n: number, units: number, u: number): [number, number] {
  const panels = Math.ceil(n / 8);
  const p0 = Math.floor((u * panels) / units), p1 = Math.floor(((u + 1) * panels) / units);
  return [Math.min(n, p0 * 8), Math.min(n, p1 * 8)];
}

/**
 * Runs `body` for units 0..units-1: on the pool's threads when the kernels have one (each
 * unit on whichever thread claims it first; `slot` names that thread's scratch, below
 * slotCount(k, units)), else one after the other with slot 0. Units must write disjoint
 * memory.
 */
export function parallel(k: Kernels, units: number, body: UnitBody): void {
  const pool = pools.get(k);
  if (!pool) {
    for (let u = 0; u < units; u++) body(k, u, 0);
    return;
  }
  if (units > 1) split++;
  pool.run(units, body);
}

let split = 0;

/** Sections this process ran on a pool cut into more than one unit (for tests and benchmarks). */
export function splitSections(): number {
  return split;
}
