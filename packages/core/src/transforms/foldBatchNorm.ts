/**
 * Folds inference-mode BatchNormalization into the Conv, ConvTranspose or Gemm before
 * it: with `f = scale / sqrt(var + eps)` per output channel, the weights become
 * `W * f` and the bias `(b - mean) * f + beta` (created when absent). Math in float64,
 * results stored as float32.
 */
import { attrFloat, attrInt, setAttr, type Graph, type Model, type Node } from '../ir/graph.js';
import { biasInputIndex, channelGroups, resolveWeight, weightInputIndex } from '../opContracts/index.js';
import { GraphIndex, uniqueName, usedNames } from '../ir/graphIndex.js';
import { Tensor } from '../ir/tensor.js';
import { constantInitializers, dropUnread } from './graphUtil.js';

/** A per-output-channel affine map `y = f * y0 + shift` applied after a Conv, ConvTranspose or Gemm. */
export interface ChannelAffine {
  /** Per-channel multiplier (`scale / sqrt(var + eps)` for a BatchNormalization). */
  f: Float64Array;
  /** Per-channel shift: folded bias is `b * f + shift`. */
  shift: Float64Array;
}
type BnParams = ChannelAffine;

/** The reader lookups a fold needs: a GraphIndex, or a LiveIndex a pass keeps up to date. */
export type ReaderLookup = Pick<GraphIndex, 'consumers' | 'isGraphOutput'>;

/**
 * Folds every `Conv|ConvTranspose|Gemm -> BatchNormalization` pair where the BN is in
 * inference mode, its parameters and the producer's weights are float32 constants, and
 * the producer's output feeds only the BN. The producer takes over the BN's output name.
 * Mutates `model`; returns the number of BN nodes removed.
 * Example: Conv(x, W[16,3,3,3]) -> BN(16 channels) becomes Conv(x, W', b'[16]).
 */
export function foldBatchNorm(model: Model): number {
  const g = model.graph;
  const index = new GraphIndex(g);
  const constants = constantInitializers(g);
  const taken = usedNames(g);
  const removed = new Set<Node>();
  const touched = new Set<string>();
  for (const bn of g.nodes) {
    if (bn.opType !== 'BatchNormalization' || (bn.domain !== '' && bn.domain !== 'ai.onnx')) continue;
    const x = bn.inputs[0];
    const prod = x ? index.producer(x) : undefined;
    if (!prod || !x || prod.outputs[0] !== x || index.soleConsumer(x) !== bn) continue;
    if (prod.domain !== '' && prod.domain !== 'ai.onnx') continue;
    if (!['Conv', 'ConvTranspose', 'Gemm'].includes(prod.opType)) continue;
    const params = bnParams(bn, index, constants);
    if (!params) continue;
    const before = [...prod.inputs.slice(1, 3), ...bn.inputs.slice(1)];
    if (!foldInto(g, prod, params, index, constants, taken)) continue;
    for (const i of before) if (i) touched.add(i);
    prod.outputs[0] = bn.outputs[0]!;
    g.valueInfo.delete(x);
    removed.add(bn);
  }
  if (!removed.size) return 0;
  g.nodes = g.nodes.filter((n) => !removed.has(n));
  dropUnread(g, touched);
  return removed.size;
}

function floatConst(constants: Map<string, Tensor>, name: string | undefined): Tensor | undefined {
  const t = name ? constants.get(name) : undefined;
  return t?.dtype === 'float32' ? t : undefined;
}

function bnParams(bn: Node, index: GraphIndex, constants: Map<string, Tensor>): BnParams | undefined {
  if (attrInt(bn, 'training_mode', 0) !== 0 || attrInt(bn, 'spatial', 1) !== 1) return undefined;
  for (const o of bn.outputs.slice(1)) if (o && (index.consumers(o).length || index.isGraphOutput(o))) return undefined;
  const [scale, beta, mean, variance] = [1, 2, 3, 4].map((i) => floatConst(constants, bn.inputs[i]));
  if (!scale || !beta || !mean || !variance) return undefined;
  const c = scale.size;
  if ([beta, mean, variance].some((t) => t.size !== c) || scale.dims.length !== 1) return undefined;
  const eps = attrFloat(bn, 'epsilon', 1e-5);
  const f = new Float64Array(c);
  const shift = new Float64Array(c);
  const [s, b, m, v] = [scale, beta, mean, variance].map((t) => t.data as Float32Array) as [Float32Array, Float32Array, Float32Array, Float32Array];
  for (let i = 0; i < c; i++) {
    f[i] = s[i]! / Math.sqrt(v[i]! + eps);
    shift[i] = b[i]! - m[i]! * f[i]!;
  }
  return { f, shift };
}

