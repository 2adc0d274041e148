/**
 * Graph rewrites before planning:
 * - QDQ: DequantizeLinear(x_q), DequantizeLinear(w_q)[, DequantizeLinear(bias int32)] →
 *   Conv/MatMul/Gemm [→ Relu] [→ QuantizeLinear] becomes one integer node (QConv/QMatMul);
 *   DQ → Add ← DQ [→ Relu] → Q becomes QAdd; DQ → MaxPool/Reshape/Flatten/Squeeze/Unsqueeze → Q
 *   with equal quantization parameters runs on the 8-bit data.
 * - FP32: Relu/Clip after Conv/MatMul/Gemm is fused into the GEMM epilogue.
 * Nodes left without consumers are removed.
 */
import {
  attrFloat, attrInt, biasName, GraphIndex, linearFormProblem, resolveWeight, weightName, type Graph, type Node, type Tensor as CoreTensor,
} from '@qtk/core';
import { ACT_HI, ACT_LO } from '../ops/activation.js';
import { axisIndex } from './axis.js';
import { FUSED_DOMAIN, GEMM_FORM } from '../ops/qlinear.js';

const isDefault = (n: Node) => n.domain === '' || n.domain === 'ai.onnx';

function constTensor(g: Graph, name: string | undefined): CoreTensor | undefined {
  return name ? g.initializers.get(name) : undefined;
}

interface DQ { node: Node; q: string; scale: string; zp: string; axis: number }

function dqOf(g: Graph, ix: GraphIndex, v: string | undefined): DQ | undefined {
  const n = v ? ix.producer(v) : undefined;
  if (!n || !isDefault(n) || n.opType !== 'DequantizeLinear') return undefined;
  if (!constTensor(g, n.inputs[1])) return undefined;
  if (n.inputs[2] && !constTensor(g, n.inputs[2])) return undefined;
  if (n.attributes.some((a) => a.name === 'block_size')) return undefined;
  return { node: n, q: n.inputs[0]!, scale: n.inputs[1]!, zp: n.inputs[2] ?? '', axis: attrInt(n, 'axis', 1) };
}

function isScalar(t: CoreTensor | undefined): boolean {
  return !!t && t.size === 1;
}

function sameQuant(g: Graph, a: { scale: string; zp: string }, b: { scale: string; zp: string }): boolean {
  const sa = constTensor(g, a.scale), sb = constTensor(g, b.scale);
  if (!isScalar(sa) || !isScalar(sb) || sa!.get(0) !== sb!.get(0)) return false;
  const za = constTensor(g, a.zp), zb = constTensor(g, b.zp);
  return (za?.get(0) ?? 0) === (zb?.get(0) ?? 0) && (za?.dtype ?? 'uint8') === (zb?.dtype ?? 'uint8');
}

/** The activation chain after `v`: Relu (clamp at 0) as sole consumer, and its output. */
function reluAfter(ix: GraphIndex, v: string): { node: Node; out: string } | undefined {
  const c = ix.soleConsumer(v);
  return c && isDefault(c) && c.opType === 'Relu' ? { node: c, out: c.outputs[0]! } : undefined;
}

function qAfter(g: Graph, ix: GraphIndex, v: string): Node | undefined {
  const c = ix.soleConsumer(v);
  if (!c || !isDefault(c) || c.opType !== 'QuantizeLinear') return undefined;
  if (!isScalar(constTensor(g, c.inputs[1])) || (c.inputs[2] && !isScalar(constTensor(g, c.inputs[2])))) return undefined;
  if (c.attributes.some((a) => a.name === 'saturate' || a.name === 'output_dtype')) return undefined;
  return c;
}

/** QDQ unary groups onnxruntime's CPU provider runs as com.microsoft QLinear ops. */
const MS_UNARY = new Set(['Sigmoid', 'Softmax', 'AveragePool', 'GlobalAveragePool', 'LeakyRelu']);

/** Zero-point element type of a DQ/Q parameter pair (uint8 when the zero point is omitted). */
function zpType(g: Graph, zp: string | undefined): string {
  return (zp ? constTensor(g, zp)?.dtype : undefined) ?? 'uint8';
}

/**
 * The com.microsoft QLinear node for a QDQ group onnxruntime fuses the same way (its QDQ
 * selectors): DQ → Sigmoid/Softmax/AveragePool/GlobalAveragePool/LeakyRelu → Q, DQ → Mul ← DQ
 * → Q and DQs → Concat → Q, every DQ and the Q per-tensor with one 8-bit type; MatMul of two
 * DQ runtime values → Q becomes QLinearMatMul. Undefined when the group does not qualify.
 */
