import { describe, expect, it } from 'vitest';
import { jsonNumber, withJsonNumbers } from './jsonNumbers.js';

describe('JSON form of non-finite numbers', () => {
  it('writes Infinity, -Infinity and NaN as strings that Number() reads back', () => {
    expect(jsonNumber(Infinity)).toBe('Infinity');
    expect(jsonNumber(-Infinity)).toBe('-Infinity');
    expect(jsonNumber(NaN)).toBe('NaN');
    expect(jsonNumber(1.5)).toBe(1.5);
    expect(Number(jsonNumber(-Infinity))).toBe(-Infinity);
  });

  it('converts nested objects and arrays and leaves strings, booleans and null alone', () => {
    const v = { a: [1, Infinity], b: { c: -Infinity, d: 'x', e: true, f: null } };
    const j = withJsonNumbers(v);
    expect(j).toEqual({ a: [1, 'Infinity'], b: { c: '-Infinity', d: 'x', e: true, f: null } });
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
    expect(v.a[1]).toBe(Infinity);
  });
});
