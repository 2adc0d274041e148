/**
 * `upgradeOpset`: rewrites a model of default-domain opset 7..12 (older where the
 * changes are handled) to a newer opset, 13 by default, keeping every result the same.
 * Ops whose new versions only add types, attributes with the old default, or negative
 * axes are left as they are; the rest go through the adapter of their family (one file
 * each); a change no adapter handles fails with E_UNSUPPORTED naming the node.
 */
import { QtkError } from '../../errors/QtkError.js';
import { subgraphsOf, type Graph, type Model, type Node } from '../../ir/graph.js';
import { modelNames } from '../../ir/graphIndex.js';
import { inferTypes } from '../../shape/infer.js';
import type { TensorInfo } from '../../shape/types.js';
import { cloneGraph } from '../clone.js';
import { defaultOpset, readNames } from '../graphUtil.js';
import { upgradeAxesToInput, upgradeClip, upgradePad, upgradeSlice, upgradeSplit, upgradeTopK } from './attrsToInputs.js';
import { UpgradeContext } from './context.js';
import { dropConsumedInputs, upgradeCast, upgradeConcat, upgradeLegacyBroadcast, upgradeRecurrent, upgradeReshape, upgradeScan, upgradeScatter } from './legacy.js';
import { upgradeBatchNormalization, upgradeDropout } from './normalization.js';
import { upgradeResize, upgradeUpsample } from './resize.js';
import { upgradeSoftmaxFamily } from './softmax.js';
import { OP_VERSIONS, versionsCrossed } from './versions.js';

/** Rewrites one node in place; may add nodes to `ctx.before`/`ctx.after` and initializers. */
export type OpAdapter = (node: Node, ctx: UpgradeContext) => void;

const broadcastOps = ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'And', 'Or', 'Xor', 'Equal', 'Greater', 'Less', 'Gemm'];

/** The adapter of each op whose signature or meaning changed within opsets 1..13. */
export const OP_ADAPTERS: ReadonlyMap<string, OpAdapter> = new Map<string, OpAdapter>([
  ['Clip', (n, c) => { dropConsumedInputs(n, c); upgradeClip(n, c); }],
  ['Slice', upgradeSlice],
  ['Pad', upgradePad],
  ['TopK', upgradeTopK],
  ['Squeeze', upgradeAxesToInput],
  ['Unsqueeze', upgradeAxesToInput],
  ['ReduceSum', upgradeAxesToInput],
  ['Split', upgradeSplit],
  ['Softmax', upgradeSoftmaxFamily],
  ['LogSoftmax', upgradeSoftmaxFamily],
  ['Hardmax', upgradeSoftmaxFamily],
  ['BatchNormalization', (n, c) => { dropConsumedInputs(n, c); upgradeBatchNormalization(n, c); }],
  ['Dropout', (n, c) => { dropConsumedInputs(n, c); upgradeDropout(n, c); }],
  ['Upsample', upgradeUpsample],
  ['Resize', upgradeResize],
  ['Reshape', upgradeReshape],
  ['Concat', upgradeConcat],
  ['RNN', upgradeRecurrent],
  ['GRU', upgradeRecurrent],
  ['LSTM', upgradeRecurrent],
  ['Cast', upgradeCast],
  ['Scatter', upgradeScatter],
  ['Scan', upgradeScan],
  ...broadcastOps.map((op): [string, OpAdapter] => [op, upgradeLegacyBroadcast]),
]);

/** Version changes with no adapter that alter meaning or signature (all others only extend). */
const UNHANDLED: ReadonlyMap<string, readonly number[]> = new Map([
  ['Tile', [6]],
  ['GlobalLpPool', [2]],
  ['LpPool', [2]],
]);

/** Options of `upgradeOpset`. */
export interface UpgradeOpsetOptions {
  /** Extra or overriding adapters by op type (default domain). */
  adapters?: ReadonlyMap<string, OpAdapter>;
}

/** What `upgradeOpset` did. */
export interface UpgradeOpsetResult {
  /** The default-domain opset before (equal to `to` when nothing was done). */
  from: number;
  to: number;
  /** Nodes whose op type, inputs, outputs or attributes an adapter changed. */
  nodesRewritten: number;
  /** Nodes added (Flatten/Reshape around Softmax and the like). */
  nodesAdded: number;
}