function msQdqNode(g: Graph, ix: GraphIndex, n: Node, opset: number): { node: Node; remove: Node[] } | undefined {
  const dqs = n.inputs.map((v) => dqOf(g, ix, v));
  if (!dqs.length || dqs.some((d) => !d || !isScalar(constTensor(g, d.scale)) || (d.zp && !isScalar(constTensor(g, d.zp))))) return undefined;
  const q = qAfter(g, ix, n.outputs[0]!);
  if (!q || n.outputs.length > 1) return undefined;
  const type = zpType(g, q.inputs[2]);
  if (!['uint8', 'int8'].includes(type) || dqs.some((d) => zpType(g, d!.zp) !== type)) return undefined;
  const ys = q.inputs[1]!, yz = q.inputs[2] ?? '';
  const triple = (d: DQ) => [d.q, d.scale, d.zp];
  let node: Node;
  if (MS_UNARY.has(n.opType)) {
    if (dqs.length !== 1) return undefined;
    const attributes = n.opType === 'Softmax' ? [...n.attributes.filter((a) => a.name === 'axis'), { name: 'opset', value: { kind: 'int' as const, value: opset } }] : n.attributes;
    node = { name: n.name, opType: `QLinear${n.opType}`, domain: 'com.microsoft', inputs: [...triple(dqs[0]!), ys, yz], outputs: q.outputs, attributes };
  } else if (n.opType === 'Mul') {
    if (dqs.length !== 2) return undefined;
    node = { name: n.name, opType: 'QLinearMul', domain: 'com.microsoft', inputs: [...triple(dqs[0]!), ...triple(dqs[1]!), ys, yz], outputs: q.outputs, attributes: [] };
  } else if (n.opType === 'Concat') {
    node = { name: n.name, opType: 'QLinearConcat', domain: 'com.microsoft', inputs: [ys, yz, ...dqs.flatMap((d) => triple(d!))], outputs: q.outputs, attributes: n.attributes };
  } else if (n.opType === 'MatMul') {
    if (dqs.length !== 2) return undefined;
    node = { name: n.name, opType: 'QLinearMatMul', domain: '', inputs: [...triple(dqs[0]!), ...triple(dqs[1]!), ys, yz], outputs: q.outputs, attributes: [] };
  } else return undefined;
  return { node, remove: [q] };
}

