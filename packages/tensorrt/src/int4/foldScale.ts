/**
 * Putting an awq_lite input scale into the graph, as Model Optimizer's ONNX export does: the
 * weights of the group are multiplied by s along their input channels, and the input is divided
 * by s, either folded into the constants of the node producing it or by a new Mul with 1/s in
 * front of the group. Folding needs a producer that feeds nothing but the group and scales its
 * output channels by constants: Mul with one constant operand, MatMul or Gemm with a constant
 * weight (and constant or no bias), SimplifiedLayerNormalization (scale) or com.microsoft
 * SkipSimplifiedLayerNormalization (gamma, output 0): Model Optimizer's list of fusible scaling ops.
 * Other readers of the input keep the unscaled value. Constants left unread are removed.
 */
import { attrInt, GraphIndex, Tensor, type Graph, type Model, type Node } from '@qtk/core';
import { modelNames, nodeReads, uniqueName } from '@qtk/core/internal';
import type { AwqGroup } from './awqSites.js';
import { inverseScale } from './awqSearch.js';

/** How a group's input was divided by its scale: folded into the producing node's constants, or by a new Mul. */
export type ScaleFold = 'parent' | 'inserted-mul';

/** A constant input of the producer and the axis along which its values meet output channel k. */
interface FoldedInput {
  index: number;
  /** 'last': values run along the last axis (a single value is spread to K); 'first': along axis 0 (Gemm transB weight). */
  along: 'last' | 'first';
}

/** Multiplies the group's weights by `s` and divides its input by `s`; returns where the division went. */
export function foldInputScale(model: Model, group: AwqGroup, s: Float32Array): ScaleFold {
  const g = model.graph;
  const taken = modelNames(g);
  const index = new GraphIndex(g);
  for (const site of group.sites) {
    const w = g.initializers.get(site.weight)!;
    const shared = index.consumers(site.weight).length > 1 || index.isGraphOutput(site.weight);
    const name = shared ? uniqueName(g, `${site.weight}_awq`, taken) : site.weight;
    g.initializers.set(name, scaleAlong(w, s, site.transB ? 'last' : 'first', (v, f) => v * f));
    site.node.inputs[1] = name;
  }
  const parent = index.producer(group.input);
  const groupNodes = new Set(group.sites.map((x) => x.node));
  const onlyGroup = !index.isGraphOutput(group.input) && index.consumers(group.input).every((r) => groupNodes.has(r));
  const plan = parent && onlyGroup ? foldPlan(g, parent, group.input, s.length) : undefined;
  if (parent && plan) {
    for (const { index: i, along } of plan) {
      const old = parent.inputs[i]!;
      const name = uniqueName(g, `${old}_awq_pre_quant_scale`, taken);
      g.initializers.set(name, scaleAlong(g.initializers.get(old)!, s, along, (v, f) => v / f));
      parent.inputs[i] = name;
      if (!g.nodes.some((x) => nodeReads(x).includes(old)) && !g.outputs.some((o) => o.name === old)) g.initializers.delete(old);
    }
    return 'parent';
  }
  const k = s.length;
  const scaleName = uniqueName(g, `${group.input}_pre_quant_scale`, taken);
  const outName = uniqueName(g, `${group.input}_pre_quant_scale_out`, taken);
  g.initializers.set(scaleName, new Tensor('float32', inverseScale(s), [k]));
  const mul = { name: uniqueName(g, `${group.input}_pre_quant_scale_mul`, taken), opType: 'Mul', domain: '', inputs: [group.input, scaleName], outputs: [outName], attributes: [] };
  for (const site of group.sites) site.node.inputs[0] = outName;
  const first = Math.min(...group.sites.map((x) => g.nodes.indexOf(x.node)));
  g.nodes.splice(first, 0, mul);
  return 'inserted-mul';
}

/** The constants of `parent` to divide so that its output `value` (K channels) comes out divided by s; undefined when it cannot fold. */
function foldPlan(g: Graph, parent: Node, value: string, k: number): FoldedInput[] | undefined {
  const constant = (i: number) => {
    const t = g.initializers.get(parent.inputs[i] ?? '');
    return t && t.dtype === 'float32' ? t : undefined;
  };
  const alongLast = (i: number): FoldedInput | undefined => {
    const t = constant(i);
    if (!t) return undefined;
    const size = t.dims.reduce((a, b) => a * b, 1);
    return size === 1 || t.dims[t.dims.length - 1] === k ? { index: i, along: 'last' } : undefined;
  };
  const one = (f: FoldedInput | undefined) => (f ? [f] : undefined);
  if (parent.domain === '' && parent.opType === 'Mul') {
    const consts = parent.inputs.map((_, i) => i).filter((i) => g.initializers.has(parent.inputs[i]!));
    return consts.length === 1 ? one(alongLast(consts[0]!)) : undefined;
  }
  if (parent.outputs[0] !== value) return undefined;
  if (parent.domain === '' && parent.opType === 'MatMul') {
    const b = constant(1);
    return b && b.dims.length === 2 && !g.initializers.has(parent.inputs[0]!) ? one(alongLast(1)) : undefined;
  }
  if (parent.domain === '' && parent.opType === 'Gemm') {
    const b = constant(1);
    if (!b || b.dims.length !== 2 || attrInt(parent, 'transA', 0) !== 0) return undefined;
    const transB = attrInt(parent, 'transB', 0) !== 0;
    if (b.dims[transB ? 0 : 1] !== k) return undefined;
    const plan: FoldedInput[] = [{ index: 1, along: transB ? 'first' : 'last' }];
    if (parent.inputs[2]) {
      const c = alongLast(2);
      if (!c) return undefined;
      plan.push(c);
    }
    return plan;
  }
  if (parent.domain === '' && parent.opType === 'SimplifiedLayerNormalization') return one(alongLast(1));
  if (parent.domain === 'com.microsoft' && parent.opType === 'SkipSimplifiedLayerNormalization') return one(alongLast(2));
  return undefined;
}

/**
 * `t` with each value combined with s of its channel: along the last axis (a single value is
 * first spread to [K]) or along axis 0; rounded to float32.
 */
function scaleAlong(t: Tensor, s: Float32Array, along: 'last' | 'first', op: (v: number, f: number) => number): Tensor {
  const k = s.length;
  const src = t.data as Float32Array;
  if (src.length === 1 && along === 'last') return new Tensor('float32', Float32Array.from(s, (f) => Math.fround(op(src[0]!, f))), [k]);
  const inner = along === 'last' ? 1 : src.length / t.dims[0]!;
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = Math.fround(op(src[i]!, s[along === 'last' ? i % k : Math.floor(i / inner)]!));
  return new Tensor('float32', out, t.dims.slice());
}
