import { describe, expect, it } from 'vitest';
import type { Graph } from '../ir/graph.js';
import { expectQtkError } from '../test-support/expectQtkError.js';
import { TinyGraph } from '../annotate/test-support/tinyGraph.js';
import { matchScope, type NodeScope } from './nodeScope.js';
import { excludeEntryScope, isExcluded } from './selection.js';

/**
 * x → Conv 'stem/conv' → Relu 'stem/relu' ─┬→ Add 'block/add' → Relu 'block/relu' → Cos 'head/cos' → y
 *                                          └→ Mul 'block/mul' ─┘
 */
function branchy(): Graph {
  const t = new TinyGraph();
  t.input('x', [1, 4, 2, 2]);
  t.conv('stem/conv', 'x', 'a');
  t.node('stem/relu', 'Relu', ['a'], ['b']);
  t.node('block/mul', 'Mul', ['b', 'b'], ['c']);
  t.node('block/add', 'Add', ['b', 'c'], ['d']);
  t.node('block/relu', 'Relu', ['d'], ['e']);
  t.floatOp('head/cos', 'e', 'y');
  t.output('y');
  return t.graph;
}

/** Names of the nodes of `graph` that `scope` matches, in graph order. */
function matched(graph: Graph, scope: NodeScope): string[] {
  const m = matchScope(scope, graph);
  return graph.nodes.filter((n) => m.matches(n)).map((n) => n.name);
}

describe('matchScope: which nodes a NodeScope holds', () => {
  it('matches by op type, by exact name, and by regex found anywhere in the name', () => {
    const g = branchy();
    expect(matched(g, { types: ['Relu'] })).toEqual(['stem/relu', 'block/relu']);
    expect(matched(g, { names: ['block/add', 'block'] })).toEqual(['block/add']);
    expect(matched(g, { patterns: ['^block/', 'cos$'] })).toEqual(['block/mul', 'block/add', 'block/relu', 'head/cos']);
    expect(matched(g, {})).toEqual([]);
  });

  it('a node in any entry is in the scope (entries add up)', () => {
    expect(matched(branchy(), { types: ['Conv'], names: ['head/cos'], patterns: ['mul'] })).toEqual(['stem/conv', 'block/mul', 'head/cos']);
  });

  it('a subgraph holds its end nodes and every node on a path between them, both branches of a fork included', () => {
    expect(matched(branchy(), { subgraphs: [{ inputs: ['stem/relu'], outputs: ['block/relu'] }] })).toEqual(['stem/relu', 'block/mul', 'block/add', 'block/relu']);
    expect(matched(branchy(), { subgraphs: [{ inputs: ['block/mul'], outputs: ['block/relu'] }] })).toEqual(['block/mul', 'block/add', 'block/relu']);
    expect(matched(branchy(), { subgraphs: [{ inputs: ['stem/conv'], outputs: ['stem/conv'] }] })).toEqual(['stem/conv']);
  });

  it('finds a subgraph inside an If branch', () => {
    const outer = new TinyGraph();
    outer.input('c', [], 'bool');
    const branch = branchy();
    const ifNode = outer.node('if', 'If', ['c'], ['y'], { then_branch: { kind: 'graph', value: branch }, else_branch: { kind: 'graph', value: new TinyGraph().graph } });
    const m = matchScope({ subgraphs: [{ inputs: ['block/add'], outputs: ['head/cos'] }] }, outer.graph);
    expect(branch.nodes.filter((n) => m.matches(n)).map((n) => n.name)).toEqual(['block/add', 'block/relu', 'head/cos']);
    expect(m.matches(ifNode)).toBe(false);
    expect(m.unmatched()).toEqual([]);
  });

  it('refuses a pattern that is not a regular expression (E_OPTION naming the option and the entry)', () => {
    const e = expectQtkError(() => matchScope({ patterns: ['block/('] }, branchy(), 'ignoredScope'), 'E_OPTION', "ignoredScope: 'block/(' is not a valid regular expression");
    expect(e.where.option).toBe('ignoredScope');
  });
});

describe('matchScope(...).unmatched(): entries that select nothing', () => {
  it('is empty when every entry matches a node', () => {
    expect(matchScope({ types: ['Add'], names: ['head/cos'], patterns: ['^stem'], subgraphs: [{ inputs: ['stem/conv'], outputs: ['head/cos'] }] }, branchy()).unmatched()).toEqual([]);
  });

  it('lists op types, names and patterns that match no node, with their list and index, in scope order', () => {
    const u = matchScope({ types: ['Relu', 'Gemm'], names: ['stem/cnv'], patterns: ['^tail/'] }, branchy()).unmatched();
    expect(u).toEqual([
      { field: 'types', index: 1, text: 'Gemm' },
      { field: 'names', index: 0, text: 'stem/cnv' },
      { field: 'patterns', index: 0, text: '^tail/' },
    ]);
  });

  it('says why a subgraph is empty: a missing end node, no path between its ends, or no ends at all', () => {
    const u = matchScope({
      subgraphs: [
        { inputs: ['stem/conv'], outputs: ['nope'] },
        { inputs: ['head/cos'], outputs: ['stem/conv'] },
        { inputs: [], outputs: ['head/cos'] },
      ],
    }, branchy()).unmatched();
    expect(u).toEqual([
      { field: 'subgraphs', index: 0, text: 'stem/conv -> nope', reason: "no node named 'nope'" },
      { field: 'subgraphs', index: 1, text: 'head/cos -> stem/conv', reason: 'no path leads from its inputs to its outputs' },
      { field: 'subgraphs', index: 2, text: ' -> head/cos', reason: 'a subgraph needs at least one input and one output node' },
    ]);
  });
});

describe('exclude entries as NodeScopes', () => {
  it("maps '/regex/' to a pattern and anything else (a lone '/' too) to an exact name", () => {
    expect(excludeEntryScope('/^block\\//')).toEqual({ patterns: ['^block\\/'] });
    expect(excludeEntryScope('block/add')).toEqual({ names: ['block/add'] });
    expect(excludeEntryScope('//')).toEqual({ names: ['//'] });
  });

  it('isExcluded agrees with the scope of each entry on every node', () => {
    const g = branchy();
    for (const entry of ['block/add', '/relu$/', '/^stem/', 'relu', '/nothing/']) {
      const m = matchScope(excludeEntryScope(entry), g);
      for (const n of g.nodes) expect(isExcluded(n, [entry]), `${entry} on ${n.name}`).toBe(m.matches(n));
    }
  });
});
