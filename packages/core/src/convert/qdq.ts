/**
 * Static conversion to QDQ: weights become integer initializers behind
 * DequantizeLinear; each quantized activation gets QuantizeLinear → DequantizeLinear
 * right after its producer, read by every consumer; graph outputs keep their float value.
 *
 * Any integer type goes: int8/uint8 as before, int16/uint16 activations and weights, int4/uint4
 * weights, and per-block weights (DequantizeLinear with `block_size`). Which Q/DQ ops carry each
 * pair (ONNX or com.microsoft) and whether the opset is raised to 21 for blocks is decided by
 * `planQdqDomains` (qdqOps.ts); a refused block throws before the model changes.
 * Biases become int32 through `quantizeBias` (rounded half to even, as the QOperator conversion
 * does); they stay float when the weight is per-block (their scale would vary inside a channel)
 * or when a value would not fit int32 at scale = input scale × weight scale (16-bit × 16-bit).
 */
import { QtkError } from '../errors/QtkError.js';
import type { Attribute, Model, Node } from '../ir/graph.js';
import { GraphIndex } from '../ir/graphIndex.js';
import { Tensor } from '../ir/tensor.js';
import { channelMinMax } from '../observers/minmax.js';
import { computeQParams } from '../quant/qparams.js';
import { layoutMinMax } from '../quant/layoutRange.js';
import { quantizeTensor } from '../quant/quantize.js';
import type { Annotation } from '../annotate/annotation.js';
import type { QuantSpec } from '../spec/quantSpec.js';
import { GraphEditor } from './graphEditor.js';
import { planQdqDomains, qdqFlavor, type QdqUse } from './qdqOps.js';
import { floorScalesForBias, quantizeBias } from './quantizeBias.js';
import type { QParams } from '../quant/tensorQParams.js';

export { floorScalesForBias, quantizeBias, type QuantizedBias } from './quantizeBias.js';

/** Scale and zero point of one tensor (defined in quant/tensorQParams.ts). */
export type { QParams } from '../quant/tensorQParams.js';

/** Scale/zero-point initializers for `qp`: scalars per-tensor, 1-D per-axis, tensor's rank per-block. */
function qparamTensors(qp: QParams): { scale: Tensor; zeroPoint: Tensor } {
  const dims = qp.paramDims ?? (qp.axis === undefined ? [] : [qp.scale.length]);
  const zeroPoint = Tensor.zeros(qp.dtype, dims);
  for (let i = 0; i < qp.zeroPoint.length; i++) zeroPoint.set(i, qp.zeroPoint[i]!);
  return { scale: new Tensor('float32', Float32Array.from(qp.scale), dims), zeroPoint };
}

/**
 * Scale and zero point for a constant from its values: one pair per tensor, per index of the
 * axis, or per block of `blockSize` along the axis (the last block may be shorter).
 * Throws E_OPTION for an axis outside the tensor or a block size that is not a positive integer.
 */
export function weightQParams(w: Tensor, spec: QuantSpec, name: string): QParams {
  const g = spec.granularity;
  let axis = g.kind === 'perTensor' ? undefined : g.axis;
  if (axis !== undefined && (axis < -w.dims.length || axis >= w.dims.length)) {
    throw new QtkError('E_OPTION', `${g.kind === 'perBlock' ? 'per-block' : 'per-channel'} axis ${axis} does not exist on tensor '${name}' of rank ${w.dims.length}`, { tensor: name });
  }
  if (axis !== undefined && axis < 0) axis += w.dims.length;
  if (g.kind === 'perBlock' && !(Number.isInteger(g.blockSize) && g.blockSize > 0)) {
    throw new QtkError('E_OPTION', `block size ${g.blockSize} of tensor '${name}' must be a positive integer`, { tensor: name, option: 'blockSize' });
  }
  if (g.kind !== 'perBlock') {
    const { min, max } = channelMinMax(w, axis);
    const { scale, zeroPoint } = computeQParams(min, max, spec);
    return { scale, zeroPoint, dtype: spec.dtype, axis };
  }
  const { min, max, plan } = layoutMinMax(w, { axis, blockSize: g.blockSize });
  const { scale, zeroPoint } = computeQParams(min, max, spec);
  return { scale, zeroPoint, dtype: spec.dtype, axis, blockSize: g.blockSize, paramDims: plan.paramDims };
}

/** DequantizeLinear attributes of `qp`: axis per-axis and per-block, block_size per-block. */
function dqAttributes(qp: QParams): Attribute[] {
  const out: Attribute[] = [];
  if (qp.axis !== undefined) out.push({ name: 'axis', value: { kind: 'int', value: qp.axis } });
  if (qp.blockSize !== undefined) out.push({ name: 'block_size', value: { kind: 'int', value: qp.blockSize } });
  return out;
}

/** The Q/DQ use of a parameter set, for choosing the op domain. */
function useOf(qp: QParams, tensor: string): QdqUse {
  return { dtype: qp.dtype, blocked: qp.blockSize !== undefined, tensor };
}

