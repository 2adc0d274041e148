/**
 * Reading the scale, zero point, element type and axis of QuantizeLinear and
 * DequantizeLinear nodes, and comparing two such parameter sets.
 */

/** Domains whose QuantizeLinear/DequantizeLinear follow the ONNX definition. */
const QDQ_DOMAINS = new Set(['', 'ai.onnx', 'com.microsoft']);

/** True for a QuantizeLinear node (ONNX or com.microsoft domain). */
export function isQuantizeNode(n: Node): boolean {
  return n.opType === 'QuantizeLinear' && QDQ_DOMAINS.has(n.domain);
}

/** True for a DequantizeLinear node (ONNX or com.microsoft domain). */
export function isDequantizeNode(n: Node): boolean {
  return n.opType === 'DequantizeLinear' && QDQ_DOMAINS.has(n.domain);
}

/** The quantization parameters of one Q or DQ node, with their constant values. */
export interface QuantParams {
  /** Name of the scale value (an initializer or Constant output). */
  scale: string;
  /** Name of the zero-point value; undefined when the node omits it (zero). */
  zeroPoint: string | undefined;
  /** Scale values: one per tensor, or one per slice along `axis`. */
  scales: Float32Array;
  /** Zero points, as many as scales (zeros when omitted). */
  zeroPoints: Int32Array;
  /** Integer element type of the quantized side. */
  dtype: DType;
  /** Axis of per-axis parameters; undefined for per-tensor (a single scale). */
  axis: number | undefined;
}

/**
 * Parameters of a Q/DQ node given a constant lookup, or a reason why they cannot be read
 * statically (non-constant scale, per-block layout). `intType` is the element type of the
 * integer side when known from elsewhere (an initializer or a declared type).
 */
export function readQuantParams(node: Node, constant: (v: string) => Tensor | undefined, intType?: DType): QuantParams | string {
  const [, scaleName, zpName] = node.inputs;
  if (!scaleName) return `${node.opType} '${node.name}' has no scale`;
  if ((attrInt(node, 'block_size', 0) ?? 0) !== 0) return `${node.opType} '${node.name}' is per-block`;
  const scaleT = constant(scaleName);
  if (!scaleT || scaleT.dtype !== 'float32') return `scale '${scaleName}' of '${node.name}' is not a float32 constant`;
  const zpT = zpName ? constant(zpName) : undefined;
  if (zpName && !zpT) return `zero point '${zpName}' of '${node.name}' is not a constant`;
  if (zpT && zpT.size !== scaleT.size) return `zero point '${zpName}' and scale '${scaleName}' of '${node.name}' differ in size`;
  const outputType = attrInt(node, 'output_dtype');
  const dtype: DType = zpT?.dtype ?? intType ?? (outputType === 3 ? 'int8' : 'uint8');
  const scales = scaleT.toFloat32();
  const zeroPoints = new Int32Array(scales.length);
  if (zpT) for (let i = 0; i < zeroPoints.length; i++) zeroPoints[i] = zpT.get(i);
  const perAxis = scaleT.dims.length > 0 && scaleT.size > 1;
  return { scale: scaleName, zeroPoint: zpName || undefined, scales, zeroPoints, dtype, axis: perAxis ? attrInt(node, 'axis', 1) : undefined };
}

/** True when both parameter sets quantize identically (same type, axis, scales, zero points). */
export function sameQuantParams(a: QuantParams, b: QuantParams): boolean {
  if (a.dtype !== b.dtype || a.axis !== b.axis || a.scales.length !== b.scales.length) return false;
  for (let i = 0; i < a.scales.length; i++) {
    if (a.scales[i] !== b.scales[i] || a.zeroPoints[i] !== b.zeroPoints[i]) return false;
  }
  return true;
}

/** True for per-tensor parameters (one scale, one zero point). */
export function isPerTensor(p: QuantParams): boolean {
  return p.scales.length === 1;
}import { attrInt, type Node, type DType, type Tensor } from '@qtk/core';

