import { describe, expect, it } from 'vitest';
import { broadcastShapes, DimAlgebra } from './dims.js';

describe('DimAlgebra', () => {
  it('computes on numbers exactly and propagates null', () => {
    const d = new DimAlgebra();
    expect(d.add(3, 4)).toBe(7);
    expect(d.mul(3, 4)).toBe(12);
    expect(d.floorDiv(7, 2)).toBe(3);
    expect(d.ceilDiv(7, 2)).toBe(4);
    expect(d.add(null, 1)).toBeNull();
    expect(d.mul('N', null)).toBeNull();
    expect(d.mul(null, 0)).toBe(0);
  });

  it('gives the same expression for the same symbolic computation', () => {
    const d = new DimAlgebra();
    const a = d.add(d.floorDiv(d.add('H', -1), 2), 1);
    const b = d.add(d.floorDiv(d.sub('H', 1), 2), 1);
    expect(a).toBe(b);
    expect(typeof a).toBe('string');
    expect(d.add(d.add('H', 1), -1)).toBe('H');
    expect(d.mul('N', 'T')).toBe(d.mul('T', 'N'));
  });

  it('cancels symbolic factors in exact division', () => {
    const d = new DimAlgebra();
    const total = d.product(['N', 'T', 64]);
    expect(d.divExact(total, 64)).toBe('N*T');
    expect(d.divExact(total, d.mul('N', 64))).toBe('T');
    expect(d.divExact(d.mul(4, 'H'), 2)).toBe('2*H');
    expect(d.floorDiv(d.mul(4, 'H'), 2)).toBe('2*H');
  });
});

describe('broadcastShapes', () => {
  it('follows numpy rules and refuses incompatible numbers', () => {
    expect(broadcastShapes([['N', 1, 4], [3, 1]])).toEqual(['N', 3, 4]);
    expect(broadcastShapes([[2, 'A'], ['B']])).toEqual([2, null]);
    expect(broadcastShapes([[3], [4]])).toBeUndefined();
  });
});
