/**
 * Constant folding of shape-related ops: a node whose inputs are all constants (or whose
 * value shape inference pinned down, like `Shape` of a static tensor or `Gather` of a
 * static dim) is evaluated and replaced by an initializer of its output's name. This is
 * what collapses exported `Shape -> Gather -> Unsqueeze -> Concat -> Reshape` chains.
 * A result over the size limits is never computed: its size is checked first (from the
 * inferred shape, and again by the kernel from its inputs), and the node stays in the
 * graph, so a tiny model declaring a huge constant (`ConstantOfShape([65536, 65536])`)
 * folds what it can and runs as before.
 */
import type { Model, Node } from '../ir/graph.js';
import { topologicalSort } from '../ir/graphIndex.js';
import { byteLengthOf } from '../ir/dtype.js';
import { resolveMaxTensorBytes } from '../ir/memoryBudget.js';
import { sizeOf, type Tensor } from '../ir/tensor.js';
import { inferTypes } from '../shape/infer.js';
import type { TensorInfo } from '../shape/types.js';
import { constantsToInitializers } from './constantsToInitializers.js';
import { foldKernels } from './foldKernels.js';
import { fromNumbers } from './tensorOps.js';
import { constantInitializers, defaultOpset, dropUnread } from './graphUtil.js';

/** Options of `foldConstants`. */
export interface FoldConstantsOptions {
  /**
   * Largest folded result, in elements, unless the node's inputs are at least as large
   * (so folding never inflates the model by more than this). Default 1,048,576.
   */
  maxOutputElements?: number;
  /**
   * Memory budget: largest folded result in bytes, whatever the inputs (default
   * `DEFAULT_MAX_TENSOR_BYTES`, 1 GiB). Checked before the result is computed.
   */
  maxTensorBytes?: number;
  /** Op types to fold (default: every op with a fold kernel). */
  opTypes?: readonly string[];
}

/**
 * Folds constant subgraphs of shape-related ops into initializers and turns Constant
 * nodes into initializers. Never folds a value that is a graph output. Initializers only
 * the folded nodes read are dropped. Mutates `model`; returns the number of nodes removed.
 * Example: with x `[1, 64, 4, 4]`, `Shape(x) -> Gather(1)` becomes initializer int64 `64`.
 */
export function foldConstants(model: Model, options: FoldConstantsOptions = {}): number {
  const g = model.graph;
  let count = constantsToInitializers(model);
  const limit = options.maxOutputElements ?? 1 << 20;
  const budget = resolveMaxTensorBytes(options.maxTensorBytes);
  const allowed = options.opTypes ? new Set(options.opTypes) : undefined;
  const opset = defaultOpset(model);
  const constants = constantInitializers(g);
  const outputs = new Set(g.outputs.map((o) => o.name));
  const protectedNames = new Set([...outputs, ...g.inputs.map((v) => v.name)]);
  const candidates = (n: Node) => (n.domain === '' || n.domain === 'ai.onnx') && foldKernels.has(n.opType) && (!allowed || allowed.has(n.opType));
  if (!g.nodes.some(candidates)) return count;
  const { types } = inferTypes(model, { trustValueInfo: false });
  const folded = new Set<Node>();
  const fedFolded = new Set<string>();
  for (const n of topologicalSort(g)) {
    if (!candidates(n) || n.outputs.length !== 1) continue;
    const out = n.outputs[0]!;
    if (!out || protectedNames.has(out) || g.initializers.has(out)) continue;
    const t = evaluate(n, constants, types.get(out), opset, limit, budget);
    if (!t) continue;
    constants.set(out, t);
    g.initializers.set(out, t);
    g.valueInfo.delete(out);
    folded.add(n);
    for (const i of n.inputs) if (i) fedFolded.add(i);
  }
  if (!folded.size) return count;
  g.nodes = g.nodes.filter((n) => !folded.has(n));
  dropUnread(g, fedFolded);
  return count + folded.size;
}

function evaluate(n: Node, constants: Map<string, Tensor>, info: TensorInfo | undefined, opset: number, limit: number, budget: number): Tensor | undefined {
  const present = n.inputs.filter((i) => i !== '');
  if (present.every((i) => constants.has(i))) {
    const inputs = n.inputs.map((i) => (i ? constants.get(i) : undefined));
    const inputSize = inputs.reduce((s, x) => s + (x?.size ?? 0), 0);
    const maxElements = Math.min(Math.max(limit, inputSize), elementsWithin(budget, info?.dtype ?? inputs.find((x) => x)?.dtype));
    // The inferred shape, when static, tells the result's size before the kernel runs.
    const dims = info?.shape;
    if (dims?.every((d) => typeof d === 'number') && sizeOf(dims as number[]) > maxElements) return undefined;
    let t: Tensor | undefined;
    try {
      t = foldKernels.get(n.opType)!(n, inputs, opset, maxElements);
    } catch {
      t = undefined;
    }
    if (t && t.size <= maxElements) return t;
    if (t) return undefined;
  }
  // A value inference pinned down (e.g. Shape of a static tensor, Gather of a static dim).
  const v = info?.value;
  const dims = info?.shape;
  if (v && dims && dims.length <= 1 && dims.every((d) => typeof d === 'number') && v.every((d) => typeof d === 'number') && v.length === (dims[0] ?? 1)) {
    return fromNumbers(info.dtype, dims as number[], v as number[]);
  }
  return undefined;
}

/** Elements of `dtype` that fit `budget` bytes (8-byte elements when the dtype is unknown or a string). */
function elementsWithin(budget: number, dtype: Tensor['dtype'] | undefined): number {
  const perElement = dtype && dtype !== 'string' ? byteLengthOf(dtype, 8) / 8 : 8;
  return Math.floor(budget / perElement);
}
