/**
 * NNCF's ignored scope: nodes kept float, chosen by exact name, by a regular expression
 * matched at the start of the name (Python's `re.match`), by op type, or as every node on a
 * path between given input and output nodes. With `validate` (the default) an entry that
 * matches nothing is an error naming it, as NNCF raises.
 * Example: `{ names: ['/fc/Gemm'], types: ['Add'], patterns: ['/layer4/'] }`.
 */
import { matchScope, QtkError, type Graph, type Node, type NodeScope } from '@qtk/core';

/** The nodes on every path from an `inputs` node to an `outputs` node (NNCF's `Subgraph`). */
export interface IgnoredSubgraph {
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/** NNCF's `IgnoredScope`, with its field names. */
export interface IgnoredScope {
  /** Exact node names. */
  readonly names?: readonly string[];
  /** Regular expressions matched at the start of node names (anchor the end with `$`). */
  readonly patterns?: readonly string[];
  /** ONNX op types. */
  readonly types?: readonly string[];
  /** Parts of the graph between nodes. */
  readonly subgraphs?: readonly IgnoredSubgraph[];
  /** When true (default), an entry that matches no node is an E_OPTION error. */
  readonly validate?: boolean;
}

/** The option path error messages name. */
const OPTION = 'backendOptions.ignoredScope';

/** Throws E_OPTION when `value` is set and not an array of strings. */
function checkStrings(field: string, value: unknown): void {
  if (value !== undefined && (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))) {
    throw new QtkError('E_OPTION', `${OPTION}.${field} must be an array of strings, not ${JSON.stringify(value)}`, { option: `${OPTION}.${field}` });
  }
}

/** `scope` checked for its shape: E_OPTION naming the field that is not what NNCF's IgnoredScope takes. */
export function checkIgnoredScope(scope: unknown): IgnoredScope {
  if (scope === null || typeof scope !== 'object' || Array.isArray(scope)) {
    throw new QtkError('E_OPTION', `${OPTION} must be an object { names, patterns, types, subgraphs, validate }, not ${JSON.stringify(scope)}`, { option: OPTION });
  }
  const s = scope as Record<string, unknown>;
  const known = ['names', 'patterns', 'types', 'subgraphs', 'validate'];
  const unknown = Object.keys(s).filter((k) => !known.includes(k));
  if (unknown.length) throw new QtkError('E_OPTION', `${OPTION} has no field '${unknown[0]}' (fields: ${known.join(', ')})`, { option: `${OPTION}.${unknown[0]}` });
  checkStrings('names', s.names);
  checkStrings('patterns', s.patterns);
  checkStrings('types', s.types);
  if (s.subgraphs !== undefined) {
    if (!Array.isArray(s.subgraphs)) throw new QtkError('E_OPTION', `${OPTION}.subgraphs must be an array of { inputs, outputs }`, { option: `${OPTION}.subgraphs` });
    s.subgraphs.forEach((g: unknown, i) => {
      const o = g as Record<string, unknown> | null;
      if (!o || typeof o !== 'object') throw new QtkError('E_OPTION', `${OPTION}.subgraphs[${i}] must be { inputs, outputs }`, { option: `${OPTION}.subgraphs` });
      checkStrings(`subgraphs[${i}].inputs`, o.inputs ?? []);
      checkStrings(`subgraphs[${i}].outputs`, o.outputs ?? []);
    });
  }
  if (s.validate !== undefined && typeof s.validate !== 'boolean') {
    throw new QtkError('E_OPTION', `${OPTION}.validate must be true or false`, { option: `${OPTION}.validate` });
  }
  return s as IgnoredScope;
}

/**
 * The nodes of `graph` in `scope`, each with the reason the report gives. With `validate`
 * (default true) the first entry that matches nothing is an E_OPTION error naming its field,
 * index and text (a subgraph also says why: a missing node, or no path between its ends).
 */
export function ignoredNodes(graph: Graph, scope: IgnoredScope | undefined): Map<Node, string> {
  const out = new Map<Node, string>();
  if (!scope) return out;
  const s = checkIgnoredScope(scope);
  const patterns = (s.patterns ?? []).map((p) => `^(?:${p})`);
  const nodeScope: NodeScope = {
    ...(s.types && { types: s.types }), ...(s.names && { names: s.names }), patterns,
    ...(s.subgraphs && { subgraphs: s.subgraphs.map((g) => ({ inputs: g.inputs ?? [], outputs: g.outputs ?? [] })) }),
  };
  const matcher = matchScope(nodeScope, graph, `${OPTION}.patterns`);
  if (s.validate ?? true) {
    const miss = matcher.unmatched()[0];
    if (miss) {
      const text = miss.field === 'patterns' ? s.patterns![miss.index]! : miss.text;
      const why = miss.reason ? `: ${miss.reason}` : '';
      throw new QtkError('E_OPTION', `${OPTION}.${miss.field}[${miss.index}] '${text}' matches no node of the model${why} (set validate: false to allow this)`, { option: `${OPTION}.${miss.field}` });
    }
  }
  for (const node of graph.nodes) if (matcher.matches(node)) out.set(node, 'in the ignored scope');
  return out;
}
