/**
 * Data and measures shared by the SmoothQuant and bias-correction tests and benchmarks:
 * seeded token batches for the BERT encoder, seeded image batches, output SQNR over held-out batches.
 */
import { Tensor, type Executor, type Feeds, type Model } from '@qtk/core';
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

/** SQNR in dB of `quantized`'s output `output` against `float`'s, signal and noise summed over the batches. */
export async function outputSqnr(executor: Executor, float: Model, quantized: Model, batches: readonly Feeds[], output: string): Promise<number> {
  const a = await executor.createSession(float);
  const b = await executor.createSession(quantized);
  let signal = 0;
  let noise = 0;
  try {
    for (const feeds of batches) {
      const ref = (await a.run(feeds, [output]))[output]!.data as Float32Array;
      const got = (await b.run(feeds, [output]))[output]!.data as Float32Array;
      for (let i = 0; i < ref.length; i++) {
        signal += ref[i]! * ref[i]!;
        noise += (ref[i]! - got[i]!) ** 2;
      }
    }
  } finally {
    await a.release();
    await b.release();
  }
  return 10 * Math.log10(signal / noise);
}
