/**
 * Bias correction in the static pipeline: calibration also measures the channel means
 * of every quantized Conv and Gemm input (a ReduceMean to [N, C] inside the model per
 * input), and conversion subtracts from each such node's float bias the mean shift its
 * rounded weight causes (`weightMeanShift`), before the bias is quantized to int32. A bias
 * the backend leaves float (TensorRT's and NNCF's placements) is corrected the same way and
 * stays float.
 */
import type { Model, Node } from '../ir/graph.js';
import { GraphIndex } from '../ir/graphIndex.js';
import { Tensor } from '../ir/tensor.js';
import type { Annotation } from '../annotate/annotation.js';
import { defaultDomainOpset } from '../convert/qdqOps.js';
import { weightQParams } from '../convert/qdq.js';
import { fakeQuantize } from '../quant/quantize.js';
import { weightMeanShift, type WeightLayout } from '../quant/biasCorrection.js';
import { cloneModel } from '../transforms/clone.js';
import { biasInputIndex, channelGroups, linearFormProblem, resolveWeight, weightInputIndex } from '../opContracts/index.js';

/** A node whose bias is corrected: its input, weight and bias values and the weight's layout. */
export interface BiasTarget {
  node: Node;
  input: string;
  weight: string;
  bias: string;
  layout: WeightLayout;
}

/** Opset from which ReduceMean takes its axes as an input. */
const AXES_INPUT_OPSET = 18;

/**
 * The layout of `n`'s weight (of `rank` dims) when bias correction applies to it: a plain linear
 * op with a bias whose weight holds output channels on axis 0 and summed input channels on axis 1
 * (Conv, Gemm transB=1), or a 2-D weight the other way round (Gemm transB=0).
 */
function layoutOf(n: Node, rank: number): WeightLayout | undefined {
  const w = resolveWeight(n, rank);
  if (!w || biasInputIndex(n) === undefined || linearFormProblem(n)) return undefined;
  const channelsFirst = w.channelAxis === 0 && w.reductionAxis === 1;
  if (rank === 2 && channelGroups(n) === 1 && (channelsFirst || (w.channelAxis === 1 && w.reductionAxis === 0))) return { kind: 'gemm', transB: channelsFirst };
  if (rank > 2 && channelsFirst) return { kind: 'conv', group: channelGroups(n) };
  return undefined;
}

/**
 * Quantized Conv and Gemm nodes of `ann` with a float32 bias initializer and a non-constant
 * input: biases marked for int32 quantization, and float biases (unmarked, read by that node
 * only) of nodes whose weight is quantized.
 */
export function biasTargets(model: Model, ann: Annotation): BiasTarget[] {
  const g = model.graph;
  const index = new GraphIndex(g);
  const out: BiasTarget[] = [];
  const seen = new Set<string>();
  for (const node of ann.quantized) {
    const wi = weightInputIndex(node), bi = biasInputIndex(node);
    if (wi === undefined || bi === undefined) continue;
    const weight = node.inputs[wi], bias = node.inputs[bi], input = node.inputs[0];
    if (!weight || !bias || !input || seen.has(bias) || g.initializers.has(input)) continue;
    const role = ann.tensors.get(bias);
    const marked = role?.kind === 'bias' && role.input === input && role.weight === weight;
    const float = !role && ann.tensors.get(weight)?.kind === 'weight' && index.consumers(bias).length === 1;
    const w = g.initializers.get(weight);
    if (!(marked || float) || w?.dtype !== 'float32' || g.initializers.get(bias)?.dtype !== 'float32') continue;
    const layout = layoutOf(node, w.dims.length);
    if (layout) { out.push({ node, input, weight, bias, layout }); seen.add(bias); }
  }
  return out;
}

/**
 * A copy of `model` that also computes, for each of `values` (rank ≥ 2, channels on
 * axis 1), its per-sample channel means [N, C]; returns the copy and the name of each
 * value's means. Values of rank 2 are passed through (an Identity). Values of unknown
 * rank are left out.
 */
export function withChannelMeanOutputs(model: Model, values: readonly string[]): { model: Model; means: Map<string, string> } {
  const copy = cloneModel(model);
  const g = copy.graph;
  const ranks = new Map([...g.inputs, ...g.valueInfo.values()].map((v) => [v.name, v.type?.kind === 'tensor' ? v.type.shape?.length : undefined]));
  const axesInput = defaultDomainOpset(copy) >= AXES_INPUT_OPSET;
  const means = new Map<string, string>();
  for (const v of new Set(values)) {
    const rank = ranks.get(v);
    if (rank === undefined || rank < 2) continue;
    const out = `${v}_channel_means`;
    const axes = Array.from({ length: rank - 2 }, (_, i) => i + 2);
    if (!axes.length) {
      g.nodes.push({ name: `${out}_Identity`, opType: 'Identity', domain: '', inputs: [v], outputs: [out], attributes: [] });
    } else if (axesInput) {
      g.initializers.set(`${out}_axes`, Tensor.int64(axes));
      g.nodes.push({ name: `${out}_ReduceMean`, opType: 'ReduceMean', domain: '', inputs: [v, `${out}_axes`], outputs: [out], attributes: [{ name: 'keepdims', value: { kind: 'int', value: 0 } }] });
    } else {
      g.nodes.push({
        name: `${out}_ReduceMean`, opType: 'ReduceMean', domain: '', inputs: [v], outputs: [out],
        attributes: [{ name: 'axes', value: { kind: 'ints', value: axes } }, { name: 'keepdims', value: { kind: 'int', value: 0 } }],
      });
    }
    means.set(v, out);
  }
  return { model: copy, means };
}

/**
 * Replaces the bias of every target in `model` whose input has channel means in `means`
 * by the bias minus its weight's mean shift (the weight quantized as `convertToQdq` will,
 * from its spec in `ann`). Returns the corrected bias names. The old bias tensors are not changed.
 */
export function correctBiases(model: Model, ann: Annotation, means: ReadonlyMap<string, Float32Array>): string[] {
  const g = model.graph;
  const done: string[] = [];
  for (const t of biasTargets(model, ann)) {
    const mean = means.get(t.input);
    const role = ann.tensors.get(t.weight);
    const w = g.initializers.get(t.weight)!;
    const b = g.initializers.get(t.bias)!;
    if (!mean || role?.kind !== 'weight') continue;
    const qp = weightQParams(w, role.spec, t.weight);
    const wq = fakeQuantize(w, qp.scale, qp.zeroPoint, qp.dtype, { axis: qp.axis, blockSize: qp.blockSize });
    let shift: Float64Array;
    try {
      shift = weightMeanShift(w.data as Float32Array, wq.data as Float32Array, w.dims, mean, t.layout);
    } catch {
      continue; // channel counts that do not match the weight: leave the bias as it is
    }
    if (shift.length !== b.size) continue;
    const old = b.data as Float32Array;
    const corrected = new Float32Array(old.length);
    for (let c = 0; c < old.length; c++) corrected[c] = old[c]! - shift[c]!;
    g.initializers.set(t.bias, new Tensor('float32', b.dims.slice(), corrected));
    done.push(t.bias);
  }
  return done;
}
