/**
 * A small graph builder over core's IR for test and benchmark models, plus a seeded PRNG.
 * Names follow torch.onnx.export: nodes `'/layer1/layer1.0/conv1/Conv'`, their outputs
 * `'<node name>_output_<i>'`, initializers `'layer1.0.conv1.weight'`.
 * Example: `const b = new GraphBuilder('g', 0); const x = b.input('x', 'float32', ['N', 3]);`
 */
import { Tensor, createGraph, createModel, type Attribute, type AttributeValue, type DType, type Dim, type Graph, type Model } from '@qtk/core';

/** Seeded PRNG: mulberry32 for uniforms, Box-Muller for normals. Same seed, same stream. */
export class Rng {
  private state: number;
  private spare: number | undefined;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniform number in [0, 1). */
  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A standard normal number (Box-Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    const u1 = 1 - this.uniform(); // (0, 1]: log() stays finite
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** `n` draws of N(mean, std²) as float32. */
  normalArray(n: number, mean = 0, std = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = mean + std * this.normal();
    return out;
  }

  /** `n` draws of U[lo, hi) as float32. */
  uniformArray(n: number, lo = 0, hi = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * this.uniform();
    return out;
  }

  /** `n` integers uniform in [lo, hi) as int64 (token ids). */
  intArray(n: number, lo: number, hi: number): BigInt64Array {
    const out = new BigInt64Array(n);
    for (let i = 0; i < n; i++) out[i] = BigInt(lo + Math.floor((hi - lo) * this.uniform()));
    return out;
  }
}

/**
 * An attribute value: a tagged `AttributeValue`, or a plain value whose kind is inferred
 * (integer → int, other number → float, number[] → ints, string, Tensor → tensor).
 * Write `{ kind: 'float', value: 1 }` for a float that happens to be integral.
 */
export type AttrInput = AttributeValue | number | number[] | string | Tensor;

function toAttrValue(v: AttrInput): AttributeValue {
  if (typeof v === 'number') return Number.isInteger(v) ? { kind: 'int', value: v } : { kind: 'float', value: v };
  if (typeof v === 'string') return { kind: 'string', value: v };
  if (Array.isArray(v)) return { kind: 'ints', value: v };
  if (v instanceof Tensor) return { kind: 'tensor', value: v };
  return v;
}

/** Options of `GraphBuilder.node`. */
export interface NodeOptions {
  /** Node name; made unique with `_1`, `_2`… as torch does. Default `'/<opType>'`. */
  name?: string;
  attrs?: Record<string, AttrInput>;
  /** Output count (named `<node>_output_<i>`) or explicit output names. Default 1. */
  outputs?: number | string[];
  domain?: string;
}

/** BatchNormalization parameters of one layer (eval mode: running statistics). */
export interface BnParams {
  gamma: Float32Array;
  beta: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
  epsilon: number;
}

/** Options of `GraphBuilder.convBn`: one Conv followed by a BatchNormalization. */
export interface ConvBnOptions {
  /** Module path of the conv, e.g. `'/layer1/layer1.0/conv1'` (node `<path>/Conv`). */
  convPath: string;
  /** Parameter prefix of the conv, e.g. `'layer1.0.conv1'`. */
  convParam: string;
  /** Module path of the BN, e.g. `'/layer1/layer1.0/bn1'`. */
  bnPath: string;
  /** Parameter prefix of the BN, e.g. `'layer1.0.bn1'`. */
  bnParam: string;
  inCh: number;
  outCh: number;
  kernel: number;
  stride?: number;
  pad?: number;
  group?: number;
  /** Fold the BN into the conv's weight and bias (as torch.onnx.export's constant folding does). */
  fold: boolean;
  /** Kaiming gain; sqrt(2) (ReLU) by default. */
  gain?: number;
}

/** Predicted mean and variance of a value, for weight initialisation only. */
export interface Stats {
  mean: number;
  var: number;
}

/** Error function (Abramowitz-Stegun 7.1.26, |error| < 1.5e-7). */
function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

/** Mean and variance of relu(x) for x ~ N(mean, var) (rectified Gaussian). */
export function reluStats(st: Stats): Stats {
  const sd = Math.sqrt(Math.max(st.var, 1e-12));
  const z = st.mean / sd;
  const cdf = 0.5 * (1 + erf(z / Math.SQRT2));
  const pdf = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  const m1 = st.mean * cdf + sd * pdf;
  const m2 = (st.mean * st.mean + st.var) * cdf + st.mean * sd * pdf;
  return { mean: m1, var: Math.max(m2 - m1 * m1, 0) };
}

/** Element count of a shape. */
function numel(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Builds one Graph: inputs, outputs, initializers and nodes with unique names. */
export class GraphBuilder {
  readonly graph: Graph;
  readonly rng: Rng;
  private readonly nodeNames = new Set<string>();
  private readonly scalars = new Map<string, string>();
  /** Predicted mean and variance of values (over data and channels), used to set BN running_var. */
  private readonly stats = new Map<string, Stats>();

  constructor(name: string, seed: number) {
    this.graph = createGraph(name);
    this.rng = new Rng(seed);
  }

  /** Declares a graph input; returns its name. */
  input(name: string, dtype: DType, shape: Dim[]): string {
    this.graph.inputs.push({ name, type: { kind: 'tensor', dtype, shape } });
    return name;
  }

  /** Declares a graph output. */
  output(name: string, dtype: DType, shape: Dim[]): void {
    this.graph.outputs.push({ name, type: { kind: 'tensor', dtype, shape } });
  }

  /** Adds an initializer; a taken name gets `_1`, `_2`… Returns the name used. */
  initializer(name: string, tensor: Tensor): string {
    let n = name;
    for (let i = 1; this.graph.initializers.has(n); i++) n = `${name}_${i}`;
    this.graph.initializers.set(n, tensor);
    return n;
  }

  /** A shared float32 scalar initializer (one per value), e.g. Clip bounds or Gelu constants. */
  scalar(value: number, dtype: DType = 'float32'): string {
    const key = `${dtype}:${value}`;
    let name = this.scalars.get(key);
    if (!name) {
      name = this.initializer(`const_${dtype}_${String(value).replace('-', 'm').replace('.', 'p')}`, Tensor.scalar(dtype, value));
      this.scalars.set(key, name);
    }
    return name;
  }

  /** A unique node name from `base`: `base`, then `base_1`, `base_2`… (torch's `/Add`, `/Add_1`). */
  private uniqueNodeName(base: string): string {
    if (!this.nodeNames.has(base)) return base;
    for (let i = 1; ; i++) {
      const cand = `${base}_${i}`;
      if (!this.nodeNames.has(cand)) return cand;
    }
  }

  /** Adds a node; returns its output names. */
  node(opType: string, inputs: string[], opts: NodeOptions = {}): string[] {
    const name = this.uniqueNodeName(opts.name ?? `/${opType}`);
    this.nodeNames.add(name);
    const outSpec = opts.outputs ?? 1;
    const outputs = typeof outSpec === 'number' ? Array.from({ length: outSpec }, (_, i) => `${name}_output_${i}`) : outSpec;
    const attributes: Attribute[] = Object.entries(opts.attrs ?? {}).map(([n, v]) => ({ name: n, value: toAttrValue(v) }));
    this.graph.nodes.push({ name, opType, domain: opts.domain ?? '', inputs, outputs, attributes });
    const st = inputs[0] === undefined ? undefined : this.stats.get(inputs[0]);
    if (st !== undefined && outputs.length === 1) this.stats.set(outputs[0]!, st);
    return outputs;
  }

  /** Adds a single-output node; returns the output name. */
  op(opType: string, inputs: string[], opts: NodeOptions = {}): string {
    return this.node(opType, inputs, opts)[0]!;
  }

  /** Predicted mean and variance of a value (N(0,1) when unknown); other ops pass their first input's on. */
  statsOf(name: string): Stats {
    return this.stats.get(name) ?? { mean: 0, var: 1 };
  }

  /** Overrides the predicted mean and variance of a value (e.g. after a MaxPool). */
  setStats(name: string, st: Stats): void {
    this.stats.set(name, st);
  }

  /** A Constant node holding `value` (the way an export without constant folding writes shape values). */
  constant(value: Tensor, name = '/Constant'): string {
    return this.op('Constant', [], { name, attrs: { value } });
  }

  /** A float32 initializer of Kaiming-normal values: N(0, gain²/fanIn). */
  kaiming(name: string, dims: number[], fanIn: number, gain = Math.SQRT2): string {
    return this.initializer(name, Tensor.fromFloat32(this.rng.normalArray(numel(dims), 0, gain / Math.sqrt(fanIn)), dims));
  }

  /**
   * Draws BN parameters: gamma ~ N(1, 0.1²), beta ~ N(0, 0.05²), running_mean ~ N(0, 0.05²),
   * running_var = `inputVar` x U[0.8, 1.2). With `inputVar` the predicted variance of the BN's
   * input, BN normalises as it would after training, and activations stay O(1) at any depth.
   */
  bnParams(channels: number, inputVar = 1, epsilon = 1e-5): BnParams {
    return {
      gamma: this.rng.normalArray(channels, 1, 0.1),
      beta: this.rng.normalArray(channels, 0, 0.05),
      mean: this.rng.normalArray(channels, 0, 0.05),
      variance: this.rng.uniformArray(channels, 0.8 * inputVar, 1.2 * inputVar),
      epsilon,
    };
  }

  /** A BatchNormalization node (eval mode) with `<param>.weight/.bias/.running_mean/.running_var`. */
  batchNorm(x: string, path: string, param: string, p: BnParams): string {
    const c = p.gamma.length;
    const ins = [
      this.initializer(`${param}.weight`, Tensor.fromFloat32(p.gamma, [c])),
      this.initializer(`${param}.bias`, Tensor.fromFloat32(p.beta, [c])),
      this.initializer(`${param}.running_mean`, Tensor.fromFloat32(p.mean, [c])),
      this.initializer(`${param}.running_var`, Tensor.fromFloat32(p.variance, [c])),
    ];
    return this.op('BatchNormalization', [x, ...ins], {
      name: `${path}/BatchNormalization`,
      attrs: { epsilon: { kind: 'float', value: p.epsilon }, momentum: { kind: 'float', value: 0.9 } },
    });
  }

  /** A Conv node with torch's attribute set; `bias` optional. */
  conv(x: string, path: string, weight: string, bias: string | undefined, o: { kernel: number; stride?: number; pad?: number; group?: number }): string {
    const p = o.pad ?? 0;
    const s = o.stride ?? 1;
    return this.op('Conv', bias ? [x, weight, bias] : [x, weight], {
      name: `${path}/Conv`,
      attrs: { dilations: [1, 1], group: o.group ?? 1, kernel_shape: [o.kernel, o.kernel], pads: [p, p, p, p], strides: [s, s] },
    });
  }

  /**
   * Conv (Kaiming-normal weight, no bias) + BatchNormalization, or the folded Conv with bias.
   * Draws the same random numbers either way, so fold and no-fold models of one seed agree.
   * running_var is set near the conv output's predicted second moment, gain² x E[x²] of the
   * input, so the BN output has unit scale (with running_var ~ 1, ResNet18's activations grow ~30x).
   */
  convBn(x: string, o: ConvBnOptions): string {
    const group = o.group ?? 1;
    const inPerGroup = o.inCh / group;
    const dims = [o.outCh, inPerGroup, o.kernel, o.kernel];
    const fanIn = inPerGroup * o.kernel * o.kernel;
    const w = this.rng.normalArray(numel(dims), 0, (o.gain ?? Math.SQRT2) / Math.sqrt(fanIn));
    const gain = o.gain ?? Math.SQRT2;
    const sx = this.statsOf(x);
    const bn = this.bnParams(o.outCh, gain * gain * (sx.mean * sx.mean + sx.var));
    const convOpts = { kernel: o.kernel, stride: o.stride, pad: o.pad, group };
    let y: string;
    if (!o.fold) {
      const wName = this.initializer(`${o.convParam}.weight`, Tensor.fromFloat32(w, dims));
      y = this.batchNorm(this.conv(x, o.convPath, wName, undefined, convOpts), o.bnPath, o.bnParam, bn);
    } else {
      const { weight, bias } = foldBn(w, o.outCh, undefined, bn);
      const wName = this.initializer(`${o.convParam}.weight`, Tensor.fromFloat32(weight, dims));
      const bName = this.initializer(`${o.convParam}.bias`, Tensor.fromFloat32(bias, [o.outCh]));
      y = this.conv(x, o.convPath, wName, bName, convOpts);
    }
    this.stats.set(y, { mean: 0, var: 1 });
    return y;
  }

  /** A Relu node at `<path>/Relu`. */
  relu(x: string, path: string): string {
    const y = this.op('Relu', [x], { name: `${path}/Relu` });
    this.stats.set(y, reluStats(this.statsOf(x)));
    return y;
  }

  /** ReLU6 as opset-17 Clip with shared scalar min/max initializers, at `<path>/Clip`. */
  relu6(x: string, path: string): string {
    const y = this.op('Clip', [x, this.scalar(0), this.scalar(6)], { name: `${path}/Clip` });
    this.stats.set(y, reluStats(this.statsOf(x)));
    return y;
  }

  /** An elementwise Add node named `name` (inputs taken as independent for the predicted stats). */
  add(a: string, b: string, name: string): string {
    const y = this.op('Add', [a, b], { name });
    const sa = this.statsOf(a);
    const sb = this.statsOf(b);
    this.stats.set(y, { mean: sa.mean + sb.mean, var: sa.var + sb.var });
    return y;
  }

  /**
   * Gemm with transB=1 (torch Linear): weight [out, in] N(0, 1/in), bias N(0, 0.01²).
   * `output` names the result (e.g. the graph output).
   */
  linear(x: string, path: string, param: string, inF: number, outF: number, output?: string): string {
    const w = this.kaiming(`${param}.weight`, [outF, inF], inF, 1);
    const b = this.initializer(`${param}.bias`, Tensor.fromFloat32(this.rng.normalArray(outF, 0, 0.01), [outF]));
    return this.op('Gemm', [x, w, b], {
      name: `${path}/Gemm`,
      attrs: { alpha: { kind: 'float', value: 1 }, beta: { kind: 'float', value: 1 }, transB: 1 },
      outputs: output ? [output] : 1,
    });
  }

  /**
   * MatMul by a weight stored [in, out] (as torch exports Linear on 3-D input) then Add bias.
   * Weight N(0, gain²/in); bias N(0, 0.01²). Nodes `<path>/MatMul`, `<path>/Add`.
   */
  matmulAdd(x: string, path: string, param: string, inF: number, outF: number, gain = 1, output?: string): string {
    const w = this.kaiming(`${param}.weight`, [inF, outF], inF, gain);
    const b = this.initializer(`${param}.bias`, Tensor.fromFloat32(this.rng.normalArray(outF, 0, 0.01), [outF]));
    const y = this.op('MatMul', [x, w], { name: `${path}/MatMul` });
    return this.op('Add', [b, y], { name: `${path}/Add`, outputs: output ? [output] : 1 });
  }

  /** The model around the graph (opset 17, IR version 8, producer 'qtk-tools-models'). */
  model(opset = 17): Model {
    const m = createModel(this.graph, opset, 8);
    m.producerName = 'qtk-tools-models';
    return m;
  }
}

/**
 * Folds eval-mode BN into a conv/linear weight laid out [outCh, ...]:
 * W' = W·γ/√(σ²+ε) per output channel, b' = β + (b − μ)·γ/√(σ²+ε).
 */
export function foldBn(weight: Float32Array, outCh: number, bias: Float32Array | undefined, bn: BnParams): { weight: Float32Array; bias: Float32Array } {
  const per = weight.length / outCh;
  const w = new Float32Array(weight.length);
  const b = new Float32Array(outCh);
  for (let c = 0; c < outCh; c++) {
    const scale = bn.gamma[c]! / Math.sqrt(bn.variance[c]! + bn.epsilon);
    for (let i = 0; i < per; i++) w[c * per + i] = weight[c * per + i]! * scale;
    b[c] = bn.beta[c]! + ((bias?.[c] ?? 0) - bn.mean[c]!) * scale;
  }
  return { weight: w, bias: b };
}

/**
 * Trainable-parameter count the way torch's `sum(p.numel() for p in model.parameters())`
 * counts: float initializers of rank ≥ 1, without BN running statistics (BN inputs 3 and 4).
 * Scalars (Clip bounds, Gelu constants) and integer shape tensors are not counted.
 */
export function countParameters(model: Model): number {
  const g = model.graph;
  const stats = new Set<string>();
  for (const n of g.nodes) if (n.opType === 'BatchNormalization') for (const i of n.inputs.slice(3)) stats.add(i);
  let total = 0;
  for (const [name, t] of g.initializers) {
    if (t.dims.length === 0 || stats.has(name)) continue;
    if (t.dtype === 'float32' || t.dtype === 'float16' || t.dtype === 'bfloat16' || t.dtype === 'float64') total += t.size;
  }
  return total;
}
