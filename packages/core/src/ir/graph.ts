/**
 * The core IR: Model, Graph, Node, ValueInfo and attributes.
 * Names connect nodes: a node's `inputs` and `outputs` are value names, `''` marks an
 * omitted optional input. Subgraphs (If/Loop/Scan bodies) are Graphs inside attributes.
 */
import type { DType } from './dtype.js';
import type { Tensor } from './tensor.js';

/** One dimension: a size, a symbolic name such as `'batch'`, or `null` when unknown. */
export type Dim = number | string | null;

/** The type of a value: a tensor with optional shape, or a non-tensor type kept as decoded. */
export type ValueType =
  | { kind: 'tensor'; dtype: DType; shape?: Dim[]; denotation?: string }
  | { kind: 'opaque'; proto: unknown };

/** A named, typed value: graph input/output or value_info entry. */
export interface ValueInfo {
  name: string;
  type?: ValueType;
  docString?: string;
  /** Fields the IR does not interpret (metadata_props), kept for the round trip. */
  extra?: Record<string, unknown>;
}

/** An attribute's value, tagged by ONNX attribute kind. */
export type AttributeValue =
  | { kind: 'float'; value: number }
  /** `exact` holds the int64 as read when `value` could not (outside ±2^53); writers prefer it while it still matches `value`. */
  | { kind: 'int'; value: number; exact?: bigint }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; value: Tensor }
  | { kind: 'graph'; value: Graph }
  | { kind: 'floats'; value: number[] }
  /** `exact`, when set, holds every element as read (some were outside ±2^53), as for 'int'. */
  | { kind: 'ints'; value: number[]; exact?: bigint[] }
  | { kind: 'strings'; value: string[] }
  | { kind: 'tensors'; value: Tensor[] }
  | { kind: 'graphs'; value: Graph[] }
  /** sparse tensors and type protos, kept as decoded protobuf objects */
  | { kind: 'opaque'; type: number; proto: Record<string, unknown> };

/** A named attribute; `refAttrName` is set inside function bodies. */
export interface Attribute {
  name: string;
  value: AttributeValue;
  docString?: string;
  refAttrName?: string;
}

/** One operator application. `domain` is `''` for the default ONNX domain. */
export interface Node {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Attribute[];
  docString?: string;
  /** Fields the IR does not interpret (overload, metadata_props), kept for the round trip. */
  extra?: Record<string, unknown>;
}

/** A computation graph: nodes, inputs, outputs, initializers (constant tensors). */
export interface Graph {
  name: string;
  nodes: Node[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  initializers: Map<string, Tensor>;
  valueInfo: Map<string, ValueInfo>;
  docString?: string;
  /** Fields the IR does not interpret (sparse initializers, quantization annotations, metadata). */
  extra?: Record<string, unknown>;
}

/** A whole model: opset imports by domain, metadata, the main graph. */
export interface Model {
  irVersion: number;
  /** domain → opset version; `''` is the default ONNX domain. */
  opsetImports: Map<string, number>;
  producerName?: string;
  producerVersion?: string;
  domain?: string;
  modelVersion?: number;
  docString?: string;
  metadata: Map<string, string>;
  graph: Graph;
  /** Fields the IR does not interpret (functions, training info), kept for the round trip. */
  extra?: Record<string, unknown>;
}

/** An empty graph with the given name. */
export function createGraph(name = 'main'): Graph {
  return { name, nodes: [], inputs: [], outputs: [], initializers: new Map(), valueInfo: new Map() };
}

/** A model around `graph`, importing the default domain at `opset` (IR version 8 by default). */
export function createModel(graph: Graph, opset = 17, irVersion = 8): Model {
  return { irVersion, opsetImports: new Map([['', opset]]), producerName: 'qtk', metadata: new Map(), graph };
}

/** The attribute `name` of a node, or undefined. */
export function getAttr(node: Node, name: string): AttributeValue | undefined {
  return node.attributes.find((a) => a.name === name)?.value;
}

/** Integer attribute, or `fallback` when absent. */
export function attrInt(node: Node, name: string, fallback: number): number;
export function attrInt(node: Node, name: string): number | undefined;
export function attrInt(node: Node, name: string, fallback?: number): number | undefined {
  const a = getAttr(node, name);
  return a?.kind === 'int' ? a.value : fallback;
}

/** Float attribute, or `fallback` when absent. */
export function attrFloat(node: Node, name: string, fallback: number): number {
  const a = getAttr(node, name);
  return a?.kind === 'float' ? a.value : fallback;
}

/** Integer-list attribute, or `fallback` when absent. */
export function attrInts(node: Node, name: string): number[] | undefined;
export function attrInts(node: Node, name: string, fallback: number[]): number[];
export function attrInts(node: Node, name: string, fallback?: number[]): number[] | undefined {
  const a = getAttr(node, name);
  return a?.kind === 'ints' ? a.value : fallback;
}

/** String attribute, or `fallback` when absent. */
export function attrString(node: Node, name: string, fallback: string): string {
  const a = getAttr(node, name);
  return a?.kind === 'string' ? a.value : fallback;
}

/** Sets (replacing) an attribute on a node. */
export function setAttr(node: Node, name: string, value: AttributeValue): void {
  const i = node.attributes.findIndex((a) => a.name === name);
  if (i >= 0) node.attributes[i] = { name, value };
  else node.attributes.push({ name, value });
}

/** The subgraphs held by a node's attributes (If branches, Loop/Scan bodies). */
export function subgraphsOf(node: Node): Graph[] {
  const out: Graph[] = [];
  for (const a of node.attributes) {
    if (a.value.kind === 'graph') out.push(a.value.value);
    else if (a.value.kind === 'graphs') out.push(...a.value.value);
  }
  return out;
}
