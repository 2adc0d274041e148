/** Running the float model over the calibration batches and keeping the inputs of the scaled layers. */
import { QtkError, type Executor, type Feeds, type Model, type Tensor } from '@qtk/core';

/** Rows of each activation over all batches, row-major [T, K] with K its last dimension. */
export interface ActivationRows {
  x: Float32Array;
  /** Rows (tokens) over all batches. */
  t: number;
  /** Channels (last dimension). */
  k: number;
}

/**
 * Runs `model` on every batch of `calibration` and returns the values `names` took, flattened
 * to rows of their last dimension `channels.get(name)`. Throws E_CALIB_DATA when there is no
 * batch or a value is not float32 or has another last dimension, E_EXECUTOR when a run fails.
 */
export async function collectActivations(
  model: Model, channels: ReadonlyMap<string, number>, executor: Executor, calibration: Iterable<Feeds> | AsyncIterable<Feeds>,
): Promise<Map<string, ActivationRows>> {
  const names = [...channels.keys()];
  const chunks = new Map<string, Float32Array[]>(names.map((n) => [n, []]));
  const session = await executor.createSession(model, { extraOutputs: names, lowMemory: true });
  let batches = 0;
  try {
    for await (const feeds of calibration) {
      batches++;
      let got: Record<string, Tensor>;
      try {
        got = await session.run(feeds, names);
      } catch (e) {
        throw new QtkError('E_EXECUTOR', `calibration batch ${batches} failed on ${executor.name}: ${(e as Error).message}`);
      }
      for (const name of names) {
        const v = got[name];
        const k = channels.get(name)!;
        if (!v || v.dtype !== 'float32') throw new QtkError('E_CALIB_DATA', `activation '${name}' of batch ${batches} is ${v ? v.dtype : 'missing'} (needs float32)`, { tensor: name });
        if (v.dims[v.dims.length - 1] !== k) throw new QtkError('E_CALIB_DATA', `activation '${name}' of batch ${batches} has dims [${v.dims.join(',')}], its last dimension is not the ${k} input channels of the weight`, { tensor: name });
        chunks.get(name)!.push(Float32Array.from(v.data as Float32Array));
      }
    }
  } finally {
    await session.release();
  }
  if (!batches) throw new QtkError('E_CALIB_DATA', 'awq_lite got no calibration batch');
  const out = new Map<string, ActivationRows>();
  for (const name of names) {
    const parts = chunks.get(name)!;
    const x = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of parts) { x.set(p, at); at += p.length; }
    const k = channels.get(name)!;
    out.set(name, { x, t: x.length / k, k });
  }
  return out;
}
