/**
 * The Q/DQ constraints of TensorRT's ONNX parser, checked on one QuantizeLinear or
 * DequantizeLinear node: symmetric quantization only (every zero point 0), a positive finite
 * constant scale, INT8, FP8 E4M3 or INT4 as the quantized type, a float input to
 * QuantizeLinear, per-tensor activations, and a per-channel weight scale along the
 * output-channel axis of the layer that reads it.
 */
import { dtypeFromOnnx, resolveWeight, type BackendProblem, type DType, type GraphIndex, type Node, type Tensor } from '@qtk/core';
import { constantValue } from './constantValue.js';

/** Quantized types TensorRT's Q/DQ layers take: INT8, FP8 E4M3 and (DequantizeLinear of weights) INT4. */
export const TENSORRT_QUANT_TYPES: readonly DType[] = ['int8', 'float8e4m3fn', 'int4'];

/** Float types a QuantizeLinear input may have. */
const FLOAT_TYPES: readonly DType[] = ['float32', 'float16', 'bfloat16'];

/** The dtype of `value`: a constant's, else the declared type's. */
function dtypeOf(index: GraphIndex, value: string): DType | undefined {
  const g = index.graph;
  const t = g.initializers.get(value);
  if (t) return t.dtype;
  const info = g.valueInfo.get(value) ?? g.inputs.find((i) => i.name === value) ?? g.outputs.find((o) => o.name === value);
  return info?.type?.kind === 'tensor' ? info.type.dtype : undefined;
}

/** Positions of the first bad value of `t` under `bad`, with the count of bad values. */
function firstBad(t: Tensor, bad: (x: number) => boolean): { count: number; at: number; value: number } | undefined {
  let count = 0;
  let at = -1;
  for (let i = 0; i < t.size; i++) {
    if (bad(t.get(i))) {
      if (at < 0) at = i;
      count++;
    }
  }
  return count ? { count, at, value: t.get(at) } : undefined;
}

/** The node's `axis` attribute (default 1), made non-negative for a tensor of `rank` dims. */
function axisOf(node: Node, rank: number | undefined): number {
  const a = node.attributes.find((x) => x.name === 'axis');
  const axis = a?.value.kind === 'int' ? a.value.value : 1;
  return axis < 0 && rank !== undefined ? axis + rank : axis;
}

/** Problems TensorRT's parser has with QuantizeLinear or DequantizeLinear `node`; empty when it takes it. */
export function qdqNodeProblems(index: GraphIndex, node: Node): BackendProblem[] {
  const g = index.graph;
  const out: BackendProblem[] = [];
  const problem = (message: string, tensor?: string) => out.push({ message: `${node.opType} '${node.name}': ${message}`, node: node.name, ...(tensor && { tensor }) });
  const [x, scaleName, zpName] = node.inputs as [string, string | undefined, string | undefined];
  const isQ = node.opType === 'QuantizeLinear';
  if (node.domain !== '') problem(`domain '${node.domain}': TensorRT parses Q/DQ of the default ONNX domain only`);

  const scale = scaleName ? constantValue(g, index, scaleName) : undefined;
  if (!scaleName) problem('no scale input');
  else if (!scale) problem(`scale '${scaleName}' is computed at run time; TensorRT needs a constant (initializer) scale`, scaleName);
  else {
    const bad = firstBad(scale, (s) => !(s > 0 && Number.isFinite(s)));
    if (bad) problem(`scale '${scaleName}' has ${bad.count} value(s) that are not positive and finite (first: ${bad.value} at index ${bad.at})`, scaleName);
  }

  // The quantized type: DequantizeLinear's input type, else its zero point's; QuantizeLinear's zero point type, else `output_dtype`, else uint8 (ONNX's default).
  let qtype: DType | undefined = isQ ? undefined : dtypeOf(index, x);
  if (zpName) {
    const zp = constantValue(g, index, zpName);
    if (!zp) problem(`zero point '${zpName}' is computed at run time; TensorRT needs a constant zero point of 0`, zpName);
    else {
      qtype ??= zp.dtype;
      const bad = firstBad(zp, (z) => z !== 0);
      if (bad) problem(`zero point '${zpName}' has ${bad.count} non-zero value(s) (first: ${bad.value} at index ${bad.at}); TensorRT takes symmetric quantization only (zero point 0)`, zpName);
    }
  } else if (isQ) {
    const code = node.attributes.find((a) => a.name === 'output_dtype');
    qtype = code?.value.kind === 'int' && code.value.value !== 0 ? dtypeFromOnnx(code.value.value, { tensor: node.outputs[0] }) : 'uint8';
  }
  if (qtype === 'int32' && !isQ) problem(`input '${x}' is int32 (a quantized bias); TensorRT takes float biases and INT8, FP8 or INT4 Q/DQ only`, x);
  else if (qtype && !TENSORRT_QUANT_TYPES.includes(qtype)) problem(`quantized type is ${qtype}${!zpName && isQ ? ' (no zero point given)' : ''}; TensorRT takes ${TENSORRT_QUANT_TYPES.join(', ')}`, isQ ? node.outputs[0] : x);

  if (isQ) {
    const t = dtypeOf(index, x);
    if (t && !FLOAT_TYPES.includes(t)) problem(`input '${x}' is ${t}; QuantizeLinear must read float32, float16 or bfloat16`, x);
  }

  const blocked = node.attributes.some((a) => a.name === 'block_size' && a.value.kind === 'int' && a.value.value > 0);
  if (blocked && qtype !== 'int4') problem(`block-wise scales with ${qtype ?? 'an unknown type'}; TensorRT takes blocked Q/DQ for INT4 weights only`);
  if (scale && scale.dims.length >= 1 && !blocked) checkPerAxis(index, node, x, scale, scaleName!, problem);
  return out;
}

/**
 * Per-axis checks, reported through `problem`: only constants (weights) may have per-axis
 * scales; the scale length must equal the quantized tensor's size along `axis`; a
 * DequantizeLinear read as a layer's weight must run along that layer's output-channel axis.
 */
function checkPerAxis(index: GraphIndex, node: Node, x: string, scale: Tensor, scaleName: string, problem: (m: string, t?: string) => void): void {
  const g = index.graph;
  const data = constantValue(g, index, x);
  const shape = data?.dims ?? (() => {
    const info = g.valueInfo.get(x) ?? g.inputs.find((i) => i.name === x);
    return info?.type?.kind === 'tensor' ? info.type.shape : undefined;
  })();
  const axis = axisOf(node, shape?.length);
  if (scale.size === 1 && !data) return;
  if (node.opType === 'QuantizeLinear' && !data && scale.size > 1) {
    problem(`per-axis scale '${scaleName}' on computed tensor '${x}'; TensorRT quantizes activations per tensor`, x);
    return;
  }
  const dim = shape?.[axis];
  if (typeof dim === 'number' && scale.size !== dim && scale.size > 1) problem(`scale '${scaleName}' has ${scale.size} values but '${x}' has ${dim} along axis ${axis}`, scaleName);
  if (node.opType !== 'DequantizeLinear' || scale.size <= 1 || !shape) return;
  for (const reader of index.consumers(node.outputs[0]!)) {
    const w = resolveWeight(reader, shape.length);
    if (!w || reader.inputs[w.input] !== node.outputs[0]) continue;
    if (w.channelAxis !== undefined && w.channelAxis !== axis) {
      problem(`per-channel axis ${axis} of weight '${x}' read by ${reader.opType} '${reader.name}', whose output channels are on axis ${w.channelAxis}`, x);
    }
  }
}
