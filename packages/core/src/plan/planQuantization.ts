/**
 * Planning: an annotation and the qparams of its activations become a QuantPlan, without
 * changing the model. Weights get parameters from their values (`weightQParams`), shared
 * tensors those of their source, biases int32 at scale = input scale × weight scale (dead
 * 8-bit weight channels first raised by `floorScalesForBias`). What cannot be planned
 * stays float with a reason: a weight that is not a float32 initializer, an activation
 * with no parameters or sharing per-block ones, a bias beside a per-block weight, of the
 * wrong length, or beyond int32 at its scale (16-bit inputs and weights), or beside a float8
 * input or weight.
 */
import type { Graph } from '../ir/graph.js';
import type { Tensor } from '../ir/tensor.js';
import type { Annotation } from '../annotate/annotation.js';
import { isFloat8QuantType } from '../quant/float8.js';
import { weightQParams, type QParams } from './qparams.js';
import { floorScalesForBias, quantizeBias } from './quantizeBias.js';
import type { FloatTensor, PlannedTensor, QuantPlan } from './quantPlan.js';

/**
 * The plan of `ann` over `graph` (read only) with `activations` giving the parameters of
 * tensors annotated as activations (calibrated ranges, or learned qparams).
 */
export function planQuantization(graph: Graph, ann: Annotation, activations: ReadonlyMap<string, QParams>): QuantPlan {
  const float: FloatTensor[] = [];
  const weights = new Map<string, QParams>();
  for (const [v, role] of ann.tensors) {
    if (role.kind !== 'weight') continue;
    const w = graph.initializers.get(v);
    if (!w || w.dtype !== 'float32') { float.push({ tensor: v, reason: w ? `weight is ${w.dtype}, not float32` : 'weight is not an initializer' }); continue; }
    weights.set(v, weightQParams(w, role.spec, v));
  }
  const resolve = (v: string, seen = new Set<string>()): { source: string; qparams: QParams } | undefined => {
    const role = ann.tensors.get(v);
    if (!role || seen.has(v)) return undefined;
    seen.add(v);
    if (role.kind === 'shared') return resolve(role.source, seen);
    const qparams = role.kind === 'activation' ? activations.get(v) : weights.get(v);
    return qparams && { source: v, qparams };
  };
  for (const [v, role] of ann.tensors) if (role.kind === 'bias') floorScalesForBias(weights.get(role.weight), resolve(role.input)?.qparams, graph.initializers.get(v));

  const tensors = new Map<string, PlannedTensor>();
  for (const [v, role] of ann.tensors) {
    if (role.kind === 'weight') {
      const qparams = weights.get(v);
      if (qparams) tensors.set(v, { role: 'weight', qparams });
    } else if (role.kind === 'activation' || role.kind === 'shared') {
      const r = resolve(v);
      if (!r) float.push({ tensor: v, reason: role.kind === 'activation' ? 'no calibrated parameters' : `its source '${role.source}' is not quantized` });
      else if (r.qparams.blockSize !== undefined) float.push({ tensor: v, reason: `its source '${r.source}' has per-block parameters` });
      else if (role.kind === 'activation') tensors.set(v, { role: 'activation', qparams: r.qparams, ...(role.readers && { readers: role.readers }) });
      else tensors.set(v, { role: 'shared', source: r.source, qparams: r.qparams });
    } else {
      const planned = planBias(graph.initializers.get(v), resolve(role.input)?.qparams, weights.get(role.weight));
      if (typeof planned === 'string') float.push({ tensor: v, reason: planned });
      else tensors.set(v, { role: 'bias', input: role.input, weight: role.weight, ...planned });
    }
  }
  return { tensors, quantizedNodes: ann.quantized, float };
}

/** The int32 form of bias `b` for input parameters `xq` and weight parameters `wq`, or why it stays float. */
function planBias(b: Tensor | undefined, xq: QParams | undefined, wq: QParams | undefined): { qparams: QParams; values: Int32Array } | string {
  if (!b || b.dtype !== 'float32') return b ? `bias is ${b.dtype}, not float32` : 'bias is not an initializer';
  if (!xq) return 'its input is not quantized';
  if (!wq) return 'its weight is not quantized';
  if (isFloat8QuantType(xq.dtype) || isFloat8QuantType(wq.dtype)) return 'its input or weight is float8 (no integer grid for an int32 bias)';
  if (wq.blockSize !== undefined) return 'its weight is per-block (the bias scale would vary inside a channel)';
  const perChannel = wq.scale.length > 1;
  if (perChannel && wq.scale.length !== b.size) return `${b.size} values for ${wq.scale.length} weight channels`;
  const scale = new Float32Array(perChannel ? b.size : 1);
  for (let c = 0; c < scale.length; c++) scale[c] = Math.fround(xq.scale[0]! * wq.scale[c]!);
  const q = quantizeBias(b.data as Float32Array, scale);
  if (q.overflow) return 'int32 overflow at scale = input scale × weight scale';
  return { qparams: { scale, zeroPoint: new Int32Array(scale.length), dtype: 'int32', axis: perChannel ? 0 : undefined }, values: q.values };
}
