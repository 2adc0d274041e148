import { describe, expect, it } from 'vitest';
import { formatCompareReport, formatDb } from './format.js';
import { compareReportToJson, type CompareReport, type NodeError } from './report.js';

const nodeError = (node: string, sqnrDb: number, order: number): NodeError => ({
  node, opType: 'Conv', order, tensor: `${node}_out`, candidateTensor: `${node}_out`, sqnrDb, cosine: 0.99, maxAbsError: 0.5, elements: 10, inputSqnrDb: Infinity, addedSqnrDb: sqnrDb,
});

const report: CompareReport = {
  batches: 2, samples: 64,
  outputs: [{ tensor: 'logits', candidateTensor: 'logits', sqnrDb: 31.234, cosine: 0.9991, maxAbsError: 0.25, elements: 640 }],
  nodes: [nodeError('conv_a', 20.5, 1), nodeError('conv_b', 30, 0), nodeError('conv_c', Infinity, 2)],
  unmatched: [{ node: 'odd', opType: 'Neg', tensor: 'odd_out' }],
  skipped: [],
};

describe('formatCompareReport', () => {
  it('shows outputs and nodes with SQNR to two decimals and inf for +Infinity', () => {
    const text = formatCompareReport(report);
    expect(text).toContain('compared on 64 samples (2 batches)');
    expect(text).toMatch(/logits\s+31\.23\s+0\.999100/);
    expect(text).toMatch(/conv_c\s+Conv\s+inf/);
    expect(text).toContain("output not in the reference model: 1 nodes: odd (Neg) -> 'odd_out'\n");
  });

  it('names at most 5 nodes the reference lacks, with their count', () => {
    const unmatched = Array.from({ length: 7 }, (_, i) => ({ node: `n${i}`, opType: 'Cast', tensor: `t${i}` }));
    const text = formatCompareReport({ ...report, unmatched });
    expect(text).toContain("7 nodes: n0 (Cast) -> 't0'");
    expect(text).toContain("n4 (Cast) -> 't4', ...");
    expect(text).not.toContain('n5');
  });

  it('shows only the top N nodes, in report order', () => {
    const text = formatCompareReport(report, { top: 1 });
    expect(text).toContain('(1 of 3;');
    expect(text).toContain('conv_a');
    expect(text).not.toContain('conv_b');
  });

  it('formats the infinities and NaN by name', () => {
    expect([formatDb(Infinity), formatDb(-Infinity), formatDb(NaN), formatDb(12.345)]).toEqual(['inf', '-inf', 'nan', '12.35']);
  });
});

describe('compareReportToJson', () => {
  it("survives JSON.stringify with +Infinity SQNR as 'Infinity'", () => {
    const back = JSON.parse(JSON.stringify(compareReportToJson(report)));
    expect(back.nodes[2].sqnrDb).toBe('Infinity');
    expect(back.nodes[2].inputSqnrDb).toBe('Infinity');
    expect(back.outputs[0].sqnrDb).toBe(31.234);
  });
});
