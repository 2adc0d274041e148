/**
 * Upsample and Resize across opsets 7 to 13.
 * - Upsample-7 (scales attribute) and Upsample-9 (scales input), deprecated at 10,
 *   become Resize.
 * - Resize-10 (inputs X, scales) gains the `roi` input at 11; its sampling is the
 *   opset-11 `asymmetric` coordinate transform, and for `nearest` the index rounding
 *   onnxruntime applies to opset < 11 (floor when enlarging, ceil when shrinking).
 * - Resize-13 drops the `tf_half_pixel_for_nn` transform: it is rewritten as
 *   `half_pixel` with the rounding shifted by half a pixel (floor → round_prefer_ceil,
 *   round_prefer_floor → ceil), which picks the same source pixels.
 */
import { attrString, setAttr, type Node } from '../../ir/graph.js';
import { Tensor } from '../../ir/tensor.js';
import { takeAttr, type UpgradeContext } from './context.js';

const str = (value: string) => ({ kind: 'string' as const, value });

/** Nearest rounding that reproduces opset-10 sampling for these scales, or undefined when unknown or mixed. */
function legacyNearestMode(scales: readonly number[] | undefined): string | undefined {
  if (!scales) return undefined;
  if (scales.every((s) => s >= 1)) return 'floor';
  if (scales.every((s) => s <= 1)) return 'ceil';
  return undefined;
}

/** Turns an opset-7..10 Upsample or a Resize-10 node into Resize-11 form (X, roi, scales). */
function fromLegacy(node: Node, ctx: UpgradeContext): void {
  let scalesName = node.inputs[1];
  let scales: number[] | undefined;
  if (node.opType === 'Upsample' && ctx.from < 9) {
    const a = takeAttr(node, 'scales');
    if (a?.kind !== 'floats') throw ctx.unsupported(node, 'Upsample-7 without a scales attribute');
    scales = a.value;
    scalesName = ctx.constant(`${node.name}_scales`, new Tensor('float32', Float32Array.from(scales), [scales.length]));
  } else {
    const t = scalesName ? ctx.constantValue(scalesName) : undefined;
    scales = t ? t.toNumbers() : undefined;
  }
  if (!scalesName) throw ctx.unsupported(node, 'no scales');
  const mode = attrString(node, 'mode', 'nearest');
  const newMode = mode === 'bilinear' || mode === 'trilinear' ? 'linear' : mode;
  if (newMode !== 'nearest' && newMode !== 'linear') throw ctx.unsupported(node, `mode '${mode}'`);
  const roi = ctx.to >= 13 ? '' : ctx.constant(`${node.name}_roi`, Tensor.zeros('float32', [0]));
  node.opType = 'Resize';
  node.inputs = [node.inputs[0]!, roi, scalesName];
  setAttr(node, 'mode', str(newMode));
  setAttr(node, 'coordinate_transformation_mode', str('asymmetric'));
  if (newMode === 'nearest') {
    const rounding = legacyNearestMode(scales);
    if (!rounding) throw ctx.unsupported(node, scales ? 'nearest sampling with scales both above and below 1' : 'nearest sampling needs constant scales to pick the rounding');
    setAttr(node, 'nearest_mode', str(rounding));
  }
}

/** Upsample (opset 7..9) → Resize, when the target reaches 10. */
export function upgradeUpsample(node: Node, ctx: UpgradeContext): void {
  if (!ctx.crosses(10)) {
    if (ctx.crosses(9)) {
      const a = takeAttr(node, 'scales');
      if (a?.kind !== 'floats') throw ctx.unsupported(node, 'Upsample-7 without a scales attribute');
      node.inputs[1] = ctx.constant(`${node.name}_scales`, new Tensor('float32', Float32Array.from(a.value), [a.value.length]));
    }
    return;
  }
  if (ctx.to < 11) throw ctx.unsupported(node, 'upgrading Upsample to Resize-10 is not handled (target 11 or more)');
  fromLegacy(node, ctx);
  afterEleven(node, ctx);
}

/** Resize-10 → 11 (roi input, explicit sampling) and Resize-11 → 13 (no tf_half_pixel_for_nn). */
export function upgradeResize(node: Node, ctx: UpgradeContext): void {
  if (ctx.crosses(11)) fromLegacy(node, ctx);
  afterEleven(node, ctx);
}

function afterEleven(node: Node, ctx: UpgradeContext): void {
  if (!ctx.crosses(13)) return;
  if (attrString(node, 'coordinate_transformation_mode', 'half_pixel') !== 'tf_half_pixel_for_nn') return;
  const rounding = attrString(node, 'nearest_mode', 'round_prefer_floor');
  const shifted = rounding === 'floor' ? 'round_prefer_ceil' : rounding === 'round_prefer_floor' ? 'ceil' : undefined;
  if (attrString(node, 'mode', 'nearest') !== 'nearest' || !shifted) {
    throw ctx.unsupported(node, `tf_half_pixel_for_nn with mode '${attrString(node, 'mode', 'nearest')}' and nearest_mode '${rounding}' has no opset 13 equivalent`);
  }
  setAttr(node, 'coordinate_transformation_mode', str('half_pixel'));
  setAttr(node, 'nearest_mode', str(shifted));
}
