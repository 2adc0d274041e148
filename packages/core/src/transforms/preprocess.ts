/**
 * The preprocessing quantization needs, in order: Constant nodes to initializers,
 * Identity/Dropout removal, constant folding, BatchNormalization folding, dead node and
 * unused initializer removal, then shape inference into `graph.valueInfo`.
 */
import type { Model } from '../ir/graph.js';
import { inferShapes } from '../shape/infer.js';
import type { UnknownShape } from '../shape/types.js';
import { constantsToInitializers } from './constantsToInitializers.js';
import { foldBatchNorm } from './foldBatchNorm.js';
import { foldConstants, type FoldConstantsOptions } from './foldConstants.js';
import { removeDeadNodes } from './removeDeadNodes.js';
import { removeIdentity } from './removeIdentity.js';
import { removeUnusedInitializers } from './removeUnusedInitializers.js';

/** Options of `preprocess`; every step is on by default. */
export interface PreprocessOptions {
  removeIdentity?: boolean;
  /** `false` to skip, or options for `foldConstants`. */
  foldConstants?: boolean | FoldConstantsOptions;
  foldBatchNorm?: boolean;
  removeDeadNodes?: boolean;
  inferShapes?: boolean;
  /** Called for each node whose output shape stays undecided. */
  onUnknown?: (info: UnknownShape) => void;
}

/** What `preprocess` changed, step by step. */
export interface PreprocessSummary {
  nodesBefore: number;
  nodesAfter: number;
  constantsToInitializers: number;
  identitiesRemoved: number;
  /** Nodes folded into initializers (Constant nodes the first step converted not included). */
  constantsFolded: number;
  batchNormsFolded: number;
  deadNodesRemoved: number;
  initializersRemoved: number;
  /** Node outputs given a shape by inference. */
  shapesInferred: number;
  /** Nodes whose output shape could not be decided. */
  unknownShapes: UnknownShape[];
}

/**
 * Runs the preprocessing steps on `model` IN PLACE (it mutates the model passed in;
 * call `cloneModel` first to keep the original). Returns counts per step.
 * Example: a PyTorch export with Constant nodes, an Identity and Conv->BN comes back with
 * initializers, no Identity, the BN folded into the Conv and every value typed.
 */
export function preprocess(model: Model, options: PreprocessOptions = {}): PreprocessSummary {
  const g = model.graph;
  const nodesBefore = g.nodes.length;
  const on = (v: unknown) => v !== false;
  const s: PreprocessSummary = {
    nodesBefore, nodesAfter: 0, constantsToInitializers: 0, identitiesRemoved: 0, constantsFolded: 0,
    batchNormsFolded: 0, deadNodesRemoved: 0, initializersRemoved: 0, shapesInferred: 0, unknownShapes: [],
  };
  s.constantsToInitializers = constantsToInitializers(model);
  if (on(options.removeIdentity)) s.identitiesRemoved = removeIdentity(model);
  if (on(options.foldConstants)) {
    const fo = typeof options.foldConstants === 'object' ? options.foldConstants : {};
    s.constantsFolded = foldConstants(model, fo);
  }
  if (on(options.foldBatchNorm)) s.batchNormsFolded = foldBatchNorm(model);
  if (on(options.removeDeadNodes)) s.deadNodesRemoved = removeDeadNodes(model);
  s.initializersRemoved = removeUnusedInitializers(model);
  pruneValueInfo(model);
  if (on(options.inferShapes)) {
    const r = inferShapes(model, options.onUnknown ? { onUnknown: options.onUnknown } : {});
    s.shapesInferred = r.inferred;
    s.unknownShapes = r.unknown;
  }
  s.nodesAfter = g.nodes.length;
  return s;
}

/** Drops value infos of names no node produces any more (left behind by rewrites). */
function pruneValueInfo(model: Model): void {
  const g = model.graph;
  const live = new Set<string>();
  for (const n of g.nodes) for (const o of n.outputs) if (o) live.add(o);
  for (const name of [...g.valueInfo.keys()]) if (!live.has(name)) g.valueInfo.delete(name);
}
