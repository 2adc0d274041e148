/**
 * Geometry of an ONNX Conv over NCHW data (1-D convolutions run as 2-D with height 1):
 * padding (explicit or auto_pad), strides, dilations, groups and output dims.
 * Example: x [1, 1, 5, 5], w [1, 1, 3, 3], pads [1, 1, 1, 1] gives output [1, 1, 5, 5].
 */
import { QtkError } from '../../errors/QtkError.js';
import { attrInt, attrInts, attrString, type Node } from '../../ir/graph.js';

/** ONNX Conv attributes, spatial lists in [H, W] order (or [L] for 1-D). */
export interface ConvAttributes {
  /** Default NOTSET (use `pads`). SAME_UPPER puts an odd extra pad at the end, SAME_LOWER at the start. */
  autoPad?: 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER' | 'VALID';
  /** [hBegin, wBegin, hEnd, wEnd]; default zeros. */
  pads?: readonly number[];
  /** Default all 1. */
  strides?: readonly number[];
  /** Default all 1. */
  dilations?: readonly number[];
  /** Channel groups; default 1. */
  group?: number;
  /** Kernel spatial dims; must equal W's when given. */
  kernelShape?: readonly number[];
}

/** A resolved 2-D convolution: input [N, C, H, W], weights [M, C/group, KH, KW], output [N, M, OH, OW]. */
export interface ConvPlan {
  N: number; C: number; H: number; W: number;
  M: number; KH: number; KW: number; OH: number; OW: number;
  group: number; cPerGroup: number; mPerGroup: number;
  padTop: number; padLeft: number;
  strideH: number; strideW: number; dilH: number; dilW: number;
  /** Output dims in the input's rank ([N, M, OL] for 1-D). */
  outDims: number[];
}

/** Reads Conv attributes from an ONNX node (ConvInteger, QLinearConv, Conv). */
export function convAttributesOf(node: Node): ConvAttributes {
  const out: ConvAttributes = { autoPad: attrString(node, 'auto_pad', 'NOTSET') as ConvAttributes['autoPad'], group: attrInt(node, 'group', 1) };
  const pads = attrInts(node, 'pads');
  const strides = attrInts(node, 'strides');
  const dilations = attrInts(node, 'dilations');
  const kernelShape = attrInts(node, 'kernel_shape');
  if (pads) out.pads = pads;
  if (strides) out.strides = strides;
  if (dilations) out.dilations = dilations;
  if (kernelShape) out.kernelShape = kernelShape;
  return out;
}

/** Checks a per-spatial-axis list and lifts a 1-D list to [H, W] with `fill` for H. */
function lift(list: readonly number[] | undefined, rank: number, fill: number, name: string, op: string): number[] {
  const v = list ?? new Array<number>(rank).fill(fill);
  if (v.length !== rank) throw new QtkError('E_SHAPE', `${op}: ${name} has ${v.length} values, expected ${rank} (one per spatial axis)`);
  return rank === 1 ? [fill, v[0]!] : v.slice();
}

/** Begin/end pads of one spatial axis and its output length. */
function axisPads(size: number, k: number, stride: number, dil: number, mode: string, begin: number, end: number): [number, number, number] {
  const span = (k - 1) * dil + 1;
  if (mode === 'SAME_UPPER' || mode === 'SAME_LOWER') {
    const out = Math.ceil(size / stride);
    const total = Math.max(0, (out - 1) * stride + span - size);
    const b = mode === 'SAME_UPPER' ? Math.floor(total / 2) : Math.ceil(total / 2);
    return [b, total - b, out];
  }
  if (mode === 'VALID') return [0, 0, Math.floor((size - span) / stride) + 1];
  return [begin, end, Math.floor((size + begin + end - span) / stride) + 1];
}

/** Resolves Conv geometry; throws E_SHAPE for inconsistent dims or attributes, E_UNSUPPORTED beyond 2-D. */
export function planConv(xDims: readonly number[], wDims: readonly number[], attrs: ConvAttributes, op: string): ConvPlan {
  const rank = xDims.length - 2;
  if (rank !== 1 && rank !== 2) throw new QtkError('E_UNSUPPORTED', `${op}: only 1-D and 2-D convolutions are implemented; input has dims [${xDims.join(',')}]`);
  if (wDims.length !== xDims.length) throw new QtkError('E_SHAPE', `${op}: weights [${wDims.join(',')}] must have the input's rank ${xDims.length}`);
  const mode = attrs.autoPad ?? 'NOTSET';
  if (!['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'].includes(mode)) throw new QtkError('E_SHAPE', `${op}: unknown auto_pad '${mode}'`);
  const group = attrs.group ?? 1;
  const [N, C] = [xDims[0]!, xDims[1]!];
  const [M, cPerGroup] = [wDims[0]!, wDims[1]!];
  if (!Number.isInteger(group) || group < 1 || C !== cPerGroup * group || M % group !== 0) {
    throw new QtkError('E_SHAPE', `${op}: group ${group} does not fit input channels ${C}, weight channels ${cPerGroup} and ${M} outputs (need C = group * W.dims[1], M divisible by group)`);
  }
  const [H, W] = rank === 1 ? [1, xDims[2]!] : [xDims[2]!, xDims[3]!];
  const [KH, KW] = rank === 1 ? [1, wDims[2]!] : [wDims[2]!, wDims[3]!];
  if (attrs.kernelShape) {
    const ks = lift(attrs.kernelShape, rank, 1, 'kernel_shape', op);
    if (ks[0] !== KH || ks[1] !== KW) throw new QtkError('E_SHAPE', `${op}: kernel_shape [${attrs.kernelShape.join(',')}] differs from the weights' spatial dims [${wDims.slice(2).join(',')}]`);
  }
  const [strideH, strideW] = lift(attrs.strides, rank, 1, 'strides', op);
  const [dilH, dilW] = lift(attrs.dilations, rank, 1, 'dilations', op);
  if (strideH! < 1 || strideW! < 1 || dilH! < 1 || dilW! < 1) throw new QtkError('E_SHAPE', `${op}: strides and dilations must be >= 1`);
  const pads = attrs.pads ?? new Array<number>(2 * rank).fill(0);
  if (pads.length !== 2 * rank) throw new QtkError('E_SHAPE', `${op}: pads has ${pads.length} values, expected ${2 * rank} (begin and end per spatial axis)`);
  const [hb, wb, he, we] = rank === 1 ? [0, pads[0]!, 0, pads[1]!] : [pads[0]!, pads[1]!, pads[2]!, pads[3]!];
  const [padTop, , OH] = axisPads(H, KH, strideH!, dilH!, mode, hb, he);
  const [padLeft, , OW] = axisPads(W, KW, strideW!, dilW!, mode, wb, we);
  if (OH < 1 || OW < 1) throw new QtkError('E_SHAPE', `${op}: output would be empty (input [${xDims.join(',')}], kernel [${wDims.slice(2).join(',')}])`);
  return {
    N, C, H, W, M, KH, KW, OH, OW, group, cPerGroup, mPerGroup: M / group,
    padTop, padLeft, strideH: strideH!, strideW: strideW!, dilH: dilH!, dilW: dilW!,
    outDims: rank === 1 ? [N, M, OW] : [N, M, OH, OW],
  };
}
