/**
 * The graphs of a model with their nesting: the main graph and every If/Loop/Scan body
 * (recursively), and constant lookup through enclosing scopes, since a body may read
 * names of the graphs around it.
 */
import type { Graph, Model } from './graph.js';
import type { Tensor } from './tensor.js';

/** One graph of a model and where it sits. */
export interface GraphScope {
  readonly graph: Graph;
  /**
   * Where the graph is, for reports: undefined for the main graph, else `node.attribute`
   * steps from the main graph joined by ' > ', e.g. `If_0.then_branch > If_3.else_branch`
   * (a `graphs` attribute adds the index: `node.bodies[1]`).
   */
  readonly path?: string;
  /** The enclosing scope; undefined for the main graph. */
  readonly parent?: GraphScope;
  /** Names this graph defines itself (inputs and node outputs) when the scopes were listed. */
  readonly locals: ReadonlySet<string>;
}

/** A constant found through the scopes, with the scope whose initializer it is. */
export interface ScopedConstant {
  tensor: Tensor;
  owner: GraphScope;
}

/** Every graph of `model`, the main graph first, each body after the graph holding it. */
export function graphScopes(model: Model): GraphScope[] {
  const out: GraphScope[] = [];
  const visit = (graph: Graph, parent?: GraphScope, step?: string): void => {
    const scope: GraphScope = { graph, parent, path: step && (parent?.path ? `${parent.path} > ${step}` : step), locals: localNames(graph) };
    out.push(scope);
    for (const n of graph.nodes) {
      for (const a of n.attributes) {
        if (a.value.kind === 'graph') visit(a.value.value, scope, `${n.name}.${a.name}`);
        else if (a.value.kind === 'graphs') a.value.value.forEach((g, i) => visit(g, scope, `${n.name}.${a.name}[${i}]`));
      }
    }
  };
  visit(model.graph);
  return out;
}

/**
 * The initializer `name` as seen from `scope`: the scope's own, else the nearest enclosing
 * scope's, unless a graph in between defines the name itself (an input or a node output
 * shadows outer names). Undefined when the name is no constant there.
 */
export function scopeConstant(scope: GraphScope, name: string): ScopedConstant | undefined {
  for (let s: GraphScope | undefined = scope; s; s = s.parent) {
    const tensor = s.graph.initializers.get(name);
    if (tensor) return { tensor, owner: s };
    if (s.locals.has(name)) return undefined;
  }
  return undefined;
}

/** The `graph` field of a report entry for a node of `scope` (none for the main graph). */
export function scopeField(scope: GraphScope): { graph?: string } {
  return scope.path ? { graph: scope.path } : {};
}

function localNames(graph: Graph): Set<string> {
  const s = new Set(graph.inputs.map((v) => v.name));
  for (const n of graph.nodes) for (const o of n.outputs) if (o) s.add(o);
  return s;
}
