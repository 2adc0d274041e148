/**
 * Shapes of a batched matrix product with numpy `matmul` broadcasting: 1-D operands are
 * promoted ([K] as a row for A, as a column for B) and the promoted dim is dropped from the
 * output; leading (batch) dims broadcast right-aligned.
 * Example: A [2, 1, 3, 4] x B [5, 4, 6] gives [2, 5, 3, 6].
 */
import { QtkError } from '../../errors/QtkError.js';

/** How to run a batched product: for output batch `i`, A's batch `aBatch[i]` times B's batch `bBatch[i]`. */
export interface MatMulShape {
  M: number;
  K: number;
  N: number;
  /** Number of [M, K] matrices in A and [K, N] matrices in B (before broadcasting). */
  aBatches: number;
  bBatches: number;
  /** Per output batch, the batch index into A and into B. */
  aBatch: Int32Array;
  bBatch: Int32Array;
  /** Dims of the result (promoted 1-D dims dropped). */
  outDims: number[];
}

/** Plans `A x B` over dims; throws E_SHAPE when inner dims differ or batch dims do not broadcast. */
export function planMatMul(aDims: readonly number[], bDims: readonly number[], op: string): MatMulShape {
  if (aDims.length === 0 || bDims.length === 0) throw new QtkError('E_SHAPE', `${op}: operands must have rank >= 1, got [${aDims.join(',')}] and [${bDims.join(',')}]`);
  const a = aDims.length === 1 ? [1, aDims[0]!] : aDims.slice();
  const b = bDims.length === 1 ? [bDims[0]!, 1] : bDims.slice();
  const M = a[a.length - 2]!;
  const K = a[a.length - 1]!;
  const N = b[b.length - 1]!;
  if (b[b.length - 2] !== K) {
    throw new QtkError('E_SHAPE', `${op}: inner dims differ: A [${aDims.join(',')}] has K=${K}, B [${bDims.join(',')}] has K=${b[b.length - 2]}`);
  }
  const aLead = a.slice(0, -2);
  const bLead = b.slice(0, -2);
  const rank = Math.max(aLead.length, bLead.length);
  const lead: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = aLead[i - (rank - aLead.length)] ?? 1;
    const db = bLead[i - (rank - bLead.length)] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new QtkError('E_SHAPE', `${op}: batch dims of A [${aDims.join(',')}] and B [${bDims.join(',')}] do not broadcast (${da} vs ${db} at batch axis ${i})`);
    }
    lead.push(da === 1 ? db : da);
  }
  const batches = lead.reduce((p, d) => p * d, 1);
  const aBatch = new Int32Array(batches);
  const bBatch = new Int32Array(batches);
  for (let i = 0; i < batches; i++) {
    let rest = i;
    let ai = 0, aStride = 1, bi = 0, bStride = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const idx = rest % lead[d]!;
      rest = Math.floor(rest / lead[d]!);
      const da = aLead[d - (rank - aLead.length)] ?? 1;
      const db = bLead[d - (rank - bLead.length)] ?? 1;
      if (da !== 1) ai += idx * aStride;
      if (db !== 1) bi += idx * bStride;
      aStride *= da;
      bStride *= db;
    }
    aBatch[i] = ai;
    bBatch[i] = bi;
  }
  const outDims = [...lead];
  if (aDims.length > 1) outDims.push(M);
  if (bDims.length > 1) outDims.push(N);
  return {
    M, K, N,
    aBatches: aLead.reduce((p, d) => p * d, 1),
    bBatches: bLead.reduce((p, d) => p * d, 1),
    aBatch, bBatch, outDims,
  };
}
