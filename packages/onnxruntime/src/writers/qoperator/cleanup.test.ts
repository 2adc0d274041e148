import { type Model } from '@qtk/core';
import { describe, expect, it } from 'vitest';
import { convertQdqToQOperator } from './index.js';
import { foldIdentityRequantize, removeUnreadQdq } from './cleanup.js';
import { QdqGraphBuilder, u8p, type TestQParams } from './test-support/qdqGraph.js';

const ops = (m: Model) => m.graph.nodes.map((n) => n.opType);

/** x → Q → DQ → Q' → DQ' → Softsign → y, with Q' using `second`. */
function chain(second: TestQParams): Model {
  const b = new QdqGraphBuilder();
  const first = b.qdq(b.input('x', [4]), u8p(0.1, 3));
  const again = b.qdq(first, second);
  b.node('Softsign', [again], ['y']);
  b.output('y');
  return b.model();
}

describe('Q → DQ → Q chains', () => {
  it('removes a second Q/DQ pair with the same parameters: the float reader keeps one DequantizeLinear', () => {
    const m = chain(u8p(0.1, 3));
    convertQdqToQOperator(m);
    expect(ops(m)).toEqual(['QuantizeLinear', 'DequantizeLinear', 'Softsign']);
    expect(m.graph.nodes[1]!.inputs[0]).toBe('x_q');
  });

  it('keeps the requantization when the second pair has another scale', () => {
    const m = chain(u8p(0.2, 3));
    convertQdqToQOperator(m);
    expect(ops(m)).toEqual(['QuantizeLinear', 'DequantizeLinear', 'QuantizeLinear', 'DequantizeLinear', 'Softsign']);
  });

  it('keeps the requantization when the second pair has another element type', () => {
    const m = chain({ scale: 0.1, zeroPoint: 3, dtype: 'int8' });
    expect(foldIdentityRequantize(m.graph)).toBe(0);
  });

  it('does not fold a QuantizeLinear whose output is a graph output', () => {
    const b = new QdqGraphBuilder();
    const first = b.qdq(b.input('x', [4]), u8p(0.1, 3));
    b.params('again', u8p(0.1, 3));
    b.node('QuantizeLinear', [first, 'again_scale', 'again_zero_point'], ['y']);
    b.output('y', 'uint8');
    const m = b.model();
    expect(foldIdentityRequantize(m.graph)).toBe(0);
  });

  it('deletes unread Q/DQ nodes with the scale and zero-point initializers only they used', () => {
    const b = new QdqGraphBuilder();
    b.qdq(b.input('x', [4]), u8p(0.1, 3));
    b.node('Softsign', ['x'], ['y']);
    b.output('y');
    const m = b.model();
    const removed = removeUnreadQdq(m.graph);
    expect(removed.map((n) => n.opType)).toEqual(['DequantizeLinear', 'QuantizeLinear']);
    expect(ops(m)).toEqual(['Softsign']);
    expect([...m.graph.initializers.keys()]).toEqual([]);
  });

  it('folds a chain of 2,000 Q → DQ pairs with the same parameters down to the first Q in one call', () => {
    const b = new QdqGraphBuilder();
    let v = b.input('x', [4]);
    const [scale, zero] = b.params('p', u8p(0.1, 3));
    for (let i = 0; i < 2000; i++) {
      b.node('QuantizeLinear', [v, scale, zero], [`q${i}`]);
      v = b.node('DequantizeLinear', [`q${i}`, scale, zero], [`dq${i}`]);
    }
    b.node('Softsign', [v], ['y']);
    b.output('y');
    const m = b.model();
    expect(foldIdentityRequantize(m.graph)).toBe(1999);
    expect(removeUnreadQdq(m.graph)).toHaveLength(3998);
    expect(m.graph.nodes.map((n) => `${n.opType}(${n.inputs[0]})->${n.outputs[0]}`)).toEqual(['QuantizeLinear(x)->q0', 'DequantizeLinear(q0)->dq1999', 'Softsign(dq1999)->y']);
    expect([...m.graph.initializers.keys()].sort()).toEqual(['p_scale', 'p_zero_point']);
  });
});
