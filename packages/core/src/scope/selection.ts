/**
 * The selection options of quantization, `opTypes` and `exclude` (node names, or `/regex/`
 * strings), as NodeScopes: `opTypes` is the scope `{ types }` to quantize, each exclude
 * entry a scope `{ names: [entry] }` or `{ patterns: [source] }` to keep float. Besides
 * matching a node, it checks a selection against a model, so that an entry that selects
 * nothing is reported instead of silently doing nothing.
 *
 * Example: on a model of Conv and Gemm nodes, `opTypes: ['Conv', 'Add']` warns that Add is
 * not in the model; `opTypes: ['Add']` is refused, since nothing would be quantized.
 */
import { QtkError } from '../errors/QtkError.js';
import type { Graph, Node } from '../ir/graph.js';
import type { QuantizeWarning } from '../pipeline/types.js';
import { closestNames } from './nameHints.js';
import { compilePattern, matchScope, nodesWithGraphs, type NodeScope } from './nodeScope.js';

/** True when `entry` is a `/regex/` entry rather than a node name. */
function isPattern(entry: string): boolean {
  return entry.length > 2 && entry.startsWith('/') && entry.endsWith('/');
}

/** The scope one exclude entry stands for: `/regex/` → `{ patterns: ['regex'] }`, a name → `{ names: [name] }`. */
export function excludeEntryScope(entry: string): NodeScope {
  return isPattern(entry) ? { patterns: [entry.slice(1, -1)] } : { names: [entry] };
}

/** True when the node name `name` matches the exclude entry (exact name, or `/regex/`; E_OPTION for a bad regex). */
export function matchesEntry(entry: string, name: string): boolean {
  return isPattern(entry) ? compilePattern(entry.slice(1, -1), 'exclude').test(name) : entry === name;
}

/** True when the node's name matches an exclude entry (exact, or `/regex/`). */
export function isExcluded(node: Node, exclude: readonly string[] | undefined): boolean {
  if (!exclude?.length) return false;
  return exclude.some((e) => matchesEntry(e, node.name));
}

/** `A, B` with the verb in agreement: `A is`, `A, B are`. */
function listIs(items: readonly string[]): string {
  return `${items.join(', ')} ${items.length > 1 ? 'are' : 'is'}`;
}

/** The hint after an exclude entry that matched nothing: near names, or what names look like. */
function nameHint(entry: string, names: readonly string[]): string {
  const named = names.filter((n) => n);
  if (!named.length) return ": the model's nodes have no names";
  const text = isPattern(entry) ? entry.slice(1, -1).replace(/[\\^$.*+?()[\]{}|]/g, '') : entry;
  const near = closestNames(text, named);
  return near.length ? `; closest node names: ${near.join(', ')}` : `; node names look like: ${named.slice(0, 3).join(', ')}`;
}

/** What a mode can quantize, for `checkSelection`. */
export interface QuantizableOps {
  /** The mode's name, for messages: `dynamic`. */
  mode: string;
  /** Op types the mode has a rule for. */
  opTypes: readonly string[];
}

/**
 * Checks `opTypes` and `exclude` against the nodes of `graph` (subgraphs included).
 * Returns a warning for each op type absent from the model or without a rule in the mode,
 * and for each exclude entry that matches no node (with the closest node names). Throws
 * E_OPTION when no op type of `opTypes` is both in the model and quantizable, since then
 * nothing would be quantized.
 */
export function checkSelection(graph: Graph, selection: { opTypes?: readonly string[]; exclude?: readonly string[] }, quantizable: QuantizableOps): QuantizeWarning[] {
  const nodes = nodesWithGraphs(graph).map((x) => x.node);
  const warnings: QuantizeWarning[] = [];
  const present = [...new Set(nodes.map((n) => n.opType))].sort();
  const rules = new Set(quantizable.opTypes);
  const canDo = present.filter((t) => rules.has(t));
  if (selection.opTypes) {
    const absentAt = new Set(matchScope({ types: selection.opTypes }, graph, 'opTypes').unmatched().map((u) => u.index));
    const absent = selection.opTypes.filter((_, i) => absentAt.has(i));
    const noRule = selection.opTypes.filter((t, i) => !absentAt.has(i) && !rules.has(t));
    const notes: string[] = [];
    if (absent.length) notes.push(`${listIs(absent)} not in the model, which has ${present.join(', ')}`);
    if (noRule.length) notes.push(`${listIs(noRule)} not quantized in ${quantizable.mode} mode, which quantizes ${canDo.length ? canDo.join(', ') : 'none'} of the model's op types`);
    if (absent.length + noRule.length === selection.opTypes.length) {
      throw new QtkError('E_OPTION', `option opTypes selects nothing to quantize: ${notes.join('; ')}`, { option: 'opTypes' });
    }
    for (const message of notes) warnings.push({ option: 'opTypes', message });
  }
  const names = nodes.map((n) => n.name);
  for (const entry of selection.exclude ?? []) {
    if (!matchScope(excludeEntryScope(entry), graph, 'exclude').unmatched().length) continue;
    warnings.push({ option: 'exclude', message: `'${entry}' matches no node${nameHint(entry, names)}` });
  }
  return warnings;
}
