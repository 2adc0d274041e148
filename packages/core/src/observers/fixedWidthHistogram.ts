/**
 * A histogram of float values on a fixed grid anchored at 0: bin `k` counts values in
 * `[k * w, (k + 1) * w)`, and the width `w` is always a power of two.
 *
 * Why this grid: `x * 2^-e` is exact in floating point, so a value's bin is exact, and
 * doubling the width maps bin `k` to bin `floor(k / 2)` — the same bin a fresh pass at
 * the doubled width would pick. Growing the histogram to cover new values therefore
 * only appends empty bins (counts never move or blur), and two histograms of different
 * widths merge exactly by coarsening the finer one to the coarser width.
 *
 * Width: the first batch with a non-zero value sets `w = 2^floor(log2(absmax / targetBins))`,
 * so `[0, absmax]` spans between `targetBins` and `2 * targetBins` bins. Data that later
 * extends the range appends bins at the same width. When the bins covering the observed
 * range would exceed `16 * targetBins`, adjacent pairs are merged (the width doubles) as
 * often as needed; resolution then drops, but every count stays in the bin holding its value.
 *
 * Values that are NaN or ±Infinity are skipped and counted. Zeros seen before any non-zero
 * value (all-zero batches) are held aside until a width exists.
 */
import { QtkError } from '../errors/QtkError.js';
import { finiteExtent } from './finiteExtent.js';

/** How many times the target bin count the histogram may hold before it coarsens. */
export const HISTOGRAM_MAX_BINS_FACTOR = 16;

/** Read-only view of a histogram's bins for the range strategies. */
export interface HistogramView {
  /** Count per bin; bin `j` covers `[(base + j) * width, (base + j + 1) * width)`. */
  readonly counts: Float64Array;
  /** Grid index of the first bin. */
  readonly base: number;
  readonly width: number;
  /** Exact smallest and largest finite value seen. */
  readonly min: number;
  readonly max: number;
  /** Number of finite values counted. */
  readonly total: number;
}

/** Smallest and largest power-of-two exponent a width may have (keeps 2^-e finite). */
const MIN_EXPONENT = -1000;
const MAX_EXPONENT = 1000;

/** Bin grid exponent for a first batch of magnitude `absmax` (> 0). */
function initialExponent(absmax: number, targetBins: number): number {
  let e = Math.floor(Math.log2(absmax / targetBins));
  if (!Number.isFinite(e)) e = MIN_EXPONENT;
  // log2 may be off by one near powers of two; settle it exactly.
  while (e > MIN_EXPONENT && 2 ** e > absmax / targetBins) e--;
  while (e < MAX_EXPONENT && 2 ** (e + 1) <= absmax / targetBins) e++;
  return Math.min(MAX_EXPONENT, Math.max(MIN_EXPONENT, e));
}

/** A growable fixed-width histogram (see the module comment). */
export class FixedWidthHistogram {
  /** Width exponent; undefined until a non-zero value was seen. */
  private exponent: number | undefined;
  private base = 0;
  private counts: Float64Array = new Float64Array(0);
  /** Zeros seen while no width was set. */
  private pendingZeros = 0;
  private lo = Infinity;
  private hi = -Infinity;
  private finite = 0;
  private skipped = 0;
  /** Most bins held before pairs are merged. */
  readonly maxBins: number;
  /** Running [min, max] handed to and from `addPairs`. */
  private readonly bounds = new Float64Array(2);

  constructor(readonly targetBins: number) {
    if (!Number.isInteger(targetBins) || targetBins < 2) {
      throw new QtkError('E_OPTION', `histogram needs an integer bin count ≥ 2; got ${targetBins}`, { option: 'observer.bins' });
    }
    this.maxBins = targetBins * HISTOGRAM_MAX_BINS_FACTOR;
  }

  /** Bin width (undefined while only zeros were seen). */
  get width(): number | undefined {
    return this.exponent === undefined ? undefined : 2 ** this.exponent;
  }

  /** Number of bins held. */
  get binCount(): number {
    return this.counts.length;
  }

  /** Finite values counted so far. */
  get total(): number {
    return this.finite;
  }

