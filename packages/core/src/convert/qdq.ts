/**
 * The standard QDQ writer: turns a QuantPlan into QDQ form. Weights become integer
 * initializers behind DequantizeLinear; each quantized activation gets QuantizeLinear →
 * DequantizeLinear right after its producer, read by every consumer (or by the readers the
 * plan names, the others keeping the float value); graph outputs keep
 * their float value; int32 biases go behind DequantizeLinear. Node emission only: every
 * scale and zero point comes from the plan (see ../plan), and the domain of each Q/DQ pair
 * from a QdqDialect (standard ONNX unless the caller passes another), asked for all pairs
 * before the graph changes so that a refusal leaves the model as it was.
 */
import type { Attribute, Model, Node } from '../ir/graph.js';
import { GraphIndex } from '../ir/graphIndex.js';
import { Tensor } from '../ir/tensor.js';
import { isFloat8QuantType } from '../quant/float8.js';
import { quantizeTensor } from '../quant/quantize.js';
import type { Annotation } from '../annotate/annotation.js';
import { planQuantization } from '../plan/planQuantization.js';
import type { QParams } from '../plan/qparams.js';
import type { QuantPlan } from '../plan/quantPlan.js';
import { GraphEditor } from './graphEditor.js';
import type { QdqDialect } from './qdqDialect.js';
import type { QdqUse } from './qdqOps.js';
import { STANDARD_QDQ_DIALECT } from './standardQdqDialect.js';

export { floorScalesForBias, quantizeBias, type QuantizedBias } from '../plan/quantizeBias.js';
export { weightQParams, type QParams } from '../plan/qparams.js';

/**
 * Scale/zero-point initializers for `qp`: scalars per-tensor, 1-D per-axis, tensor's rank per-block.
 * A float8 zero point is the float8 zero (code 0), which makes Q/DQ of opset 19+ produce and read float8.
 */
function qparamTensors(qp: QParams): { scale: Tensor; zeroPoint: Tensor } {
  const dims = qp.paramDims ?? (qp.axis === undefined ? [] : [qp.scale.length]);
  const zeroPoint = Tensor.zeros(qp.dtype, dims);
  if (!isFloat8QuantType(qp.dtype)) for (let i = 0; i < qp.zeroPoint.length; i++) zeroPoint.set(i, qp.zeroPoint[i]!);
  return { scale: new Tensor('float32', Float32Array.from(qp.scale), dims), zeroPoint };
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
  const blocked = qp.blockSize !== undefined;
  return { dtype: qp.dtype, blocked, perAxis: !blocked && qp.axis !== undefined, tensor };
}

/** Plans `ann` with `activations` and writes the plan into `model` (in place) in QDQ form. */
export function convertToQdq(model: Model, ann: Annotation, activations: ReadonlyMap<string, QParams>, dialect: QdqDialect = STANDARD_QDQ_DIALECT): void {
  writeQdq(model, planQuantization(model.graph, ann, activations), dialect);
}

/** Writes `plan` into `model` (in place) in QDQ form, with the Q/DQ domains `dialect` picks. */
export function writeQdq(model: Model, plan: QuantPlan, dialect: QdqDialect = STANDARD_QDQ_DIALECT): void {
  const graph = model.graph;
  const index = new GraphIndex(graph);
  const ed = new GraphEditor(graph);
  const entries = [...plan.tensors];
  const uses = entries.filter(([, t]) => t.role === 'weight').concat(entries.filter(([, t]) => t.role === 'activation')).map(([v, t]) => useOf(t.qparams, v));
  dialect.prepare(model, uses);
  const domainOf = (qp: QParams, tensor: string) => dialect.domainOf(model, useOf(qp, tensor));
  const replaceIn = (nodes: Iterable<Node>, from: string, to: string) => {
    for (const n of nodes) n.inputs = n.inputs.map((i) => (i === from ? to : i));
  };
  /** DequantizeLinear of a constant; int32 (bias) omits its all-zero zero point. */
  const dq = (q: string, qp: QParams, base: string): string => {
    const t = qparamTensors(qp);
    const s = ed.constant(`${base}_scale`, t.scale);
    const inputs = qp.dtype === 'int32' ? [q, s] : [q, s, ed.constant(`${base}_zero_point`, t.zeroPoint)];
    const out = ed.name(`${base}_DequantizeLinear_Output`);
    ed.node(null, 'DequantizeLinear', inputs, [out], dqAttributes(qp), domainOf(qp, base));
    return out;
  };
  /** Points the quantized readers of constant `v` at `out`; drops `v` when nothing else reads it. */
  const rewire = (v: string, out: string) => {
    const readers = index.consumers(v).filter((n) => plan.quantizedNodes.has(n));
    replaceIn(readers, v, out);
    if (readers.length === index.consumers(v).length && !index.isGraphOutput(v)) graph.initializers.delete(v);
  };

  // Weights: integer initializers behind DequantizeLinear.
  for (const [v, t] of entries) {
    if (t.role !== 'weight') continue;
    const w = graph.initializers.get(v)!;
    const qp = t.qparams;
    rewire(v, dq(ed.constant(`${v}_quantized`, quantizeTensor(w, qp.scale, qp.zeroPoint, qp.dtype, { axis: qp.axis, blockSize: qp.blockSize })), qp, v));
  }

  // Activations: Q → DQ after the producer, shared ones with their source's parameters.
  for (const [v, t] of entries) {
    if (t.role !== 'activation' && t.role !== 'shared') continue;
    const only = t.role === 'activation' ? t.readers : undefined;
    const readers = only ? index.consumers(v).filter((n) => only.has(n)) : index.consumers(v);
    if (!readers.length) continue;
    const qp = t.qparams;
    const producer = index.producer(v) ?? null;
    const pt = qparamTensors(qp);
    const s = ed.constant(`${v}_scale`, pt.scale);
    const z = ed.constant(`${v}_zero_point`, pt.zeroPoint);
    const qOut = ed.name(`${v}_QuantizeLinear_Output`);
    const dqOut = ed.name(`${v}_DequantizeLinear_Output`);
    const domain = domainOf(qp, v);
    ed.node(producer, 'QuantizeLinear', [v, s, z], [qOut], [], domain);
    ed.node(producer, 'DequantizeLinear', [qOut, s, z], [dqOut], [], domain);
    replaceIn(readers, v, dqOut);
  }

  // Biases: int32 values planned at scale = input scale × weight scale.
  for (const [v, t] of entries) {
    if (t.role !== 'bias') continue;
    const b = graph.initializers.get(v)!;
    rewire(v, dq(ed.constant(`${v}_quantized`, new Tensor('int32', t.values, b.dims)), t.qparams, v));
  }
  ed.commit();
}
