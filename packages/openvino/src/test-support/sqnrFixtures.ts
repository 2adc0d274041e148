/**
 * Data and measures shared by the SmoothQuant and bias-correction tests and benchmarks:
 * seeded token batches for the BERT encoder and seeded image batches (output SQNR over batches is
 * `outputSqnr` of `@qtk/core/testing`).
 */
export { outputSqnr } from '@qtk/core/testing';
import { Tensor, type Feeds } from '@qtk/core';
import { Rng } from '@qtk/models';

/** `count` batches of uniformly random token ids (and a full attention mask) for the BERT encoder. */
export function tokenBatches(seed: number, count: number, batch: number, seq: number, vocab: number): Feeds[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => ({
    input_ids: Tensor.int64(Array.from({ length: batch * seq }, () => Math.floor(rng.uniform() * vocab)), [batch, seq]),
    attention_mask: Tensor.int64(Array.from({ length: batch * seq }, () => 1), [batch, seq]),
  }));
}

/** `count` batches { input: N(0, 1) images [batch, 3, size, size] }. */
export function imageBatches(seed: number, count: number, batch: number, size: number): Feeds[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => ({ input: new Tensor('float32', rng.normalArray(batch * 3 * size * size), [batch, 3, size, size]) }));
}
