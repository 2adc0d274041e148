/** Test helper: one run of a model in onnxruntime-node, in a session of its own. */
import type { Model, SessionOptions, Tensor } from '@qtk/core';
import { runOnce as runOnceOn } from '@qtk/core/testing';
import { ortNode } from '../node.js';

/** `runOnce` of `@qtk/core/testing` on onnxruntime-node: `(await runOnce(model, { input: x })).logits`. */
export const runOnce = (model: Model, feeds: Record<string, Tensor>, options?: SessionOptions): Promise<Record<string, Tensor>> =>
  runOnceOn(ortNode, model, feeds, options);
