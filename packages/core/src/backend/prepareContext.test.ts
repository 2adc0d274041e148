import { describe, expect, it } from 'vitest';
import type { Node } from '../ir/graph.js';
import { resolveOptions } from '../pipeline/defaults.js';
import { quantSpec, PER_TENSOR } from '../spec/quantSpec.js';
import type { ResolvedStaticOptions } from '../pipeline/types.js';
import { prepareContextFor } from './prepareContext.js';

const spec = quantSpec({ dtype: 'int8', symmetric: true, granularity: PER_TENSOR, observer: { kind: 'minmax' } });
const node = (name: string, opType: string): Node => ({ name, opType, domain: '', inputs: [], outputs: [], attributes: [] });
const specs = { activationSpec: spec, weightSpec: spec };

describe('prepareContextFor', () => {
  it('skips the nodes the user excludes or whose op type is not selected', () => {
    const ctx = prepareContextFor(resolveOptions({ exclude: ['/^stem/'], opTypes: ['Conv'] }) as ResolvedStaticOptions, specs);
    expect([node('stem/conv', 'Conv'), node('body/conv', 'Conv'), node('body/mm', 'MatMul')].map((n) => ctx.isSkipped(n))).toEqual([true, false, true]);
  });

  it("hands the user's backendOptions to the preparation as given, and none when absent", () => {
    const backendOptions = { convChannelMultiple: 1 };
    expect(prepareContextFor(resolveOptions<typeof backendOptions>({ backendOptions }) as ResolvedStaticOptions, specs).backendOptions).toBe(backendOptions);
    expect('backendOptions' in prepareContextFor(resolveOptions({}) as ResolvedStaticOptions, specs)).toBe(false);
  });
});
