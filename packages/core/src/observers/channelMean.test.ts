import { describe, expect, it } from 'vitest';
import { Tensor } from '../ir/tensor.js';
import { ChannelMeanObserver } from './channelMean.js';
import { expectQtkError } from '../test-support/expectQtkError.js';

describe('ChannelMeanObserver', () => {
  it('averages the rows of batches of different sizes, weighting every sample the same', () => {
    const o = new ChannelMeanObserver('x');
    o.update(new Tensor('float32', [2, 2], Float32Array.of(1, 10, 3, 20)));
    o.update(new Tensor('float32', [1, 2], Float32Array.of(5, 60)));
    expect([...o.means()]).toEqual([3, 30]);
    expect(o.stats()).toEqual({ batches: 2, skippedNonFinite: 0 });
  });

  it('skips and counts NaN and Infinity; a merged shard counts as if seen here', () => {
    const a = new ChannelMeanObserver('x'), b = new ChannelMeanObserver('x');
    a.update(new Tensor('float32', [2, 2], Float32Array.of(1, NaN, 3, 4)));
    b.update(new Tensor('float32', [1, 2], Float32Array.of(Infinity, 8)));
    a.merge(b);
    expect([...a.means()]).toEqual([2, 6]);
    expect(a.stats()).toEqual({ batches: 2, skippedNonFinite: 2 });
  });

  it('refuses a changed channel count, means before data, and quantization parameters', () => {
    const o = new ChannelMeanObserver('x');
    expectQtkError(() => o.means(), 'E_OBSERVER');
    o.update(new Tensor('float32', [1, 2], Float32Array.of(1, 2)));
    expectQtkError(() => o.update(new Tensor('float32', [1, 3], Float32Array.of(1, 2, 3))), 'E_SHAPE');
    expectQtkError(() => o.calcQParams(), 'E_UNSUPPORTED');
  });
});