  /** NaN and ±Infinity values skipped so far. */
  get nonFinite(): number {
    return this.skipped;
  }

  /** Exact smallest and largest finite value (±Infinity when none). */
  get extent(): { min: number; max: number } {
    return { min: this.lo, max: this.hi };
  }

  /**
   * Counts `data` into the histogram. O(n), one pass in the common case: values are
   * binned while they fall inside the held bins; the first one that does not makes the
   * histogram grow once to cover the rest of the batch (one scan of the rest), after
   * which only NaN/±Infinity leave the fast loop. The first batch is scanned once more
   * to set the width. Large batches are counted two values at a time (`addPairs`);
   * the counts, extremes and growth are the same as one value at a time.
   * Each value counts `weight` times (a sample's stride: each kept value stands for
   * `weight` values of the whole).
   */
  add(data: Float32Array, weight = 1): void {
    const len = data.length;
    if (len === 0) return;
    if (this.exponent === undefined) {
      const ext = finiteExtent(data);
      const absmax = Math.max(-ext.min, ext.max);
      if (!(absmax > 0)) { // only zeros, or nothing finite
        this.skipped += ext.nonFinite * weight;
        const n = (len - ext.nonFinite) * weight;
        this.pendingZeros += n; this.finite += n;
        if (n > 0) { this.lo = Math.min(this.lo, 0); this.hi = Math.max(this.hi, 0); }
        return;
      }
      this.start(initialExponent(absmax, this.targetBins), ext.min, ext.max);
    }
    let lo = this.lo, hi = this.hi, bad = 0;
    let counts = this.counts, inv = 2 ** -this.exponent!, base = this.base, n = counts.length;
    let i = 0;
    // Pairs are tried at the start and after growth, not after each NaN (each try merges the lanes).
    let pairs = true;
    while (i < len) {
      if (pairs && len - i >= PAIRED_MIN_FACTOR * n) {
        const b = this.bounds;
        b[0] = lo; b[1] = hi;
        i = addPairs(data, i, counts, inv, base, b, weight);
        lo = b[0]!; hi = b[1]!;
      }
      for (; i < len; i++) {
        const v = data[i]!;
        const k = Math.floor(v * inv) - base;
        if (!(k >= 0 && k < n)) break;
        counts[k | 0] += weight; // k is a small integer here; `| 0` lets the JIT index as int32
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
      }
      if (i === len) break;
      if (data[i]! - data[i]! !== 0) { bad++; i++; pairs = false; continue; } // NaN or ±Infinity
      const rest = finiteExtent(data, i);
      this.cover(rest.min, rest.max);
      pairs = true;
      counts = this.counts; inv = 2 ** -this.exponent!; base = this.base; n = counts.length;
    }
    this.lo = lo; this.hi = hi;
    this.skipped += bad * weight;
    this.finite += (len - bad) * weight;
  }

  /**
   * Adds `other`'s counts. Differing widths are brought to the coarser one (exactly,
   * since both grids are anchored at 0 with power-of-two widths); `other` is unchanged.
   * Throws E_OBSERVER when the target bin counts differ.
   */
  merge(other: FixedWidthHistogram): void {
    if (other.targetBins !== this.targetBins) {
      throw new QtkError('E_OBSERVER', `cannot merge a ${other.targetBins}-bin histogram into a ${this.targetBins}-bin one`);
    }
    this.skipped += other.skipped;
    if (other.finite === 0) return;
    this.finite += other.finite;
    if (other.lo < this.lo) this.lo = other.lo;
    if (other.hi > this.hi) this.hi = other.hi;
    this.pendingZeros += other.pendingZeros;
    if (other.exponent === undefined) return this.flushZeros();
    if (this.exponent === undefined) {
      this.exponent = other.exponent; this.base = other.base; this.counts = other.counts.slice();
    } else {
      // Common width: the coarser one, doubled further while the union exceeds the cap.
      let e = Math.max(this.exponent, other.exponent);
      const spanAt = (x: number) => {
        const fa = 2 ** (x - this.exponent!), fb = 2 ** (x - other.exponent!);
        const first = Math.min(Math.floor(this.base / fa), Math.floor(other.base / fb));
        const last = Math.max(Math.floor((this.base + this.counts.length - 1) / fa), Math.floor((other.base + other.counts.length - 1) / fb));
        return last - first + 1;
      };
      while (spanAt(e) > this.maxBins) e++;
      this.coarsen(e - this.exponent);
      const c = coarsened(other.base, other.counts, e - other.exponent);
      this.coverIndices(c.base, c.base + c.counts.length - 1);
      for (let j = 0; j < c.counts.length; j++) this.counts[c.base + j - this.base] += c.counts[j]!;
    }
    this.flushZeros();
  }