/**
 * Upgrades `model` IN PLACE to default-domain opset `target` (at least 13 is what
 * per-axis QuantizeLinear/DequantizeLinear need). Models already at or above `target` are
 * left untouched. Attributes that became inputs turn into initializers, Upsample becomes
 * Resize, Softmax-family nodes keep their pre-13 flattening through Flatten/Reshape, and
 * the default opset import is set to `target`. Subgraphs are upgraded too.
 * Throws E_UNSUPPORTED naming the node when a change cannot be expressed (the model is
 * then left as it was: the rewrite works on a copy of the graph, tensors shared), and
 * E_OPTION for a target above 13.
 * Example: an opset-9 model with `Clip(min=0, max=6)` comes back at opset 13 with
 * `Clip(x, min, max)` reading two float32 scalar initializers.
 */
export function upgradeOpset(model: Model, target = 13, options: UpgradeOpsetOptions = {}): UpgradeOpsetResult {
  const from = defaultOpset(model);
  if (target > 13) throw new QtkError('E_OPTION', `upgradeOpset: target opset ${target} is above 13, the highest this upgrade knows`, { option: 'target' });
  const result: UpgradeOpsetResult = { from, to: Math.max(from, target), nodesRewritten: 0, nodesAdded: 0 };
  if (from >= target) return result;
  const adapters = options.adapters ? new Map([...OP_ADAPTERS, ...options.adapters]) : OP_ADAPTERS;
  let types: ReadonlyMap<string, TensorInfo> = new Map();
  try {
    types = inferTypes(model).types;
  } catch {
    // ranks stay unknown: adapters then take their rank-independent forms
  }
  const work = cloneGraph(model.graph);
  const taken = modelNames(work);
  const visit = (graph: Graph, graphTypes: ReadonlyMap<string, TensorInfo>): void => {
    const reads = readNames(graph);
    const out: Node[] = [];
    for (const node of graph.nodes) {
      for (const sg of subgraphsOf(node)) visit(sg, new Map());
      if (node.domain !== '' && node.domain !== 'ai.onnx') {
        out.push(node);
        continue;
      }
      const ctx = new UpgradeContext(from, target, graph, taken, graphTypes, reads);
      const before = signature(node);
      rewrite(node, ctx, adapters);
      if (signature(node) !== before) result.nodesRewritten++;
      result.nodesAdded += ctx.before.length + ctx.after.length;
      out.push(...ctx.before, node, ...ctx.after);
    }
    graph.nodes = out;
  };
  visit(work, types);
  model.graph = work;
  if (model.opsetImports.has('ai.onnx') && !model.opsetImports.has('')) model.opsetImports.set('ai.onnx', target);
  else model.opsetImports.set('', target);
  return result;
}

/** What identifies a node's form: op type, inputs, outputs, attribute names and scalar values. */
function signature(node: Node): string {
  const attrs = node.attributes.map((a) => `${a.name}=${'value' in a.value && typeof a.value.value !== 'object' ? a.value.value : ''}`);
  return `${node.opType}|${node.inputs.join(',')}|${node.outputs.join(',')}|${attrs.join(',')}`;
}

/** Runs the node's adapter when one of its versions is crossed (an override adapter always runs). */
function rewrite(node: Node, ctx: UpgradeContext, adapters: ReadonlyMap<string, OpAdapter>): void {
  const crossed = versionsCrossed(node.opType, ctx.from, ctx.to);
  const adapter = adapters.get(node.opType);
  if (!crossed) {
    if (!adapter) throw ctx.unsupported(node, `${node.opType} is not a default-domain op of opsets 1 to 13 (known: ${OP_VERSIONS.size} ops)`);
    adapter(node, ctx);
    return;
  }
  if (!crossed.length) return;
  const blocked = crossed.find((v) => UNHANDLED.get(node.opType)?.includes(v));
  if (blocked !== undefined && !adapter) throw ctx.unsupported(node, `its opset-${blocked} version changed the signature, which is not handled`);
  if (adapter) adapter(node, ctx);
  else if (crossed.includes(6)) dropConsumedInputs(node, ctx);
}
