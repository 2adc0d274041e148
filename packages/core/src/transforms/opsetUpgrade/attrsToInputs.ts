/**
 * Ops whose attributes became inputs: Clip min/max (opset 11), Slice starts/ends/axes
 * (10), Pad pads/value (11), TopK k (10), and at opset 13 Squeeze/Unsqueeze/ReduceSum
 * axes and Split split. Each value moves into an initializer read by the new input.
 */
import { attrString, type AttributeValue, type Node } from '../../ir/graph.js';
import { Tensor } from '../../ir/tensor.js';
import type { DType } from '../../ir/dtype.js';
import { float32ToFloat16 } from '../../ir/floatBits.js';
import { setInput, takeAttr, trimInputs, type UpgradeContext } from './context.js';

function ints(v: AttributeValue | undefined): number[] | undefined {
  return v?.kind === 'ints' ? v.value : undefined;
}

/** A scalar of `dtype` (the float types Clip and Pad take) holding `value`. */
function scalarOf(dtype: DType, value: number): Tensor {
  if (dtype === 'float32' || dtype === 'float64') return Tensor.scalar(dtype, value);
  if (dtype === 'float16') {
    const t = Tensor.zeros('float16', []);
    (t.data as Uint16Array)[0] = float32ToFloat16(value);
    return t;
  }
  return Tensor.scalar(dtype, value);
}

/** Clip-6 `min`/`max` attributes → inputs 1 and 2 (opset 11), typed like the data input. */
export function upgradeClip(node: Node, ctx: UpgradeContext): void {
  if (!ctx.crosses(11)) return;
  const min = takeAttr(node, 'min'), max = takeAttr(node, 'max');
  const dtype = ctx.dtype(node.inputs[0]!) ?? 'float32';
  if (min?.kind === 'float') setInput(node, 1, ctx.constant(`${node.name}_min`, scalarOf(dtype, min.value)));
  if (max?.kind === 'float') setInput(node, 2, ctx.constant(`${node.name}_max`, scalarOf(dtype, max.value)));
}

/** Slice-1 `starts`/`ends`/`axes` attributes → int64 inputs 1..3 (opset 10). */
export function upgradeSlice(node: Node, ctx: UpgradeContext): void {
  if (!ctx.crosses(10)) return;
  const starts = ints(takeAttr(node, 'starts')), ends = ints(takeAttr(node, 'ends')), axes = ints(takeAttr(node, 'axes'));
  if (!starts || !ends) throw ctx.unsupported(node, 'Slice without starts/ends attributes');
  node.inputs = [node.inputs[0]!, ctx.constant(`${node.name}_starts`, Tensor.int64(starts)), ctx.constant(`${node.name}_ends`, Tensor.int64(ends))];
  if (axes) node.inputs.push(ctx.constant(`${node.name}_axes`, Tensor.int64(axes)));
}

/** Pad-2 `pads`/`value` attributes → inputs 1 and 2 (opset 11); `mode` stays an attribute. */
export function upgradePad(node: Node, ctx: UpgradeContext): void {
  if (!ctx.crosses(11)) return;
  if (ctx.from < 2) throw ctx.unsupported(node, 'Pad-1 (paddings attribute) is not handled');
  const pads = ints(takeAttr(node, 'pads'));
  const value = takeAttr(node, 'value');
  if (!pads) throw ctx.unsupported(node, 'Pad without a pads attribute');
  setInput(node, 1, ctx.constant(`${node.name}_pads`, Tensor.int64(pads)));
  const v = value?.kind === 'float' ? value.value : 0;
  if (attrString(node, 'mode', 'constant') === 'constant' && v !== 0) {
    const dtype = ctx.dtype(node.inputs[0]!) ?? 'float32';
    setInput(node, 2, ctx.constant(`${node.name}_value`, scalarOf(dtype, v)));
  }
}

/** TopK-1 `k` attribute → an int64 input of one element (opset 10). */
export function upgradeTopK(node: Node, ctx: UpgradeContext): void {
  if (!ctx.crosses(10)) return;
  const k = takeAttr(node, 'k');
  if (k?.kind !== 'int') throw ctx.unsupported(node, 'TopK without a k attribute');
  node.inputs = [node.inputs[0]!, ctx.constant(`${node.name}_k`, Tensor.int64([k.value]))];
}

/** Squeeze/Unsqueeze/ReduceSum `axes` attribute → int64 input 1 (opset 13); absent axes stay absent. */
export function upgradeAxesToInput(node: Node, ctx: UpgradeContext): void {
  if (!ctx.crosses(13)) return;
  const axes = ints(takeAttr(node, 'axes'));
  if (!axes) {
    if (node.opType === 'Unsqueeze') throw ctx.unsupported(node, 'Unsqueeze without axes');
    return;
  }
  setInput(node, 1, ctx.constant(`${node.name}_axes`, Tensor.int64(axes)));
  trimInputs(node);
}

/** Split `split` attribute → int64 input 1 (opset 13); Split-1's optional split input is not handled. */
export function upgradeSplit(node: Node, ctx: UpgradeContext): void {
  if (ctx.from < 2 && node.inputs.length > 1 && node.inputs[1]) throw ctx.unsupported(node, 'Split-1 with a split input is not handled');
  if (!ctx.crosses(13)) return;
  const split = ints(takeAttr(node, 'split'));
  if (split) setInput(node, 1, ctx.constant(`${node.name}_split`, Tensor.int64(split)));
}
