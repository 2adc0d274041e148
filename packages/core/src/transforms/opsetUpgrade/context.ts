/**
 * What an op adapter sees while `upgradeOpset` rewrites one node: the versions, the
 * graph the node lives in, fresh names and a place for the nodes it adds.
 */
import { QtkError } from '../../errors/QtkError.js';
import { getAttr, type Attribute, type AttributeValue, type Graph, type Node } from '../../ir/graph.js';
import { uniqueName } from '../../ir/graphIndex.js';
import type { DType } from '../../ir/dtype.js';
import type { Tensor } from '../../ir/tensor.js';
import type { TensorInfo } from '../../shape/types.js';

/** One node's rewrite: nodes to place before it and after it in the node list. */
export class UpgradeContext {
  /** Nodes that must run before the node being rewritten (inserted in order). */
  readonly before: Node[] = [];
  /** Nodes that read the node's outputs (inserted after it, in order). */
  readonly after: Node[] = [];

  constructor(
    /** The default-domain opset the model had. */
    readonly from: number,
    /** The opset being upgraded to. */
    readonly to: number,
    /** The graph holding the node (the main graph or a subgraph). */
    readonly graph: Graph,
    /** Names used anywhere in the model, shared by all graphs so subgraph names never shadow outer ones. */
    private readonly taken: Set<string>,
    /** Types inference found before the upgrade (main graph only; empty for subgraphs). */
    private readonly types: ReadonlyMap<string, TensorInfo>,
    /** Names the graph reads (node inputs, subgraph reads, graph outputs) before the rewrite. */
    private readonly reads: ReadonlySet<string>,
  ) {}

  /** True when some node or graph output reads `value`. */
  isRead(value: string): boolean {
    return this.reads.has(value);
  }

  /** True when the model's opset is below `version` and the target reaches it: the op's version `version` applies. */
  crosses(version: number): boolean {
    return this.from < version && this.to >= version;
  }

  /** A fresh name based on `base`. */
  name(base: string): string {
    return uniqueName(this.graph, base, this.taken);
  }

  /** Adds `t` as an initializer of the node's graph under a fresh name; returns the name. */
  constant(base: string, t: Tensor): string {
    const n = this.name(base);
    this.graph.initializers.set(n, t);
    return n;
  }

  /** Creates a default-domain node named after `base`; the caller places it in `before` or `after`. */
  makeNode(base: string, opType: string, inputs: string[], outputs: string[], attributes: Attribute[] = []): Node {
    return { name: this.name(base), opType, domain: '', inputs, outputs, attributes };
  }

  /** The rank of `value` when shape inference knew it. */
  rank(value: string): number | undefined {
    return this.types.get(value)?.shape?.length;
  }

  /** The element type of `value` when known: from inference, or an initializer of the node's graph. */
  dtype(value: string): DType | undefined {
    return this.types.get(value)?.dtype ?? this.graph.initializers.get(value)?.dtype;
  }

  /** The constant tensor behind `value` when it is an initializer of the node's graph (not an input). */
  constantValue(value: string): Tensor | undefined {
    if (this.graph.inputs.some((v) => v.name === value)) return undefined;
    return this.graph.initializers.get(value);
  }

  /** An E_UNSUPPORTED error naming `node` and why its upgrade is not possible. */
  unsupported(node: Node, why: string): QtkError {
    return new QtkError('E_UNSUPPORTED', `cannot upgrade ${node.opType} node '${node.name}' from opset ${this.from} to ${this.to}: ${why}`, { node: node.name });
  }
}

/** Removes attribute `name` from `node` and returns its value (undefined when absent). */
export function takeAttr(node: Node, name: string): AttributeValue | undefined {
  const v = getAttr(node, name);
  node.attributes = node.attributes.filter((a) => a.name !== name);
  return v;
}

/** Sets input `i` of `node`, padding skipped optional inputs with `''`. */
export function setInput(node: Node, i: number, value: string): void {
  while (node.inputs.length < i) node.inputs.push('');
  node.inputs[i] = value;
}

/** Drops trailing omitted (`''`) inputs. */
export function trimInputs(node: Node): void {
  while (node.inputs.length && node.inputs[node.inputs.length - 1] === '') node.inputs.pop();
}
