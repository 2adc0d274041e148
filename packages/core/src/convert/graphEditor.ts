/** Adding nodes and initializers under fresh names while a conversion rewrites a graph. */
import type { Graph, Node, Attribute } from '../ir/graph.js';
import { uniqueName, usedNames } from '../ir/graphIndex.js';
import type { Tensor } from '../ir/tensor.js';

/** Appends nodes/initializers to a graph with names that never collide. */
export class GraphEditor {
  private readonly taken: Set<string>;
  /** Nodes to insert right after a given node (keeps the node list readable and near-topological). */
  private readonly after = new Map<Node | null, Node[]>();

  /** `taken`: names already in use, shared between editors of one model (default: this graph's names). */
  constructor(readonly graph: Graph, taken?: Set<string>) {
    this.taken = taken ?? usedNames(graph);
  }

  /** A fresh value or node name based on `base`. */
  name(base: string): string {
    return uniqueName(this.graph, base, this.taken);
  }

  /** Adds an initializer under a fresh name; returns the name. */
  constant(base: string, t: Tensor): string {
    const n = this.name(base);
    this.graph.initializers.set(n, t);
    return n;
  }

  /** Creates a node placed after `anchor` (null: at the front); returns it. */
  node(anchor: Node | null, opType: string, inputs: string[], outputs: string[], attributes: Attribute[] = [], domain = '', name?: string): Node {
    const node: Node = { name: this.name(name ?? `${outputs[0] ?? opType}_${opType}`), opType, domain, inputs, outputs, attributes };
    const list = this.after.get(anchor);
    if (list) list.push(node);
    else this.after.set(anchor, [node]);
    return node;
  }

  /** Writes the pending nodes into the graph's node list. */
  commit(): void {
    const out: Node[] = [...(this.after.get(null) ?? [])];
    for (const n of this.graph.nodes) {
      out.push(n);
      const extra = this.after.get(n);
      if (extra) out.push(...extra);
    }
    this.graph.nodes = out;
    this.after.clear();
  }
}
