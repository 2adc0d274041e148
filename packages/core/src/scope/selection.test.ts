import { describe, expect, it } from 'vitest';
import { createModel } from '../ir/graph.js';
import { quantizeModel } from '../pipeline/quantize.js';
import { expectQtkError } from '../test-support/expectQtkError.js';
import { TinyGraph } from '../annotate/test-support/tinyGraph.js';
import { checkSelection, isExcluded } from './selection.js';
import { closestNames, editDistance } from './nameHints.js';
import { tinyBackend } from '../test-support/tinyBackend.js';

const STATIC = { mode: 'static', opTypes: ['Conv', 'Relu', 'MatMul'] };

/** x → Conv 'block1/conv' → Relu 'block1/relu' → Cos 'head/cos' → y. */
function tiny(): TinyGraph {
  const t = new TinyGraph();
  t.input('x', [1, 4, 2, 2]);
  t.conv('block1/conv', 'x', 'a');
  t.node('block1/relu', 'Relu', ['a'], ['b']);
  t.floatOp('head/cos', 'b', 'y');
  t.output('y');
  return t;
}

describe('isExcluded', () => {
  it('matches exact names and /regex/ entries, and nothing else', () => {
    const node = tiny().graph.nodes[0]!;
    expect(isExcluded(node, ['block1/conv'])).toBe(true);
    expect(isExcluded(node, ['/^block1\\//'])).toBe(true);
    expect(isExcluded(node, ['block1'])).toBe(false);
    expect(isExcluded(node, undefined)).toBe(false);
  });
});

describe('checkSelection: op types and exclude entries that select nothing', () => {
  it('a selection that matches is silent', () => {
    expect(checkSelection(tiny().graph, { opTypes: ['Conv'], exclude: ['block1/relu', '/head/'] }, STATIC)).toEqual([]);
  });

  it('warns of op types not in the model, listing the model\'s op types, and of op types the mode has no rule for', () => {
    const w = checkSelection(tiny().graph, { opTypes: ['Conv', 'Gemm', 'Cos'] }, STATIC);
    expect(w).toEqual([
      { option: 'opTypes', message: 'Gemm is not in the model, which has Conv, Cos, Relu' },
      { option: 'opTypes', message: "Cos is not quantized in static mode, which quantizes Conv, Relu of the model's op types" },
    ]);
  });

  it('refuses op types none of which the model has or the mode quantizes (E_OPTION), since nothing would be quantized', () => {
    const e = expectQtkError(() => checkSelection(tiny().graph, { opTypes: ['Gemm', 'Cos'] }, STATIC), 'E_OPTION', 'selects nothing to quantize');
    expect(e.where.option).toBe('opTypes');
    expect(e.message).toContain('Gemm is not in the model, which has Conv, Cos, Relu');
  });

  it('warns of an exclude entry that matches no node, naming the closest node names', () => {
    const [w] = checkSelection(tiny().graph, { exclude: ['block1/cnv'] }, STATIC);
    expect(w).toEqual({ option: 'exclude', message: "'block1/cnv' matches no node; closest node names: block1/conv, block1/relu" });
    const [r] = checkSelection(tiny().graph, { exclude: ['/^blk/'] }, STATIC);
    expect(r!.message).toMatch(/^'\/\^blk\/' matches no node; (closest node names|node names look like): /);
  });

  it('says when the model\'s nodes have no names', () => {
    const t = tiny();
    for (const n of t.graph.nodes) n.name = '';
    expect(checkSelection(t.graph, { exclude: ['conv'] }, STATIC)[0]!.message).toBe("'conv' matches no node: the model's nodes have no names");
  });

  it('counts nodes inside subgraphs (If branches) as present', () => {
    const outer = new TinyGraph();
    outer.input('c', [], 'bool');
    const branch = tiny().graph;
    outer.node('if', 'If', ['c'], ['y'], { then_branch: { kind: 'graph', value: branch }, else_branch: { kind: 'graph', value: tiny().graph } });
    expect(checkSelection(outer.graph, { opTypes: ['Conv'], exclude: ['block1/conv'] }, STATIC)).toEqual([]);
  });

  it('quantizeModel puts the warnings in report.warnings, and refuses op types that select nothing', async () => {
    const model = () => createModel(tiny().graph, 17);
    const { report } = await quantizeModel(model(), { mode: 'dynamic', exclude: ['nope'] }, { backend: tinyBackend });
    expect(report.warnings).toEqual([{ option: 'exclude', message: "'nope' matches no node; node names look like: block1/conv, block1/relu, head/cos" }]);
    await expect(quantizeModel(model(), { mode: 'dynamic', opTypes: ['Relu'] }, { backend: tinyBackend })).rejects.toThrow(/opTypes selects nothing to quantize: Relu is not quantized in dynamic mode, which quantizes Conv of the model's op types/);
  });
});

describe('closestNames', () => {
  it('ranks names containing the text first, then by edit distance, ignoring case', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closestNames('/layer1/conv', ['/fc/Gemm', '/layer2/Conv', '/layer1/Conv'])).toEqual(['/layer1/Conv', '/layer2/Conv']);
    expect(closestNames('conv', ['a/conv_1', 'b/conv_2', 'relu'])).toEqual(['a/conv_1', 'b/conv_2']);
    expect(closestNames('zzzz', ['alpha', 'beta'])).toEqual([]);
  });
});
