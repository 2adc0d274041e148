/**
 * Tiny models built in code for the shape and transform tests.
 * Example: `model({ inputs: [['x', 'float32', ['N', 3]]], nodes: [['Relu', ['x'], ['y']]], outputs: ['y'] })`.
 */
import type { DType } from '../../ir/dtype.js';
import { createGraph, createModel, type AttributeValue, type Dim, type Model, type Node, type ValueInfo } from '../../ir/graph.js';
import type { Tensor } from '../../ir/tensor.js';

/** Attribute value constructors: `attr.i(1)`, `attr.f(0.5)`, `attr.is([1, 1])`, `attr.s('SAME_UPPER')`, `attr.t(tensor)`. */
export const attr = {
  i: (value: number): AttributeValue => ({ kind: 'int', value }),
  f: (value: number): AttributeValue => ({ kind: 'float', value }),
  is: (value: number[]): AttributeValue => ({ kind: 'ints', value }),
  fs: (value: number[]): AttributeValue => ({ kind: 'floats', value }),
  s: (value: string): AttributeValue => ({ kind: 'string', value }),
  t: (value: Tensor): AttributeValue => ({ kind: 'tensor', value }),
};

/** One node: op type, inputs, outputs, attributes, optional domain. */
export type NodeSpec = [opType: string, inputs: string[], outputs: string[], attrs?: Record<string, AttributeValue>, domain?: string];

/** A value declaration: name, dtype, shape (omit the shape for an unknown one). */
export type ValueSpec = [name: string, dtype: DType, shape?: Dim[]];

/** What `model` builds from. */
export interface ModelSpec {
  inputs: ValueSpec[];
  /** Output names (untyped) or typed declarations. */
  outputs: Array<string | ValueSpec>;
  nodes: NodeSpec[];
  initializers?: Record<string, Tensor>;
  opset?: number;
}

/** Builds a model; nodes are named `<opType>_<index>`. */
export function model(spec: ModelSpec): Model {
  const g = createGraph('test');
  g.inputs = spec.inputs.map(valueInfo);
  g.outputs = spec.outputs.map((o) => (typeof o === 'string' ? { name: o } : valueInfo(o)));
  for (const [k, t] of Object.entries(spec.initializers ?? {})) g.initializers.set(k, t);
  g.nodes = spec.nodes.map(([opType, inputs, outputs, attrs, domain], i): Node => ({
    name: `${opType}_${i}`,
    opType,
    domain: domain ?? '',
    inputs,
    outputs,
    attributes: Object.entries(attrs ?? {}).map(([name, value]) => ({ name, value })),
  }));
  return createModel(g, spec.opset ?? 17);
}

function valueInfo([name, dtype, shape]: ValueSpec): ValueInfo {
  return { name, type: { kind: 'tensor', dtype, ...(shape ? { shape } : {}) } };
}

/** The inferred (or declared) tensor type of `name`: value info first, then graph outputs. */
export function typeOf(m: Model, name: string): { dtype: DType; shape?: Dim[] } | undefined {
  const v = m.graph.valueInfo.get(name) ?? m.graph.outputs.find((o) => o.name === name);
  return v?.type?.kind === 'tensor' ? v.type : undefined;
}

/** The inferred shape of `name` (undefined when unknown). */
export function shapeOf(m: Model, name: string): Dim[] | undefined {
  return typeOf(m, name)?.shape;
}
