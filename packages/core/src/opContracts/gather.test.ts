import { describe, expect, it } from 'vitest';
import type { Node } from '../ir/graph.js';
import { opContract } from './registry.js';
import { biasInputIndex, resolveWeight } from './weights.js';

/** A Gather-family node, with `axis` when given. */
function gather(opType: string, axis?: number): Node {
  return {
    name: 'g', opType, domain: '', inputs: ['table', 'ids'], outputs: ['y'],
    attributes: axis === undefined ? [] : [{ name: 'axis', value: { kind: 'int', value: axis } }],
  };
}

describe('Gather contract (embedding tables)', () => {
  it('takes the table (input 0) as the weight, rows as channels and the last axis as a row', () => {
    expect(resolveWeight(gather('Gather'), 2)).toEqual({ input: 0, channelAxis: 0, reductionAxis: 1 });
  });
  it('follows the gather axis, negative axes included', () => {
    expect(resolveWeight(gather('Gather', 1), 3)).toEqual({ input: 0, channelAxis: 1, reductionAxis: 2 });
  });
  it('runs the reduction along the axis before the last when the table is gathered along its last axis', () => {
    expect(resolveWeight(gather('Gather', -1), 2)).toEqual({ input: 0, channelAxis: 1, reductionAxis: 0 });
    expect(resolveWeight(gather('Gather', 1), 2)).toEqual({ input: 0, channelAxis: 1, reductionAxis: 0 });
  });
  it('gives a 1-D table its only axis as both channel and reduction axis', () => {
    expect(resolveWeight(gather('Gather'), 1)).toEqual({ input: 0, channelAxis: 0, reductionAxis: 0 });
  });
  it('gives no channel axis for a gather axis outside the table', () => {
    expect(resolveWeight(gather('Gather', 2), 2)?.channelAxis).toBeUndefined();
    expect(resolveWeight(gather('Gather', -3), 2)?.channelAxis).toBeUndefined();
  });
  it('gives a scalar table no axes', () => {
    expect(resolveWeight(gather('Gather'), 0)).toEqual({ input: 0, channelAxis: undefined, reductionAxis: undefined });
  });
  it('plays passthrough (outputs are table values) and has no bias', () => {
    expect(opContract('Gather')?.role).toBe('passthrough');
    expect(biasInputIndex(gather('Gather'))).toBeUndefined();
  });
  it('gives GatherElements and GatherND tables no channel or reduction axis', () => {
    for (const op of ['GatherElements', 'GatherND']) {
      expect(resolveWeight(gather(op, 1), 2)).toEqual({ input: 0, channelAxis: undefined, reductionAxis: undefined });
      expect(opContract(op)?.role).toBe('passthrough');
    }
  });
});
