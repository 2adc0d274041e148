/**
 * Putting an awq_lite input scale into the graph, as Model Optimizer's ONNX export does: the
 * weights of the group are multiplied by s along their input channels, and the input is divided
 * by s, either folded into the constant of the Mul producing it (when that Mul has one constant
 * operand and feeds nothing but the group) or by a new Mul with 1/s in front of the group.
 * Other readers of the input keep the unscaled value. A constant left unread is removed.
 */
import { GraphIndex, Tensor, type Model } from '@qtk/core';
import { modelNames, nodeReads, uniqueName } from '@qtk/core/internal';
import type { AwqGroup } from './awqSites.js';
import { inverseScale } from './awqSearch.js';

/** How a group's input was divided by its scale: folded into the constant of the Mul producing it, or by a new Mul. */
export type ScaleFold = 'parent-mul' | 'inserted-mul';

/** Multiplies the group's weights by `s` and divides its input by `s`; returns where the division went. */
export function foldInputScale(model: Model, group: AwqGroup, s: Float32Array): ScaleFold {
  const g = model.graph;
  const taken = modelNames(g);
  const index = new GraphIndex(g);
  for (const site of group.sites) {
    const w = g.initializers.get(site.weight)!;
    const src = w.data as Float32Array;
    const out = new Float32Array(src.length);
    const [d0, d1] = w.dims as [number, number];
    for (let i = 0; i < d0; i++) {
      for (let j = 0; j < d1; j++) out[i * d1 + j] = Math.fround(src[i * d1 + j]! * s[site.transB ? j : i]!);
    }
    const shared = index.consumers(site.weight).length > 1 || index.isGraphOutput(site.weight);
    const name = shared ? uniqueName(g, `${site.weight}_awq`, taken) : site.weight;
    g.initializers.set(name, new Tensor('float32', out, w.dims.slice()));
    site.node.inputs[1] = name;
  }
  const parent = index.producer(group.input);
  const readers = index.consumers(group.input);
  const groupNodes = new Set(group.sites.map((x) => x.node));
  const onlyGroup = !index.isGraphOutput(group.input) && readers.every((r) => groupNodes.has(r));
  const k = s.length;
  if (parent && parent.opType === 'Mul' && parent.domain === '' && onlyGroup) {
    const consts = parent.inputs.map((name, i) => ({ name, i, t: g.initializers.get(name) })).filter((c) => c.t);
    const c = consts.length === 1 ? consts[0]! : undefined;
    if (c && c.t!.dtype === 'float32' && broadcastsAlongLast(c.t!.dims, k)) {
      const values = c.t!.data as Float32Array;
      const folded = new Float32Array(k);
      for (let j = 0; j < k; j++) folded[j] = Math.fround(values[values.length === 1 ? 0 : j]! / s[j]!);
      const dims = c.t!.dims.length > 1 ? [...c.t!.dims.slice(0, -1), k] : [k];
      const name = uniqueName(g, `${c.name}_awq_pre_quant_scale`, taken);
      g.initializers.set(name, new Tensor('float32', folded, dims));
      parent.inputs[c.i] = name;
      if (!g.nodes.some((x) => nodeReads(x).includes(c.name)) && !g.outputs.some((o) => o.name === c.name)) g.initializers.delete(c.name);
      return 'parent-mul';
    }
  }
  const scaleName = uniqueName(g, `${group.input}_pre_quant_scale`, taken);
  const outName = uniqueName(g, `${group.input}_pre_quant_scale_out`, taken);
  g.initializers.set(scaleName, new Tensor('float32', inverseScale(s), [k]));
  const mul = { name: uniqueName(g, `${group.input}_pre_quant_scale_mul`, taken), opType: 'Mul', domain: '', inputs: [group.input, scaleName], outputs: [outName], attributes: [] };
  for (const site of group.sites) site.node.inputs[0] = outName;
  const first = Math.min(...group.sites.map((x) => g.nodes.indexOf(x.node)));
  g.nodes.splice(first, 0, mul);
  return 'inserted-mul';
}

/** Whether a constant of `dims` has one value, or K values along the last axis with every other axis 1. */
function broadcastsAlongLast(dims: readonly number[], k: number): boolean {
  const size = dims.reduce((a, b) => a * b, 1);
  if (size === 1) return true;
  return dims[dims.length - 1] === k && size === k;
}
