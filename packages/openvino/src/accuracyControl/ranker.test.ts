import { describe, expect, it } from 'vitest';
import { convertStatic, prepareStatic } from '@qtk/core';
import { openvinoBackend } from '../backend.js';
import { digitsDataset, digitsModel, testContext } from '../test-support/digits.js';
import { quantizerGroups, rankNodes, revertedNodes } from './ranker.js';

describe('rankNodes', () => {
  it('ranks every quantized node and activation quantizer, worst first, each group able to remove its quantizer', async () => {
    const state = await prepareStatic(digitsModel(), { mode: 'static' }, { ...testContext, backend: openvinoBackend, calibration: digitsDataset(0, 16) }, { observeAll: true });
    const q = convertStatic(state);
    const ranking = await rankNodes(state.model, q, testContext.executor, [...digitsDataset(1297, 4)]);
    const units = new Set(q.units.map((u) => u.name));
    for (const u of units) expect(ranking.some((r) => r.name === u && r.group[0] === u)).toBe(true);
    const quantizers = ranking.filter((r) => r.opType === 'QuantizeLinear');
    expect(quantizers.length).toBeGreaterThan(0);
    for (let i = 1; i < ranking.length; i++) expect(ranking[i]!.addedNsr).toBeLessThanOrEqual(ranking[i - 1]!.addedNsr);
    // Reverting a quantizer's group leaves no Q/DQ on its value.
    const top = quantizers[0]!;
    const without = convertStatic(state, new Set(revertedNodes([top], 1)));
    expect(without.model.graph.nodes.some((n) => n.opType === 'QuantizeLinear' && n.inputs[0] === top.name)).toBe(false);
    expect(q.model.graph.nodes.some((n) => n.opType === 'QuantizeLinear' && n.inputs[0] === top.name)).toBe(true);
  });

  it("groups a node with the quantized nodes that read its output", async () => {
    const state = await prepareStatic(digitsModel(), { mode: 'static' }, { ...testContext, backend: openvinoBackend, calibration: digitsDataset(0, 8) }, { observeAll: true });
    const q = convertStatic(state);
    const groups = quantizerGroups(state.model, q);
    const convs = state.model.graph.nodes.filter((n) => n.opType === 'Conv').map((n) => n.name);
    const first = groups.get(convs[0]!)!;
    expect(first[0]).toBe(convs[0]);
    expect(revertedNodes([{ name: 'a', opType: 'X', addedNsr: 1, group: ['a', 'b'] }, { name: 'b', opType: 'X', addedNsr: 0, group: ['b', 'c'] }], 2)).toEqual(['a', 'b', 'c']);
  });
});
