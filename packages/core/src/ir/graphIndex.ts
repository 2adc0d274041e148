/**
 * Producer/consumer lookups, topological order and chain matching over a Graph.
 * An index is a snapshot: rebuild it after changing the graph.
 */
import { QtkError } from '../errors/QtkError.js';
import { subgraphsOf, type Graph, type Node } from './graph.js';

/** Names a subgraph reads from enclosing scopes (free variables), recursively. */
export function outerReads(g: Graph): Set<string> {
  const local = new Set<string>([...g.inputs.map((v) => v.name), ...g.initializers.keys()]);
  for (const n of g.nodes) for (const o of n.outputs) local.add(o);
  const reads = new Set<string>();
  for (const n of g.nodes) {
    for (const i of n.inputs) if (i && !local.has(i)) reads.add(i);
    for (const sg of subgraphsOf(n)) for (const r of outerReads(sg)) if (!local.has(r)) reads.add(r);
  }
  for (const o of g.outputs) if (!local.has(o.name)) reads.add(o.name);
  return reads;
}

/** All value names a node reads: its inputs plus what its subgraphs read from outside. */
export function nodeReads(n: Node): string[] {
  const reads = n.inputs.filter((i) => i !== '');
  for (const sg of subgraphsOf(n)) for (const r of outerReads(sg)) reads.push(r);
  return reads;
}

/** Lookup tables over one graph's nodes. */
export class GraphIndex {
  private readonly producers = new Map<string, Node>();
  private readonly readers = new Map<string, Node[]>();
  private readonly outputs: Set<string>;

  constructor(readonly graph: Graph) {
    for (const n of graph.nodes) {
      for (const o of n.outputs) if (o) this.producers.set(o, n);
      for (const i of new Set(nodeReads(n))) {
        const list = this.readers.get(i);
        if (list) list.push(n);
        else this.readers.set(i, [n]);
      }
    }
    this.outputs = new Set(graph.outputs.map((o) => o.name));
  }

  /** The node that produces `value`, or undefined for inputs and initializers. */
  producer(value: string): Node | undefined {
    return this.producers.get(value);
  }

  /** The nodes that read `value` (each once). */
  consumers(value: string): readonly Node[] {
    return this.readers.get(value) ?? [];
  }

  /** True when `value` is a graph output. */
  isGraphOutput(value: string): boolean {
    return this.outputs.has(value);
  }

  /** True when `value` is an initializer of this graph. */
  isConstant(value: string): boolean {
    return this.graph.initializers.has(value);
  }

  /** The single consumer of `value` when it has exactly one and is no graph output. */
  soleConsumer(value: string): Node | undefined {
    const c = this.consumers(value);
    return c.length === 1 && !this.isGraphOutput(value) ? c[0] : undefined;
  }
}

/** Nodes in an order where each comes after the producers of what it reads; throws E_GRAPH on a cycle. */
export function topologicalSort(graph: Graph): Node[] {
  const index = new GraphIndex(graph);
  const pending = new Map<Node, number>();
  const ready: Node[] = [];
  for (const n of graph.nodes) {
    const deps = new Set(nodeReads(n).map((r) => index.producer(r)).filter((p): p is Node => p !== undefined && p !== n));
    pending.set(n, deps.size);
    if (deps.size === 0) ready.push(n);
  }
  const order: Node[] = [];
  // Stable: process in original order among ready nodes.
  const position = new Map(graph.nodes.map((n, i) => [n, i]));
  while (ready.length) {
    ready.sort((a, b) => position.get(b)! - position.get(a)!);
    const n = ready.pop()!;
    order.push(n);
    const seen = new Set<Node>();
    for (const o of n.outputs) {
      for (const c of index.consumers(o)) {
        if (seen.has(c) || c === n) continue;
        seen.add(c);
        const left = pending.get(c)! - 1;
        pending.set(c, left);
        if (left === 0) ready.push(c);
      }
    }
  }
  if (order.length !== graph.nodes.length) {
    const stuck = graph.nodes.find((n) => !order.includes(n));
    throw new QtkError('E_GRAPH', `graph '${graph.name}' has a cycle through node '${stuck?.name ?? '?'}'`, { node: stuck?.name });
  }
  return order;
}

/** One step of a chain pattern: an op type (or list), and whether the link must be the sole consumer. */
export interface ChainStep {
  opType: string | readonly string[];
  /** Which input of this node the previous node's output feeds; any when omitted. */
  input?: number;
}

/**
 * Finds chains `A -> B -> C` where each node's first output feeds the next and has no
 * other consumer. Example: `matchChains(g, [{opType:'Conv'}, {opType:'Relu'}])`.
 */
export function matchChains(graph: Graph, steps: readonly ChainStep[], index = new GraphIndex(graph)): Node[][] {
  const ok = (n: Node, s: ChainStep) => (typeof s.opType === 'string' ? n.opType === s.opType : s.opType.includes(n.opType));
  const out: Node[][] = [];
  for (const start of graph.nodes) {
    if (!ok(start, steps[0]!)) continue;
    const chain = [start];
    for (let k = 1; k < steps.length; k++) {
      const prev = chain[k - 1]!;
      const next = index.soleConsumer(prev.outputs[0]!);
      const step = steps[k]!;
      if (!next || !ok(next, step) || (step.input !== undefined && next.inputs[step.input] !== prev.outputs[0])) break;
      chain.push(next);
    }
    if (chain.length === steps.length) out.push(chain);
  }
  return out;
}

/** A value name not yet used in the graph, built from `base`. */
export function uniqueName(graph: Graph, base: string, taken?: Set<string>): string {
  const used = taken ?? usedNames(graph);
  let name = base;
  for (let k = 1; used.has(name); k++) name = `${base}_${k}`;
  used.add(name);
  return name;
}

/** Every value and node name used in a graph (for fresh-name generation). */
export function usedNames(graph: Graph): Set<string> {
  const s = new Set<string>([...graph.initializers.keys(), ...graph.inputs.map((v) => v.name), ...graph.outputs.map((v) => v.name)]);
  for (const n of graph.nodes) {
    s.add(n.name);
    for (const v of n.inputs) s.add(v);
    for (const v of n.outputs) s.add(v);
  }
  return s;
}

/** Every value and node name of a graph and of all its subgraphs, so fresh names are unique model-wide. */
export function modelNames(graph: Graph, into = new Set<string>()): Set<string> {
  for (const n of usedNames(graph)) into.add(n);
  for (const node of graph.nodes) for (const sg of subgraphsOf(node)) modelNames(sg, into);
  return into;
}
