/**
 * Test helpers for placement policies: a tiny graph builder and static annotation for a
 * backend as the pipeline does it (graph preparation, then the policy), with uint8
 * activations and int8 per-channel weights. `annotateTiny` uses core's test backend.
 */
import { createGraph, type AttributeValue, type Graph, type Node } from '../../ir/graph.js';
import { Tensor } from '../../ir/tensor.js';
import type { DType } from '../../ir/dtype.js';
import { quantSpec, PER_TENSOR } from '../../spec/quantSpec.js';
import { annotateGraph } from '../annotate.js';
import type { Annotation } from '../annotation.js';
import type { BackendPlugin } from '../../backend/backend.js';
import { tinyBackend } from '../../test-support/tinyBackend.js';

/** A graph under construction; node names are given explicitly. */
export class TinyGraph {
  readonly graph: Graph = createGraph('tiny');

  /** A float (or `dtype`) graph input of `dims`. */
  input(name: string, dims: number[], dtype: DType = 'float32'): string {
    this.graph.inputs.push({ name, type: { kind: 'tensor', dtype, shape: dims } });
    return name;
  }

  /** An initializer. */
  init(name: string, t: Tensor): string {
    this.graph.initializers.set(name, t);
    return name;
  }

  /** A float32 initializer of `dims` holding `values` (repeated to fill). */
  floats(name: string, dims: number[], values: number[] = [0.5]): string {
    const n = dims.reduce((a, b) => a * b, 1);
    return this.init(name, new Tensor('float32', Float32Array.from({ length: n }, (_, i) => values[i % values.length]!), dims));
  }

  /** A node named `name`; `attrs` are tagged attribute values. */
  node(name: string, opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttributeValue> = {}): Node {
    const node: Node = { name, opType, domain: '', inputs, outputs, attributes: Object.entries(attrs).map(([k, value]) => ({ name: k, value })) };
    this.graph.nodes.push(node);
    return node;
  }

  /** A 1x1 Conv over 4 channels named `name`: a quantized producer of `out`. */
  conv(name: string, x: string, out: string): string {
    this.node(name, 'Conv', [x, this.floats(`${name}.w`, [4, 4, 1, 1], [0.5, -0.25])], [out]);
    return out;
  }

  /** An op without a quantization rule (Cos) named `name`: a float producer of `out`. */
  floatOp(name: string, x: string, out: string): string {
    this.node(name, 'Cos', [x], [out]);
    return out;
  }

  /** Declares `name` a graph output. */
  output(name: string): void {
    this.graph.outputs.push({ name, type: { kind: 'tensor', dtype: 'float32' } });
  }
}

/** Prepares (in place) and annotates `graph` for `backend` with uint8 activations and int8 symmetric per-channel weights. */
export function annotateFor(graph: Graph, backend: BackendPlugin): Annotation {
  const activationSpec = quantSpec({ dtype: 'uint8', symmetric: false, granularity: PER_TENSOR, observer: { kind: 'minmax' } });
  const weightSpec = quantSpec({ dtype: 'int8', symmetric: true, granularity: PER_TENSOR, observer: { kind: 'minmax' } });
  backend.prepare?.apply(graph, { activationSpec, weightSpec, isSkipped: () => false });
  const added = backend.prepare?.addedNodes;
  return annotateGraph(graph, { policy: backend.policy, activationSpec, weightSpec, perChannel: true, ...(added && { helperNodes: added }) });
}

/** Annotates `graph` for core's test backend (Conv, Gemm, MatMul, Add, Relu). */
export function annotateTiny(graph: Graph): Annotation {
  return annotateFor(graph, tinyBackend);
}

/**
 * The role of `value` in short form: 'activation', 'shared:<source>', 'weight' (per tensor),
 * 'weight:axis<k>', 'bias', or 'none' when it stays float.
 */
export function roleOf(ann: Annotation, value: string): string {
  const r = ann.tensors.get(value);
  if (!r) return 'none';
  if (r.kind === 'shared') return `shared:${r.source}`;
  if (r.kind === 'weight') return r.spec.granularity.kind === 'perAxis' ? `weight:axis${r.spec.granularity.axis}` : 'weight';
  return r.kind;
}

/** True when the node named `name` runs quantized (or folded into its producer). */
export function isQuantizedNode(ann: Annotation, name: string): boolean {
  return [...ann.quantized, ...ann.fused].some((n) => n.name === name);
}

/** The reason the node named `name` stays float, or undefined. */
export function floatReason(ann: Annotation, name: string): string | undefined {
  return ann.float.find((f) => f.name === name)?.reason;
}
