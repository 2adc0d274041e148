/** Removal of initializers nothing reads. */
import type { Model } from '../ir/graph.js';
import { dropUnread } from './graphUtil.js';

/**
 * Deletes initializers no node (or subgraph) reads and no graph output names. An
 * initializer that doubles as a graph input (a default value) is kept, so the model's
 * inputs do not change. Mutates `model`; returns how many were removed.
 */
export function removeUnusedInitializers(model: Model): number {
  return dropUnread(model.graph, [...model.graph.initializers.keys()]);
}