/** Rewrites `model` (in place) into QDQ form. */
export function convertToQdq(model: Model, ann: Annotation, activations: ReadonlyMap<string, QParams>): void {
  const graph = model.graph;
  const index = new GraphIndex(graph);
  const ed = new GraphEditor(graph);
  const weightQ = new Map<string, QParams>();
  // Parameters of every weight first: choosing the domains may raise the opset (blocks) or
  // refuse, and that must happen before the graph changes.
  for (const [v, role] of ann.tensors) {
    if (role.kind !== 'weight') continue;
    const w = graph.initializers.get(v);
    if (!w || w.dtype !== 'float32') continue;
    weightQ.set(v, weightQParams(w, role.spec, v));
  }
  const resolve = (v: string, seen = new Set<string>()): QParams | undefined => {
    const role = ann.tensors.get(v);
    if (!role || seen.has(v)) return undefined;
    seen.add(v);
    if (role.kind === 'shared') return resolve(role.source, seen);
    return role.kind === 'activation' ? activations.get(v) : weightQ.get(v);
  };
  for (const [v, role] of ann.tensors) if (role.kind === 'bias') floorScalesForBias(weightQ.get(role.weight), resolve(role.input), graph.initializers.get(v));
  const uses: QdqUse[] = [...weightQ].map(([v, qp]) => useOf(qp, v));
  for (const [v, qp] of activations) if (ann.tensors.has(v)) uses.push(useOf(qp, v));
  planQdqDomains(model, uses);
  const domainOf = (qp: QParams, tensor: string) => qdqFlavor(model, useOf(qp, tensor)).domain;
  const replaceIn = (nodes: Iterable<Node>, from: string, to: string) => {
    for (const n of nodes) n.inputs = n.inputs.map((i) => (i === from ? to : i));
  };
  /** DequantizeLinear of a constant; int32 (bias) omits its all-zero zero point. */
  const dq = (anchor: Node | null, q: string, qp: QParams, base: string): string => {
    const t = qparamTensors(qp);
    const s = ed.constant(`${base}_scale`, t.scale);
    const inputs = qp.dtype === 'int32' ? [q, s] : [q, s, ed.constant(`${base}_zero_point`, t.zeroPoint)];
    const out = ed.name(`${base}_DequantizeLinear_Output`);
    ed.node(anchor, 'DequantizeLinear', inputs, [out], dqAttributes(qp), domainOf(qp, base));
    return out;
  };
  const quantizedReaders = (v: string) => index.consumers(v).filter((n) => ann.quantized.has(n));

  // Weights: integer initializers behind DequantizeLinear.
  for (const [v, role] of ann.tensors) {
    if (role.kind !== 'weight') continue;
    const w = graph.initializers.get(v);
    const qp = weightQ.get(v);
    if (!w || !qp) continue;
    const q = ed.constant(`${v}_quantized`, quantizeTensor(w, qp.scale, qp.zeroPoint, qp.dtype, { axis: qp.axis, blockSize: qp.blockSize }));
    const out = dq(null, q, qp, v);
    const readers = quantizedReaders(v);
    replaceIn(readers, v, out);
    if (readers.length === index.consumers(v).length && !index.isGraphOutput(v)) graph.initializers.delete(v);
  }

  // Activations: Q → DQ after the producer, shared ones reuse their source's parameters.
  for (const [v, role] of ann.tensors) {
    if (role.kind !== 'activation' && role.kind !== 'shared') continue;
    const qp = resolve(v);
    if (!qp || qp.blockSize !== undefined) continue;
    const readers = index.consumers(v);
    if (!readers.length) continue;
    const producer = index.producer(v) ?? null;
    const t = qparamTensors(qp);
    const s = ed.constant(`${v}_scale`, t.scale);
    const z = ed.constant(`${v}_zero_point`, t.zeroPoint);
    const qOut = ed.name(`${v}_QuantizeLinear_Output`);
    const dqOut = ed.name(`${v}_DequantizeLinear_Output`);
    const domain = domainOf(qp, v);
    ed.node(producer, 'QuantizeLinear', [v, s, z], [qOut], [], domain);
    ed.node(producer, 'DequantizeLinear', [qOut, s, z], [dqOut], [], domain);
    replaceIn(readers, v, dqOut);
  }

  // Biases: int32 with scale = input scale × weight scale.
  for (const [v, role] of ann.tensors) {
    if (role.kind !== 'bias') continue;
    const b = graph.initializers.get(v);
    const xq = resolve(role.input);
    const wq = weightQ.get(role.weight);
    if (!b || b.dtype !== 'float32' || !xq || !wq || wq.blockSize !== undefined) continue;
    const n = b.size;
    const perChannel = wq.scale.length > 1;
    if (perChannel && wq.scale.length !== n) continue;
    const scale = new Float32Array(perChannel ? n : 1);
    for (let c = 0; c < scale.length; c++) scale[c] = Math.fround(xq.scale[0]! * wq.scale[c]!);
    const q = quantizeBias(b.data as Float32Array, scale);
    // A bias beyond int32 at this scale (16-bit inputs and weights: scales near 1e-9) stays float.
    if (q.overflow) continue;
    const qp: QParams = { scale, zeroPoint: new Int32Array(scale.length), dtype: 'int32', axis: perChannel ? 0 : undefined };
    const qName = ed.constant(`${v}_quantized`, new Tensor('int32', q.values, b.dims));
    const out = dq(null, qName, qp, v);
    const readers = quantizedReaders(v);
    replaceIn(readers, v, out);
    if (readers.length === index.consumers(v).length && !index.isGraphOutput(v)) graph.initializers.delete(v);
  }
  ed.commit();
}
