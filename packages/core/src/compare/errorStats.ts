/**
 * Running error statistics between a reference tensor and a candidate of the same
 * shape: sums in float64 over every batch, so no activation is kept after its batch.
 * SQNR is 10·log10(Σx² / Σ(x−y)²) in dB, +Infinity when the two are equal.
 */
import { QtkError } from '../errors/QtkError.js';

/** Signal-to-quantization-noise ratio in dB of summed powers; +Infinity when `noise` is 0. */
export function sqnrDb(signal: number, noise: number): number {
  if (noise === 0) return Infinity;
  return 10 * Math.log10(signal / noise);
}

/** Noise-to-signal power ratio of a SQNR in dB (0 for +Infinity). */
export function noiseToSignal(db: number): number {
  return db === Infinity ? 0 : 10 ** (-db / 10);
}

/** Accumulates Σx², Σ(x−y)², Σxy, Σy² and the largest |x−y| over pairs of arrays. */
export class ErrorAccumulator {
  /** Elements seen. */
  elements = 0;
  /** Σx² over the reference. */
  signal = 0;
  /** Σ(x−y)². */
  noise = 0;
  /** Σx·y. */
  dot = 0;
  /** Σy² over the candidate. */
  candidateEnergy = 0;
  /** Largest |x−y|. */
  maxAbs = 0;
  /** Elements where the two sides differ and one is NaN or infinite. */
  nonFinite = 0;

  /** Adds one batch; `name` says which tensor in the error when the sizes differ. */
  add(reference: ArrayLike<number>, candidate: ArrayLike<number>, name = '?'): void {
    const n = reference.length;
    if (candidate.length !== n) {
      throw new QtkError('E_SHAPE', `tensor '${name}' has ${n} elements in the reference but ${candidate.length} in the candidate`, { tensor: name });
    }
    let signal = 0, noise = 0, dot = 0, energy = 0, maxAbs = this.maxAbs;
    for (let i = 0; i < n; i++) {
      const x = reference[i]!;
      const y = candidate[i]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        if (!Object.is(x, y) && !(Number.isNaN(x) && Number.isNaN(y))) this.nonFinite++;
        continue;
      }
      const d = x - y;
      signal += x * x;
      noise += d * d;
      dot += x * y;
      energy += y * y;
      const a = Math.abs(d);
      if (a > maxAbs) maxAbs = a;
    }
    this.elements += n;
    this.signal += signal;
    this.noise += noise;
    this.dot += dot;
    this.candidateEnergy += energy;
    this.maxAbs = maxAbs;
  }

  /** SQNR in dB; -Infinity when a non-finite value differs, +Infinity when equal. */
  get sqnrDb(): number {
    return this.nonFinite ? -Infinity : sqnrDb(this.signal, this.noise);
  }

  /** Cosine similarity over the finite elements: 1 when both are all zero, 0 when one is. */
  get cosine(): number {
    if (this.signal === 0 && this.candidateEnergy === 0) return 1;
    if (this.signal === 0 || this.candidateEnergy === 0) return 0;
    return this.dot / Math.sqrt(this.signal * this.candidateEnergy);
  }

  /** Largest absolute error; +Infinity when a non-finite value differs. */
  get maxAbsError(): number {
    return this.nonFinite ? Infinity : this.maxAbs;
  }
}

/**
 * How often two tensors pick the same class: the argmax along the last axis, compared
 * row by row (a row is every index but the last). For outputs that are class scores or
 * probabilities, where a low SQNR may still leave every prediction unchanged.
 */
export class ArgmaxAgreement {
  /** Rows compared. */
  rows = 0;
  /** Rows whose argmax is the same on both sides. */
  agree = 0;

  /** Adds one batch of `last`-wide rows. */
  add(reference: ArrayLike<number>, candidate: ArrayLike<number>, last: number): void {
    if (!(last >= 2) || reference.length !== candidate.length) return;
    for (let start = 0; start + last <= reference.length; start += last) {
      let a = start, b = start;
      for (let i = start + 1; i < start + last; i++) {
        if (reference[i]! > reference[a]!) a = i;
        if (candidate[i]! > candidate[b]!) b = i;
      }
      this.rows++;
      if (a === b) this.agree++;
    }
  }

  /** Fraction of rows that agree (NaN before any row). */
  get rate(): number {
    return this.rows ? this.agree / this.rows : NaN;
  }
}
