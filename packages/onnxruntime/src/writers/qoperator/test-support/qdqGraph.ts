/**
 * Test helper: builds small QDQ graphs by hand (Q → DQ around activations, DQ behind
 * integer initializers), with scale/zero-point initializers named `<value>_scale` and
 * `<value>_zero_point`.
 */
import { createGraph, createModel, type Attribute, type Graph, type Model, Tensor, type DType } from '@qtk/core';

/** Quantization parameters of one hand-built tensor. */
export interface TestQParams {
  scale: number | number[];
  zeroPoint: number | number[];
  dtype: DType;
  axis?: number;
}

/** Builds a QDQ graph node by node. */
export class QdqGraphBuilder {
  readonly graph: Graph = createGraph('qdq');
  private count = 0;

  /** `qdqDomain` is where Q/DQ nodes live: '' (ONNX) or 'com.microsoft' (models before opset 13). */
  constructor(private readonly opset = 17, private readonly qdqDomain = '') {}

  /** Declares a float graph input. */
  input(name: string, shape: number[]): string {
    this.graph.inputs.push({ name, type: { kind: 'tensor', dtype: 'float32', shape } });
    return name;
  }

  /** Declares a graph output (float unless `dtype`). */
  output(name: string, dtype: DType = 'float32'): void {
    this.graph.outputs.push({ name, type: { kind: 'tensor', dtype } });
  }

  /** Scale and zero-point initializers for `p`, named after `base`; returns their names. */
  params(base: string, p: TestQParams): [string, string] {
    const scales = Array.isArray(p.scale) ? p.scale : [p.scale];
    const zps = Array.isArray(p.zeroPoint) ? p.zeroPoint : [p.zeroPoint];
    const dims = p.axis === undefined ? [] : [scales.length];
    const zp = Tensor.zeros(p.dtype, dims);
    zps.forEach((z, i) => zp.set(i, z));
    this.graph.initializers.set(`${base}_scale`, new Tensor('float32', Float32Array.from(scales), dims));
    this.graph.initializers.set(`${base}_zero_point`, zp);
    return [`${base}_scale`, `${base}_zero_point`];
  }

  /** Adds a node; returns its first output. */
  node(opType: string, inputs: string[], outputs: string[], attributes: Attribute[] = [], domain = ''): string {
    this.graph.nodes.push({ name: `${opType.toLowerCase()}_${this.count++}`, opType, domain, inputs, outputs, attributes });
    return outputs[0]!;
  }

  /** QuantizeLinear → DequantizeLinear after float `v`; returns the dequantized name (`<v>_dq`). */
  qdq(v: string, p: TestQParams): string {
    const [s, z] = this.params(v, p);
    this.node('QuantizeLinear', [v, s, z], [`${v}_q`], this.axisAttr(p), this.qdqDomain);
    return this.node('DequantizeLinear', [`${v}_q`, s, z], [`${v}_dq`], this.axisAttr(p), this.qdqDomain);
  }

  /** An integer initializer `name` behind DequantizeLinear; returns the dequantized name. */
  weight(name: string, dims: number[], values: number[], p: TestQParams): string {
    const t = Tensor.zeros(p.dtype, dims);
    values.forEach((v, i) => t.set(i, v));
    this.graph.initializers.set(name, t);
    const [s, z] = this.params(name, p);
    const inputs = p.dtype === 'int32' ? [name, s] : [name, s, z];
    if (p.dtype === 'int32') this.graph.initializers.delete(z);
    return this.node('DequantizeLinear', inputs, [`${name}_dq`], this.axisAttr(p), this.qdqDomain);
  }

  /** A float initializer. */
  constant(name: string, dims: number[], values: number[]): string {
    this.graph.initializers.set(name, new Tensor('float32', Float32Array.from(values), dims));
    return name;
  }

  /** The model at the builder's opset. */
  model(): Model {
    const m = createModel(this.graph, this.opset);
    if (this.qdqDomain) m.opsetImports.set(this.qdqDomain, 1);
    return m;
  }

  private axisAttr(p: TestQParams): Attribute[] {
    return p.axis === undefined ? [] : [{ name: 'axis', value: { kind: 'int', value: p.axis } }];
  }
}

/** Shorthand for uint8 per-tensor parameters. */
export const u8p = (scale: number, zeroPoint: number): TestQParams => ({ scale, zeroPoint, dtype: 'uint8' });
