/**
 * A set of nodes, named the ways a user names them: by op type, by exact name, by a
 * regular expression over names, or as the part of a graph between given nodes (NNCF's
 * IgnoredScope). A scope is matched against the nodes of one model, its If/Loop/Scan
 * bodies included, and can say which of its entries matched nothing.
 *
 * Example: `{ types: ['Softmax'], patterns: ['^/head/'], subgraphs: [{ inputs: ['attn/q'], outputs: ['attn/out'] }] }`
 * matches every Softmax, every node whose name starts with `/head/`, and `attn/q`,
 * `attn/out` and every node on a path from the one to the other.
 */
import { QtkError } from '../errors/QtkError.js';
import { subgraphsOf, type Graph, type Node } from '../ir/graph.js';
import { GraphIndex } from '../ir/graphIndex.js';

/** The nodes on any path from an `inputs` node to an `outputs` node (node names), both ends included. */
export interface SubgraphScope {
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/** Nodes chosen by op type, exact name, name regex or subgraph; a node in any entry is in the scope. */
export interface NodeScope {
  /** Op types: `['Softmax', 'Add']`. */
  readonly types?: readonly string[];
  /** Exact node names. */
  readonly names?: readonly string[];
  /** Regular expressions (source text, no slashes) found anywhere in a name; anchor with `^...$` for whole names. */
  readonly patterns?: readonly string[];
  /** Parts of a graph between nodes (see SubgraphScope). */
  readonly subgraphs?: readonly SubgraphScope[];
}

/** One entry of a NodeScope: which list it is in, its index there and its text for messages. */
export interface ScopeEntry {
  readonly field: keyof NodeScope;
  readonly index: number;
  /** The entry as the user wrote it: the op type, name or pattern; `inputs -> outputs` for a subgraph. */
  readonly text: string;
}

/** An entry that matched no node, with why when there is more to say than that. */
export interface UnmatchedEntry extends ScopeEntry {
  /** For a subgraph: the named node the model lacks, or that no path joins its ends. */
  readonly reason?: string;
}

/** A scope made ready to match nodes of one model: regexes compiled, subgraph members found. */
export interface ScopeMatcher {
  /** True when `node` is in the scope. */
  matches(node: Node): boolean;
  /** The scope's entries that match no node of the model, in the scope's order (types, names, patterns, subgraphs). */
  unmatched(): UnmatchedEntry[];
}

/** The regex of a pattern entry; E_OPTION naming `option` and the entry when it is not a valid regular expression. */
export function compilePattern(source: string, option = 'patterns'): RegExp {
  try {
    return new RegExp(source);
  } catch (e) {
    throw new QtkError('E_OPTION', `${option}: '${source}' is not a valid regular expression: ${(e as Error).message}`, { option }, { cause: e });
  }
}

/** The nodes of `graph` and of its If/Loop/Scan bodies at any depth, each with the graph holding it. */
export function nodesWithGraphs(graph: Graph, into: Array<{ node: Node; graph: Graph }> = []): Array<{ node: Node; graph: Graph }> {
  for (const node of graph.nodes) {
    into.push({ node, graph });
    for (const body of subgraphsOf(node)) nodesWithGraphs(body, into);
  }
  return into;
}

/** `a, b -> c` for a subgraph entry. */
function subgraphText(s: SubgraphScope): string {
  return `${s.inputs.join(', ')} -> ${s.outputs.join(', ')}`;
}

/**
 * The members of subgraph `s` in the one graph (main or body) that holds its named
 * nodes: the nodes reachable forward from an input node and backward from an output
 * node. Returns the members, or why there are none.
 */
function subgraphMembers(s: SubgraphScope, all: ReadonlyArray<{ node: Node; graph: Graph }>): Set<Node> | string {
  if (!s.inputs.length || !s.outputs.length) return 'a subgraph needs at least one input and one output node';
  const named = new Map<string, { node: Node; graph: Graph }>();
  for (const x of all) if (x.node.name && !named.has(x.node.name)) named.set(x.node.name, x);
  const ends = [...s.inputs, ...s.outputs];
  const missing = ends.filter((n) => !named.has(n));
  if (missing.length) return `no node named ${missing.map((n) => `'${n}'`).join(', ')}`;
  const graph = named.get(ends[0]!)!.graph;
  if (ends.some((n) => named.get(n)!.graph !== graph)) return 'its nodes are in different graphs (main graph and If/Loop/Scan bodies)';
  const index = new GraphIndex(graph);
  const forward = reach(s.inputs.map((n) => named.get(n)!.node), (n) => n.outputs.flatMap((v) => index.consumers(v)));
  const backward = reach(s.outputs.map((n) => named.get(n)!.node), (n) => n.inputs.flatMap((v) => index.producer(v) ?? []));
  const members = new Set([...forward].filter((n) => backward.has(n)));
  return members.size ? members : 'no path leads from its inputs to its outputs';
}

/** `start` and every node reachable from it through `next`. */
function reach(start: readonly Node[], next: (n: Node) => readonly Node[]): Set<Node> {
  const seen = new Set(start);
  const stack = [...start];
  while (stack.length) for (const m of next(stack.pop()!)) if (!seen.has(m)) { seen.add(m); stack.push(m); }
  return seen;
}

/**
 * `scope` ready to match the nodes of `graph` (bodies included). Throws E_OPTION naming
 * `option` for a pattern that is not a regular expression.
 */
export function matchScope(scope: NodeScope, graph: Graph, option = 'scope'): ScopeMatcher {
  const all = nodesWithGraphs(graph);
  const types = new Set(scope.types ?? []);
  const names = new Set(scope.names ?? []);
  const patterns = (scope.patterns ?? []).map((p) => compilePattern(p, option));
  const subgraphs = (scope.subgraphs ?? []).map((s) => subgraphMembers(s, all));
  const matches = (node: Node): boolean =>
    types.has(node.opType) || names.has(node.name) || patterns.some((re) => re.test(node.name))
    || subgraphs.some((m) => typeof m !== 'string' && m.has(node));
  const unmatched = (): UnmatchedEntry[] => {
    const out: UnmatchedEntry[] = [];
    const present = new Set(all.map((x) => x.node.opType));
    const nodeNames = all.map((x) => x.node.name);
    (scope.types ?? []).forEach((text, index) => { if (!present.has(text)) out.push({ field: 'types', index, text }); });
    (scope.names ?? []).forEach((text, index) => { if (!nodeNames.includes(text)) out.push({ field: 'names', index, text }); });
    (scope.patterns ?? []).forEach((text, index) => { if (!nodeNames.some((n) => patterns[index]!.test(n))) out.push({ field: 'patterns', index, text }); });
    (scope.subgraphs ?? []).forEach((s, index) => {
      const m = subgraphs[index]!;
      if (typeof m === 'string') out.push({ field: 'subgraphs', index, text: subgraphText(s), reason: m });
    });
    return out;
  };
  return { matches, unmatched };
}
