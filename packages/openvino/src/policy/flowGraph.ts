/**
 * The data flow of a graph as NNCF's inference graph sees it: constant subgraphs (initializers,
 * Constant nodes and what only they feed) are left out, so that a node's inputs are the values
 * computed at run time.
 */
import { GraphIndex, topologicalSort, type Graph, type Node } from '@qtk/core';

/** One input of a node: the node and the input's index. */
export interface Port {
  readonly node: Node;
  readonly input: number;
}

/** The run-time data flow of a graph: its nodes in topological order and the values they pass. */
export class FlowGraph {
  /** Nodes computed at run time, in topological order. */
  readonly nodes: readonly Node[];
  private readonly constants = new Set<string>();
  private readonly ports = new Map<string, Port[]>();
  private readonly producers = new Map<string, Node>();
  private readonly outputs: ReadonlySet<string>;

  constructor(readonly graph: Graph, readonly index: GraphIndex = new GraphIndex(graph)) {
    for (const name of graph.initializers.keys()) this.constants.add(name);
    const live: Node[] = [];
    for (const node of topologicalSort(graph)) {
      const inputs = node.inputs.filter((v) => v !== '');
      if (inputs.every((v) => this.constants.has(v)) && node.opType !== 'RandomNormal' && node.opType !== 'RandomUniform') {
        for (const o of node.outputs) if (o) this.constants.add(o);
        continue;
      }
      live.push(node);
      for (const o of node.outputs) if (o) this.producers.set(o, node);
      node.inputs.forEach((v, input) => {
        if (!v || this.constants.has(v)) return;
        const list = this.ports.get(v) ?? [];
        list.push({ node, input });
        this.ports.set(v, list);
      });
    }
    this.nodes = live;
    this.outputs = new Set(graph.outputs.map((o) => o.name));
  }

  /** True when `value` is known before the model runs (an initializer, or computed from them only). */
  isConstant(value: string): boolean {
    return this.constants.has(value);
  }

  /** The run-time node writing `value`, or undefined for a graph input or a constant. */
  producer(value: string): Node | undefined {
    return this.producers.get(value);
  }

  /** The inputs of run-time nodes that read `value`. */
  readers(value: string): readonly Port[] {
    return this.ports.get(value) ?? [];
  }

  /** The distinct run-time nodes reading `value`. */
  consumers(value: string): Node[] {
    return [...new Set(this.readers(value).map((p) => p.node))];
  }

  /** True when `value` is an output of the graph. */
  isGraphOutput(value: string): boolean {
    return this.outputs.has(value);
  }

  /** The inputs of `node` computed at run time, as [index, value] pairs. */
  liveInputs(node: Node): Array<[number, string]> {
    const out: Array<[number, string]> = [];
    node.inputs.forEach((v, i) => { if (v && !this.constants.has(v)) out.push([i, v]); });
    return out;
  }
}
