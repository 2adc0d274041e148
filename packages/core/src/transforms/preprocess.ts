/**
 * The preprocessing quantization needs, in order: Constant nodes to initializers, an
 * opset upgrade to 13 for older models (standard per-axis QuantizeLinear/DequantizeLinear
 * exist from 13; below it quantized models need com.microsoft Q/DQ, which onnxruntime's
 * fusions turn into ops the old opset lacks), Identity/Dropout removal, constant folding,
 * BatchNormalization folding, folding of constant per-channel Mul/Add chains after a Conv,
 * spelled-out HardSigmoid/HardSwish rebuilt (`fuseHardSwish`), dead node and
 * unused initializer removal, then shape inference into `graph.valueInfo`.
 */
import { isQtkError } from '../errors/QtkError.js';
import type { Model } from '../ir/graph.js';
import { inferShapes } from '../shape/infer.js';
import type { UnknownShape } from '../shape/types.js';
import { constantsToInitializers } from './constantsToInitializers.js';
import { foldBatchNorm } from './foldBatchNorm.js';
import { upgradeOpset } from './opsetUpgrade/index.js';
import { foldConstants, type FoldConstantsOptions } from './foldConstants.js';
import { foldConvAffine } from './foldConvAffine.js';
import { fuseHardSwish } from './fuseHardSwish.js';
import { defaultOpset } from './graphUtil.js';
import { removeDeadNodes } from './removeDeadNodes.js';
import { removeIdentity } from './removeIdentity.js';
import { removeUnusedInitializers } from './removeUnusedInitializers.js';

/** Options of `preprocess`; every step is on by default. */
export interface PreprocessOptions {
  /**
   * Upgrade models whose default-domain opset is below 13 to opset 13 (default true), so
   * quantization can use standard per-axis Q/DQ. When some op's change cannot be
   * expressed, the model keeps its opset and `opsetUpgradeSkipped` says why.
   */
  upgradeOpset?: boolean;
  removeIdentity?: boolean;
  /** `false` to skip, or options for `foldConstants`. */
  foldConstants?: boolean | FoldConstantsOptions;
  /**
   * Memory budget: largest single value a step may materialise, in bytes (default
   * `DEFAULT_MAX_TENSOR_BYTES`, 1 GiB). Constant folding leaves a node whose result would
   * be larger unfolded. `foldConstants.maxTensorBytes`, when given, wins for folding.
   */
  maxTensorBytes?: number;
  foldBatchNorm?: boolean;
  /** Fold constant per-channel Mul/Add/Sub/Div after a Conv into the Conv (default true). */
  foldConvAffine?: boolean;
  /** Rebuild `x * Clip(x + 3, 0, 6) / 6` as `x * HardSigmoid(x)` (and the HardSigmoid alone) (default true). */
  fuseHardSwish?: boolean;
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
  /** Default-domain opset before and after (equal when no upgrade ran). */
  opset: { from: number; to: number };
  /** Why the opset upgrade was skipped (an op change it cannot express), when it was. */
  opsetUpgradeSkipped?: string;
  identitiesRemoved: number;
  /** Nodes folded into initializers (Constant nodes the first step converted not included). */
  constantsFolded: number;
  batchNormsFolded: number;
  /** Elementwise nodes folded into the Conv before them. */
  convAffinesFolded: number;
  /** Spelled-out HardSigmoid/HardSwish patterns rebuilt. */
  hardSwishesFused: number;
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
 * initializers, no Identity, the BN folded into the Conv and every value typed; an
 * opset-9 export also comes back at opset 13 (see `upgradeOpset`).
 */
export function preprocess(model: Model, options: PreprocessOptions = {}): PreprocessSummary {
  const nodesBefore = model.graph.nodes.length;
  const on = (v: unknown) => v !== false;
  const s: PreprocessSummary = {
    nodesBefore, nodesAfter: 0, constantsToInitializers: 0, opset: { from: defaultOpset(model), to: defaultOpset(model) }, identitiesRemoved: 0, constantsFolded: 0,
    batchNormsFolded: 0, convAffinesFolded: 0, hardSwishesFused: 0, deadNodesRemoved: 0, initializersRemoved: 0, shapesInferred: 0, unknownShapes: [],
  };
  s.constantsToInitializers = constantsToInitializers(model);
  if (on(options.upgradeOpset) && s.opset.from < 13) upgradeOrKeep(model, s);
  if (on(options.removeIdentity)) s.identitiesRemoved = removeIdentity(model);
  if (on(options.foldConstants)) {
    const fo = typeof options.foldConstants === 'object' ? options.foldConstants : {};
    const budget = options.maxTensorBytes ?? fo.maxTensorBytes;
    s.constantsFolded = foldConstants(model, budget === undefined ? fo : { maxTensorBytes: budget, ...fo });
  }
  if (on(options.foldBatchNorm)) s.batchNormsFolded = foldBatchNorm(model);
  if (on(options.foldConvAffine)) s.convAffinesFolded = foldConvAffine(model);
  if (on(options.fuseHardSwish)) s.hardSwishesFused = fuseHardSwish(model);
  if (on(options.removeDeadNodes)) s.deadNodesRemoved = removeDeadNodes(model);
  s.initializersRemoved = removeUnusedInitializers(model);
  pruneValueInfo(model);
  if (on(options.inferShapes)) {
    const r = inferShapes(model, options.onUnknown ? { onUnknown: options.onUnknown } : {});
    s.shapesInferred = r.inferred;
    s.unknownShapes = r.unknown;
  }
  s.nodesAfter = model.graph.nodes.length;
  return s;
}

/** Upgrades to opset 13; an op change the upgrade cannot express leaves the model as it was. */
function upgradeOrKeep(model: Model, s: PreprocessSummary): void {
  try {
    const r = upgradeOpset(model, 13);
    s.opset = { from: r.from, to: r.to };
  } catch (e) {
    if (!isQtkError(e, 'E_UNSUPPORTED')) throw e;
    s.opsetUpgradeSkipped = e.message;
  }
}

/** Drops value infos of names no node produces any more (left behind by rewrites). */
function pruneValueInfo(model: Model): void {
  const g = model.graph;
  const live = new Set<string>();
  for (const n of g.nodes) for (const o of n.outputs) if (o) live.add(o);
  for (const name of [...g.valueInfo.keys()]) if (!live.has(name)) g.valueInfo.delete(name);
}
