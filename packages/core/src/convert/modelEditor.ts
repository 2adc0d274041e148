/**
 * Rewriting every graph of a model at once (the main graph and If/Loop/Scan bodies): one
 * GraphEditor per graph, all drawing fresh names from one model-wide set so that no new
 * name collides with a name of any scope; replaced nodes and float weights nobody reads
 * any more are removed when the edit finishes.
 */
import type { Graph, Model, Node } from '../ir/graph.js';
import { modelNames } from '../ir/graphIndex.js';
import { graphScopes } from '../ir/scopes.js';
import { dropUnread } from '../transforms/graphUtil.js';
import { GraphEditor } from './graphEditor.js';

/** Editors for every graph of one model that share their names. */
export class ModelEditor {
  private readonly taken: Set<string>;
  private readonly editors = new Map<Graph, GraphEditor>();
  private readonly replaced = new Set<Node>();
  private readonly released = new Set<string>();

  constructor(readonly model: Model) {
    this.taken = modelNames(model.graph);
  }

  /** The editor of `graph` (one per graph). */
  editor(graph: Graph): GraphEditor {
    let ed = this.editors.get(graph);
    if (!ed) {
      ed = new GraphEditor(graph, this.taken);
      this.editors.set(graph, ed);
    }
    return ed;
  }

  /** Marks `node` for removal when the edit finishes. */
  remove(node: Node): void {
    this.replaced.add(node);
  }

  /** Initializers (of any scope) to drop when the edit finishes, if nothing reads them then. */
  release(names: Iterable<string>): void {
    for (const n of names) if (n) this.released.add(n);
  }

  /** Writes pending nodes, removes replaced nodes, then drops released initializers nothing reads. */
  finish(): void {
    for (const ed of this.editors.values()) ed.commit();
    const scopes = graphScopes(this.model);
    for (const { graph } of scopes) graph.nodes = graph.nodes.filter((n) => !this.replaced.has(n));
    for (const { graph } of scopes) dropUnread(graph, this.released);
  }
}
