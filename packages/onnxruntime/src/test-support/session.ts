/** Test helper: one run of a model in onnxruntime-node, in a session of its own. */
import type { Model, SessionOptions, Tensor } from '@qtk/core';
import { ortNode } from '../node.js';

/**
 * Runs `model` once on `feeds` in a new onnxruntime-node session (made with `options`)
 * and releases the session, also when the run fails; returns the outputs by name.
 * Example: `(await runOnce(model, { input: x })).logits`.
 */
export async function runOnce(model: Model, feeds: Record<string, Tensor>, options?: SessionOptions): Promise<Record<string, Tensor>> {
  const s = await ortNode.createSession(model, options);
  try {
    return await s.run(feeds);
  } finally {
    await s.release();
  }
}