  /** The bins as a view, or undefined when nothing finite was seen. All-zero data gives one bin [0, 1). */
  view(): HistogramView | undefined {
    if (this.finite === 0) return undefined;
    if (this.exponent === undefined) {
      return { counts: Float64Array.of(this.pendingZeros), base: 0, width: 1, min: this.lo, max: this.hi, total: this.finite };
    }
    return { counts: this.counts, base: this.base, width: 2 ** this.exponent, min: this.lo, max: this.hi, total: this.finite };
  }

  /** Plain JSON state (counts as an array of numbers). */
  toJSON(): Record<string, unknown> {
    return {
      targetBins: this.targetBins, exponent: this.exponent ?? null, base: this.base, counts: [...this.counts],
      pendingZeros: this.pendingZeros, min: this.finite ? this.lo : null, max: this.finite ? this.hi : null,
      total: this.finite, nonFinite: this.skipped,
    };
  }

  /** Restores `toJSON` output; throws E_OBSERVER on malformed state. */
  static fromJSON(s: Record<string, unknown>): FixedWidthHistogram {
    const h = new FixedWidthHistogram(Number(s.targetBins));
    const counts = s.counts;
    if (!Array.isArray(counts) || counts.some((c) => typeof c !== 'number' || !(c >= 0))) {
      throw new QtkError('E_OBSERVER', 'histogram state has no valid counts array');
    }
    h.counts = Float64Array.from(counts as number[]);
    h.exponent = typeof s.exponent === 'number' ? s.exponent : undefined;
    if (h.exponent === undefined ? h.counts.length > 0 : !Number.isInteger(h.exponent) || h.counts.length === 0) {
      throw new QtkError('E_OBSERVER', `histogram state has width exponent ${String(s.exponent)} with ${h.counts.length} bins`);
    }
    h.base = Number(s.base ?? 0);
    if (!Number.isInteger(h.base)) throw new QtkError('E_OBSERVER', `histogram state has a non-integer first bin ${String(s.base)}`);
    h.pendingZeros = Number(s.pendingZeros ?? 0);
    h.finite = Number(s.total ?? 0);
    h.skipped = Number(s.nonFinite ?? 0);
    h.lo = typeof s.min === 'number' ? s.min : Infinity;
    h.hi = typeof s.max === 'number' ? s.max : -Infinity;
    let sum = h.pendingZeros;
    for (const c of h.counts) sum += c;
    if (sum !== h.finite) throw new QtkError('E_OBSERVER', `histogram state counts ${sum} values but says ${h.finite}`);
    return h;
  }

  /** Sets the grid and allocates bins for [lo, hi] (plus 0 when zeros are pending). */
  private start(exponent: number, lo: number, hi: number): void {
    this.exponent = exponent;
    const inv = 2 ** -exponent;
    this.base = Math.floor(lo * inv);
    this.counts = new Float64Array(Math.floor(hi * inv) - this.base + 1);
    this.cover(lo, hi); // applies the cap when one batch spans too much
    this.flushZeros();
  }

  /** Moves pending zeros into the bin of 0 once a width exists. */
  private flushZeros(): void {
    if (this.pendingZeros === 0 || this.exponent === undefined) return;
    this.coverIndices(0, 0);
    this.counts[-this.base] += this.pendingZeros;
    this.pendingZeros = 0;
  }

