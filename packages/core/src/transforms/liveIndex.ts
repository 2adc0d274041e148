/**
 * Producer and reader lookups that a pass keeps up to date as it edits the graph, so it
 * builds them once instead of a new GraphIndex after every edit (quadratic on long graphs).
 * Readers include nodes whose subgraphs read a name, as GraphIndex counts them.
 * Example: `const live = new LiveIndex(g); live.renameReads('y', 'x'); live.removeNode(identity);`
 */
import type { Graph, Node } from '../ir/graph.js';
import { nodeReads } from '../ir/graphIndex.js';

/** A graph's producers and readers, following the edits reported to it. */
export class LiveIndex {
  private readonly producers = new Map<string, Node>();
  private readonly readers = new Map<string, Set<Node>>();
  private readonly outputs: Set<string>;

  constructor(graph: Graph) {
    for (const n of graph.nodes) {
      for (const o of n.outputs) if (o) this.producers.set(o, n);
      for (const r of nodeReads(n)) this.addReader(r, n);
    }
    this.outputs = new Set(graph.outputs.map((o) => o.name));
  }

  /** The node that produces `value`, or undefined for inputs and initializers. */
  producer(value: string): Node | undefined {
    return this.producers.get(value);
  }

  /** The nodes that read `value` (each once). */
  consumers(value: string): readonly Node[] {
    const s = this.readers.get(value);
    return s ? [...s] : [];
  }

  /** How many nodes read `value`. */
  readerCount(value: string): number {
    return this.readers.get(value)?.size ?? 0;
  }

  /** True when `value` is a graph output. */
  isGraphOutput(value: string): boolean {
    return this.outputs.has(value);
  }

  /** The single consumer of `value` when it has exactly one and is no graph output. */
  soleConsumer(value: string): Node | undefined {
    const s = this.readers.get(value);
    return s?.size === 1 && !this.isGraphOutput(value) ? s.values().next().value : undefined;
  }

  /** Forgets `node` (taken out of the graph) as reader and as producer. */
  removeNode(node: Node): void {
    for (const r of nodeReads(node)) this.readers.get(r)?.delete(node);
    for (const o of node.outputs) if (o && this.producers.get(o) === node) this.producers.delete(o);
  }

  /** Records that `node`'s inputs were edited; `before` is what they were. */
  inputsChanged(node: Node, before: readonly string[]): void {
    const now = new Set(nodeReads(node));
    for (const r of before) if (r && !now.has(r)) this.readers.get(r)?.delete(node);
    for (const r of now) this.addReader(r, node);
  }

  /** Records that `node`'s output `from` is now named `to`. */
  outputRenamed(node: Node, from: string, to: string): void {
    if (this.producers.get(from) === node) this.producers.delete(from);
    this.producers.set(to, node);
  }

  /**
   * Makes every node that reads `from` as an input read `to` instead, and records it.
   * Subgraph reads are not renamed (callers leave names that subgraphs read alone).
   */
  renameReads(from: string, to: string): void {
    const list = this.readers.get(from);
    if (!list) return;
    for (const n of [...list]) {
      const before = [...n.inputs];
      for (let i = 0; i < n.inputs.length; i++) if (n.inputs[i] === from) n.inputs[i] = to;
      this.inputsChanged(n, before);
    }
  }

  private addReader(value: string, node: Node): void {
    const s = this.readers.get(value);
    if (s) s.add(node);
    else this.readers.set(value, new Set([node]));
  }
}
