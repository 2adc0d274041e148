/** Test helper: one run of a model on an executor, in a session of its own. */
import type { Executor, SessionOptions } from '../exec/executor.js';
import type { Model } from '../ir/graph.js';
import type { Tensor } from '../ir/tensor.js';

/**
 * Runs `model` once on `feeds` in a new session of `executor` (made with `options`)
 * and releases the session, also when the run fails; returns the outputs by name.
 * Example: `(await runOnce(executor, model, { input: x })).logits`.
 */
export async function runOnce(executor: Executor, model: Model, feeds: Record<string, Tensor>, options?: SessionOptions): Promise<Record<string, Tensor>> {
  const s = await executor.createSession(model, options);
  try {
    return await s.run(feeds);
  } finally {
    await s.release();
  }
}