  /** Grows (and if needed coarsens) so that values in [lo, hi] have bins. */
  private cover(lo: number, hi: number): void {
    const e = this.exponent!;
    const inv = 2 ** -e;
    const a = Math.floor(lo * inv), b = Math.floor(hi * inv);
    if (a >= this.base && b < this.base + this.counts.length) return;
    if (Number.isFinite(a) && Number.isFinite(b)) return this.coverIndices(a, b);
    // Indices overflow at this width: coarsen first, by the factor the span needs.
    const k = Math.max(1, Math.ceil(Math.log2(hi - lo) - e - Math.log2(this.maxBins - 1)));
    this.coarsen(k);
    this.cover(lo, hi);
  }

  /** Grows to hold grid indices [a, b] at the current width, coarsening when over the cap. */
  private coverIndices(a: number, b: number): void {
    const first = Math.min(a, this.base);
    const last = Math.max(b, this.base + this.counts.length - 1);
    if (last - first + 1 > this.maxBins) {
      // Smallest k with floor(last / 2^k) - floor(first / 2^k) + 1 <= maxBins.
      let k = 1;
      while (Math.floor(last / 2 ** k) - Math.floor(first / 2 ** k) + 1 > this.maxBins) k++;
      this.coarsen(k);
      return this.coverIndices(Math.floor(a / 2 ** k), Math.floor(b / 2 ** k));
    }
    if (first === this.base && last === this.base + this.counts.length - 1) return;
    const grown = new Float64Array(last - first + 1);
    grown.set(this.counts, this.base - first);
    this.counts = grown;
    this.base = first;
  }

  /** Doubles the width `k` times, merging groups of 2^k adjacent bins. */
  private coarsen(k: number): void {
    if (k <= 0) return;
    const c = coarsened(this.base, this.counts, k);
    this.base = c.base;
    this.counts = c.counts;
    this.exponent = this.exponent! + k;
  }
}

/** `add` counts pairs (`addPairs`) when a batch holds at least this many values per bin. */
const PAIRED_MIN_FACTOR = 2;

/** Zeroed counts of the second lane of `addPairs` (grown as needed, zeroed after each use). */
let lane = new Float64Array(0);

/**
 * The hot loop of `add`: counts `data` from `start` two values at a time, the second
 * value of each pair into a separate lane, so that runs of values in one bin (zeros
 * after ReLU, saturated sigmoids) do not wait on the previous increment of the same
 * count. Stops before the first pair holding a value outside the held bins (or NaN/±Inf)
 * and returns its index; `bounds` holds the running [min, max] in and out, updated in
 * data order. Counts are integers (weights are), so merging the lanes is exact.
 */
function addPairs(data: Float32Array, start: number, counts: Float64Array, inv: number, base: number, bounds: Float64Array, weight: number): number {
  const n = counts.length;
  if (lane.length < n) lane = new Float64Array(n);
  const second = lane;
  let lo = bounds[0]!, hi = bounds[1]!;
  const end = start + ((data.length - start) & ~1);
  let i = start;
  for (; i < end; i += 2) {
    const v = data[i]!, w = data[i + 1]!;
    const k = Math.floor(v * inv) - base, q = Math.floor(w * inv) - base;
    if (!(k >= 0 && k < n && q >= 0 && q < n)) break;
    counts[k | 0] += weight;
    second[q | 0] += weight;
    lo = v < lo ? v : lo; hi = v > hi ? v : hi;
    lo = w < lo ? w : lo; hi = w > hi ? w : hi;
  }
  for (let j = 0; j < n; j++) { counts[j] += second[j]!; second[j] = 0; }
  bounds[0] = lo; bounds[1] = hi;
  return i;
}

/** Counts at 2^k times the width: grid bin `i` goes to `floor(i / 2^k)`. */
function coarsened(base: number, counts: Float64Array, k: number): { base: number; counts: Float64Array } {
  if (k === 0) return { base, counts: counts.slice() };
  const f = 2 ** k;
  const first = Math.floor(base / f);
  const last = Math.floor((base + counts.length - 1) / f);
  const out = new Float64Array(last - first + 1);
  for (let j = 0; j < counts.length; j++) out[Math.floor((base + j) / f) - first] += counts[j]!;
  return { base: first, counts: out };
}