/** Stores `t` under input `slot` of `node`: in place when only this node reads the name, else under a new name. */
function replaceInput(g: Graph, node: Node, slot: number, t: Tensor, index: ReaderLookup, taken: Set<string>, base: string): void {
  const old = node.inputs[slot];
  const exclusive = old && index.consumers(old).length === 1 && !index.isGraphOutput(old);
  const name = exclusive ? old : uniqueName(g, base, taken);
  while (node.inputs.length <= slot) node.inputs.push('');
  node.inputs[slot] = name;
  g.initializers.set(name, t);
}

/**
 * Folds `p` into the weights and bias of `prod` (Conv, ConvTranspose or Gemm; weights a
 * float32 constant, bias absent or a float32 constant). Returns false, changing
 * nothing, when shapes do not fit. New tensors replace the old in place when only `prod`
 * reads them, else get fresh names (a `_bnfold` suffix).
 */
export function foldChannelAffine(g: Graph, prod: Node, p: ChannelAffine, index: ReaderLookup, constants: Map<string, Tensor>, taken: Set<string>): boolean {
  return foldInto(g, prod, p, index, constants, taken);
}

function foldInto(g: Graph, prod: Node, p: BnParams, index: ReaderLookup, constants: Map<string, Tensor>, taken: Set<string>): boolean {
  const c = p.f.length;
  const wSlot = weightInputIndex(prod);
  const biasSlot = biasInputIndex(prod);
  const wName = wSlot === undefined ? undefined : prod.inputs[wSlot];
  const w = floatConst(constants, wName);
  if (!w || !wName || wSlot === undefined || biasSlot === undefined) return false;
  const hasBias = !!prod.inputs[biasSlot];
  const bias = hasBias ? floatConst(constants, prod.inputs[biasSlot]) : undefined;
  if (hasBias && !bias) return false;
  const wd = w.data as Float32Array;
  const nw = new Float32Array(wd.length);
  // channelOf(k) = output channel of weight element k.
  let channelOf: (k: number) => number;
  if (prod.opType === 'ConvTranspose') {
    // W [C, M/group, k...]: output channel g·(M/group) + j for input channel block g and axis-1 index j.
    const group = channelGroups(prod);
    const [cin, mg] = [w.dims[0]!, w.dims[1]!];
    if (w.dims.length < 3 || mg * group !== c || cin % group !== 0) return false;
    const inner = w.size / (cin * mg);
    const cinPerGroup = cin / group;
    channelOf = (k) => {
      const ci = Math.floor(k / (mg * inner));
      const j = Math.floor(k / inner) % mg;
      return Math.floor(ci / cinPerGroup) * mg + j;
    };
  } else {
    // Conv W [M, C/group, k...] and Gemm B [K, N] or [N, K]: every output channel on one axis.
    if (prod.opType === 'Gemm' && w.dims.length !== 2) return false;
    const axis = resolveWeight(prod, w.dims.length)?.channelAxis;
    if (axis === undefined || w.dims[axis] !== c) return false;
    const inner = w.dims.slice(axis + 1).reduce((a, d) => a * d, 1);
    channelOf = (k) => Math.floor(k / inner) % c;
  }
  let gemmBeta = 1;
  if (prod.opType === 'Gemm') {
    gemmBeta = attrFloat(prod, 'beta', 1);
    if (bias && !(bias.size === 1 || (bias.size === c && bias.dims[bias.dims.length - 1] === c && bias.dims.length <= 2))) return false;
  } else if (bias && bias.size !== c) return false;
  for (let k = 0; k < wd.length; k++) nw[k] = wd[k]! * p.f[channelOf(k)]!;
  const nb = new Float32Array(c);
  const bd = bias?.data as Float32Array | undefined;
  for (let i = 0; i < c; i++) {
    const b0 = bd ? bd[bd.length === 1 ? 0 : i]! * gemmBeta : 0;
    nb[i] = b0 * p.f[i]! + p.shift[i]!;
  }
  replaceInput(g, prod, wSlot, new Tensor('float32', nw, w.dims), index, taken, `${wName}_bnfold`);
  replaceInput(g, prod, biasSlot, new Tensor('float32', nb, [c]), index, taken, `${prod.name || wName}_bias_bnfold`);
  if (prod.opType === 'Gemm') setAttr(prod, 'beta', { kind: 'float', value: 1 });
  return true;
}
