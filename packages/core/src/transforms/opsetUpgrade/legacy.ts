/**
 * Changes of opsets 2 to 9 outside the families with their own file: the
 * `consumed_inputs` hint removed at 6, the `broadcast`/`axis` attributes of binary ops
 * and Gemm removed at 7 (numpy-style broadcasting since), Reshape's `shape` attribute
 * turned input at 5, Concat's `axis` made required at 4, the RNN family's
 * `output_sequence` removed at 7, Scatter renamed ScatterElements at 11, and Scan-8's
 * batch axis (not handled).
 */
import { getAttr, setAttr, type Node } from '../../ir/graph.js';
import { Tensor } from '../../ir/tensor.js';
import { takeAttr, type UpgradeContext } from './context.js';

/** Drops `consumed_inputs` (an allocation hint without effect on results, removed at opset 6). */
export function dropConsumedInputs(node: Node, ctx: UpgradeContext): void {
  if (ctx.crosses(6)) takeAttr(node, 'consumed_inputs');
}

/**
 * Binary ops and Gemm before 7: `broadcast=1` without `axis` aligns the second operand to
 * the trailing dimensions, which numpy-style broadcasting does too; an explicit `axis`
 * is only kept when it is the trailing alignment (rank of A known).
 */
export function upgradeLegacyBroadcast(node: Node, ctx: UpgradeContext): void {
  dropConsumedInputs(node, ctx);
  if (!ctx.crosses(7)) return;
  const broadcast = takeAttr(node, 'broadcast');
  const axis = takeAttr(node, 'axis');
  if (node.opType === 'Gemm' || broadcast?.kind !== 'int' || broadcast.value === 0 || axis?.kind !== 'int') return;
  const ra = ctx.rank(node.inputs[0]!), rb = ctx.rank(node.inputs[1]!);
  const a = ra !== undefined && axis.value < 0 ? axis.value + ra : axis.value;
  if (ra === undefined || rb === undefined || a !== ra - rb) throw ctx.unsupported(node, `broadcast axis ${axis.value} that is not the trailing alignment`);
}

/** Reshape-1 `shape` attribute → int64 input (opset 5). */
export function upgradeReshape(node: Node, ctx: UpgradeContext): void {
  dropConsumedInputs(node, ctx);
  if (!ctx.crosses(5)) return;
  const shape = takeAttr(node, 'shape');
  if (shape?.kind !== 'ints') throw ctx.unsupported(node, 'Reshape-1 without a shape attribute');
  node.inputs = [node.inputs[0]!, ctx.constant(`${node.name}_shape`, Tensor.int64(shape.value))];
}

/** Concat-1's default axis 1 made explicit (axis is required from 4). */
export function upgradeConcat(node: Node, ctx: UpgradeContext): void {
  if (ctx.crosses(4) && !getAttr(node, 'axis')) setAttr(node, 'axis', { kind: 'int', value: 1 });
}

/** RNN/GRU/LSTM: `output_sequence` removed at 7 (output Y became optional instead). */
export function upgradeRecurrent(node: Node, ctx: UpgradeContext): void {
  if (ctx.from < 3 && node.opType === 'GRU') throw ctx.unsupported(node, 'GRU-1 is not handled');
  if (!ctx.crosses(7)) return;
  const seq = takeAttr(node, 'output_sequence');
  if (seq?.kind === 'int' && seq.value === 0 && node.outputs[0] && ctx.isRead(node.outputs[0])) {
    throw ctx.unsupported(node, 'output_sequence=0 with output Y read');
  }
}

/** Cast before 6 named the target type by string. */
export function upgradeCast(node: Node, ctx: UpgradeContext): void {
  if (ctx.crosses(6) && getAttr(node, 'to')?.kind !== 'int') throw ctx.unsupported(node, "Cast-1 with a string 'to' is not handled");
}

/** Scatter (deprecated at 11) → ScatterElements, same inputs and meaning. */
export function upgradeScatter(node: Node, ctx: UpgradeContext): void {
  if (ctx.crosses(11)) node.opType = 'ScatterElements';
}

/** Scan-8 (batch axis, sequence_lens) has no mechanical opset-9 form here. */
export function upgradeScan(node: Node, ctx: UpgradeContext): void {
  if (ctx.crosses(9)) throw ctx.unsupported(node, 'Scan-8 (batched, with sequence_lens) is not handled');
}