/** Rewrites QDQ groups to integer nodes; returns how many groups were fused. */
function fuseQdq(g: Graph, opset: number): number {
  let fused = 0;
  let ix = new GraphIndex(g);
  const replace = (remove: Node[], add: Node, at: Node) => {
    const i = g.nodes.indexOf(at);
    g.nodes[i] = add;
    for (const r of remove) if (r !== at) g.nodes.splice(g.nodes.indexOf(r), 1);
    ix = new GraphIndex(g);
    fused++;
  };
  for (const n of [...g.nodes]) {
    if (!g.nodes.includes(n) || !isDefault(n)) continue;
    if (n.opType === 'Conv' || n.opType === 'MatMul' || n.opType === 'Gemm') {
      const x = dqOf(g, ix, n.inputs[0]), w = dqOf(g, ix, weightName(n));
      if (!x || !w || !isScalar(constTensor(g, x.scale))) continue;
      const wq = constTensor(g, w.q);
      if (!wq && n.opType === 'MatMul') {
        // a runtime B (attention products): onnxruntime's QLinearMatMul
        const node = msQdqNode(g, ix, n, opset);
        if (node) replace(node.remove, node.node, n);
        continue;
      }
      if (!wq || (wq.dtype !== 'int8' && wq.dtype !== 'uint8') || (x.zp && !['int8', 'uint8'].includes(constTensor(g, x.zp)!.dtype))) continue;
      const ws = constTensor(g, w.scale)!;
      if (linearFormProblem(n)) continue;
      const rank = wq.dims.length;
      const channelAxis = resolveWeight(n, rank)!.channelAxis;
      // per-axis weight scales must run along the output channels
      if (ws.size > 1 && (axisIndex(w.axis, rank) !== channelAxis || (n.opType !== 'Conv' && rank !== 2))) continue;
      if (n.opType !== 'Conv' && wq.dims.length !== 2) continue;
      // bias: DQ of int32 or a float initializer
      const inputs = [x.q, x.scale, x.zp, w.q, w.scale, w.zp, '', '', '', ''];
      const remove: Node[] = [];
      const bias = biasName(n);
      if (bias) {
        const bdq = dqOf(g, ix, bias);
        const bq = bdq ? constTensor(g, bdq.q) : undefined;
        if (bdq && bq?.dtype === 'int32' && !(bdq.zp && constTensor(g, bdq.zp)!.toNumbers().some((v) => v !== 0))) {
          inputs[8] = bdq.q; inputs[9] = bdq.scale;
        } else if (constTensor(g, bias)?.dtype === 'float32') inputs[8] = bias;
        else continue;
        if (n.opType === 'Gemm' && (constTensor(g, inputs[8])?.size ?? 0) !== wq.dims[channelAxis!]) continue;
      }
      let out = n.outputs[0]!;
      const attrs = n.attributes.filter((a) => n.opType === 'Conv' || a.name === 'transB');
      const relu = reluAfter(ix, out);
      if (relu) { remove.push(relu.node); out = relu.out; attrs.push({ name: ACT_LO, value: { kind: 'float', value: 0 } }); }
      const q = qAfter(g, ix, out);
      if (q) { remove.push(q); out = q.outputs[0]!; inputs[6] = q.inputs[1]!; inputs[7] = q.inputs[2] ?? ''; }
      if (n.opType === 'Gemm') attrs.push({ name: GEMM_FORM, value: { kind: 'int', value: 1 } });
      while (inputs.length && inputs[inputs.length - 1] === '') inputs.pop();
      const node: Node = { name: n.name, opType: n.opType === 'Conv' ? 'QConv' : 'QMatMul', domain: FUSED_DOMAIN, inputs, outputs: [out], attributes: attrs };
      replace(remove, node, n);
    } else if (n.opType === 'Add') {
      const a = dqOf(g, ix, n.inputs[0]), b = dqOf(g, ix, n.inputs[1]);
      if (!a || !b || !isScalar(constTensor(g, a.scale)) || !isScalar(constTensor(g, b.scale))) continue;
      let out = n.outputs[0]!;
      const remove: Node[] = [];
      const attrs: Node['attributes'] = [];
      const relu = reluAfter(ix, out);
      if (relu) { remove.push(relu.node); out = relu.out; attrs.push({ name: ACT_LO, value: { kind: 'float', value: 0 } }); }
      const q = qAfter(g, ix, out);
      if (!q) continue;
      const dt = (z: string) => constTensor(g, z)?.dtype ?? 'uint8';
      if (dt(a.zp) !== dt(b.zp) || dt(a.zp) !== dt(q.inputs[2] ?? '')) continue;
      remove.push(q);
      const node: Node = {
        name: n.name, opType: 'QAdd', domain: FUSED_DOMAIN,
        inputs: [a.q, a.scale, a.zp, b.q, b.scale, b.zp, q.inputs[1]!, q.inputs[2] ?? ''], outputs: [q.outputs[0]!], attributes: attrs,
      };
      replace(remove, node, n);
    } else if (MS_UNARY.has(n.opType) || n.opType === 'Mul' || n.opType === 'Concat') {
      const node = msQdqNode(g, ix, n, opset);
      if (node) replace(node.remove, node.node, n);
    } else if (['MaxPool', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze'].includes(n.opType)) {
      const x = dqOf(g, ix, n.inputs[0]);
      if (!x || !isScalar(constTensor(g, x.scale))) continue;
      if (n.opType === 'MaxPool' && n.outputs.length > 1 && n.outputs[1]) continue;
      const q = qAfter(g, ix, n.outputs[0]!);
      if (!q || !sameQuant(g, x, { scale: q.inputs[1]!, zp: q.inputs[2] ?? '' })) continue;
      const node: Node = { ...n, inputs: [x.q, ...n.inputs.slice(1)], outputs: [q.outputs[0]!] };
      replace([q], node, n);
    }
  }
  return fused;
}

/** Fuses Relu/Clip after FP32 Conv/MatMul/Gemm into the producer's epilogue. */
function fuseActivations(g: Graph): void {
  let ix = new GraphIndex(g);
  for (const n of [...g.nodes]) {
    if (!g.nodes.includes(n) || !isDefault(n) || !['Conv', 'MatMul', 'Gemm'].includes(n.opType)) continue;
    const c = ix.soleConsumer(n.outputs[0]!);
    if (!c || !isDefault(c)) continue;
    let lo: number, hi: number;
    if (c.opType === 'Relu') { lo = 0; hi = Infinity; }
    else if (c.opType === 'Clip') {
      const mn = c.inputs[1] ? constTensor(g, c.inputs[1]) : undefined, mx = c.inputs[2] ? constTensor(g, c.inputs[2]) : undefined;
      if ((c.inputs[1] && !mn) || (c.inputs[2] && !mx)) continue;
      lo = mn ? mn.get(0) : attrFloat(c, 'min', -Infinity);
      hi = mx ? mx.get(0) : attrFloat(c, 'max', Infinity);
    } else continue;
    n.attributes = [...n.attributes, { name: ACT_LO, value: { kind: 'float', value: lo } }, { name: ACT_HI, value: { kind: 'float', value: hi } }];
    n.outputs = [c.outputs[0]!];
    g.nodes.splice(g.nodes.indexOf(c), 1);
    ix = new GraphIndex(g);
  }
}

/** Removes nodes none of whose outputs are read or graph outputs. */
function removeDead(g: Graph): void {
  for (;;) {
    const ix = new GraphIndex(g);
    const before = g.nodes.length;
    g.nodes = g.nodes.filter((n) => n.outputs.some((o) => o && (ix.isGraphOutput(o) || ix.consumers(o).length > 0)));
    if (g.nodes.length === before) return;
  }
}

/**
 * Applies all rewrites in place; returns the number of QDQ groups turned into integer nodes.
 * `opset` (of the default domain) sets the axis semantics of a rewritten Softmax.
 */
export function rewriteGraph(g: Graph, opset = 13): number {
  const fused = fuseQdq(g, opset);
  fuseActivations(g);
  removeDead(g);
  return fused;
}
