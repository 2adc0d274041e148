/**
 * Quality of a variant: accuracy on labelled data, or else how closely its output follows
 * the FP32 model's on the same inputs: top-1 agreement (argmax over the last axis) and
 * SQNR, 10·log10(Σref² / Σ(ref−out)²) in dB (summed by core's ErrorAccumulator).
 */
import { QtkError, type Tensor } from '@qtk/core';
import { ErrorAccumulator, jsonNumber } from '@qtk/core/internal';

/**
 * A SQNR in dB; 'Infinity' when the outputs are identical, '-Infinity' when no signal is
 * left (NaN or infinite values where the reference differs, or an all-zero reference).
 * JSON has no Infinity.
 */
export type Db = number | 'Infinity' | '-Infinity';

/** What quality was measured on: labelled data, the user's samples, or seeded random inputs. */
export type QualityDataKind = 'labelled' | 'samples' | 'random';

/** Quality figures of one variant on one runtime. */
export interface Quality {
  /** Fraction of labelled rows classified right. */
  accuracy?: number;
  /** Fraction of rows whose argmax equals the FP32 model's. */
  top1Agreement?: number;
  /** SQNR of the compared output against FP32. */
  sqnrDb?: Db;
  /** Rows the figures were taken on. */
  rows: number;
  /** What the rows were. */
  data: string;
  /** Where they came from; figures on `random` inputs say little about real data. */
  dataKind: QualityDataKind;
}

/** Index of the largest value in each row of the last axis. */
export function argmaxRows(t: Tensor): Int32Array {
  const k = t.dims.length ? t.dims[t.dims.length - 1]! : 1;
  const rows = k > 0 ? t.size / k : 0;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (t.get(r * k + j) > t.get(r * k + best)) best = j;
    out[r] = best;
  }
  return out;
}

/** Fraction of rows of `outputs` whose argmax equals the label. */
export function accuracyOf(outputs: readonly Tensor[], labels: readonly Uint8Array[]): { accuracy: number; rows: number } {
  let right = 0;
  let rows = 0;
  outputs.forEach((t, i) => {
    const am = argmaxRows(t);
    const y = labels[i]!;
    if (am.length !== y.length) throw new QtkError('E_SHAPE', `batch ${i}: ${am.length} output rows but ${y.length} labels`);
    for (let r = 0; r < am.length; r++) if (am[r] === y[r]) right++;
    rows += am.length;
  });
  return { accuracy: rows ? right / rows : NaN, rows };
}

/** The elements of `t` as numbers: float data as it is, other types converted. */
function numbers(t: Tensor): ArrayLike<number> {
  return t.data instanceof Float32Array || t.data instanceof Float64Array ? t.data : t.toNumbers();
}

/**
 * SQNR and top-1 agreement of candidate outputs against reference outputs, batch by batch.
 * SQNR sums as core's ErrorAccumulator does: values non-finite on both sides alike are
 * passed over, and one that is NaN or infinite where the other side differs makes the
 * SQNR '-Infinity' (the other figures are still given).
 */
export function agreement(reference: readonly Tensor[], candidate: readonly Tensor[]): { sqnrDb: Db; top1Agreement: number; rows: number } {
  if (reference.length !== candidate.length) throw new QtkError('E_SHAPE', `${reference.length} reference batches but ${candidate.length} candidate batches`);
  const errors = new ErrorAccumulator();
  let same = 0;
  let rows = 0;
  reference.forEach((ref, i) => {
    const out = candidate[i]!;
    if (ref.size !== out.size) throw new QtkError('E_SHAPE', `batch ${i}: reference has ${ref.size} elements, candidate ${out.size}`);
    errors.add(numbers(ref), numbers(out), `batch ${i}`);
    const ra = argmaxRows(ref);
    const ca = argmaxRows(out);
    for (let r = 0; r < ra.length; r++) if (ra[r] === ca[r]) same++;
    rows += ra.length;
  });
  return { sqnrDb: jsonNumber(errors.sqnrDb) as Db, top1Agreement: rows ? same / rows : NaN, rows };
}
