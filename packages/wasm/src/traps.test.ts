import { describe, expect, it } from 'vitest';
import { isQtkError } from '@qtk/core';
import { InferenceSession, Tensor } from './index.js';
import type { Kernels } from './kernels.js';
import { windowParamsBlock } from './windowParams.js';
import type { Plan } from './engine/planner.js';
import { ints, oneNodeModel } from './test-support/graphs.js';

/** The session's internals a test reaches to make a kernel trap. */
interface Internals {
  plans: Map<string, Plan>;
  state: { kernels: Kernels; heap: { put(data: ArrayBufferView): number } };
}

describe('a WebAssembly trap during run', () => {
  it('is E_EXECUTOR naming the node, and the next run on the same session is correct', async () => {
    const model = oneNodeModel('MaxPool', [{ name: 'x', type: 'float32', dims: [1, 2, 4, 4], data: new Array(32).fill(0) }], { kernel_shape: ints([2, 2]) });
    const s = await InferenceSession.create(model);
    const feeds = { x: new Tensor('float32', Float32Array.from({ length: 32 }, (_, i) => (i * 7) % 11), [1, 2, 4, 4]) };
    const ref = Array.from((await s.run(feeds)).y0!.data as Float32Array);

    // the pool kernel called once on a plane far past the end of memory: a genuine out-of-bounds trap
    const internals = s as unknown as Internals;
    const step = [...internals.plans.values()][0]!.steps.find((st) => st.op === 'MaxPool')!;
    const original = step.run;
    const k = internals.state.kernels;
    const win = internals.state.heap.put(windowParamsBlock({ H: 64, W: 64, kh: 2, kw: 2, sh: 1, sw: 1, dh: 1, dw: 1, pt: 0, pl: 0, pb: 0, pr: 0, OH: 63, OW: 63 }));
    step.run = () => {
      step.run = original;
      k.maxPoolF32(k.memory.buffer.byteLength - 16, 1, win, 0);
    };
    await expect(s.run(feeds)).rejects.toSatisfy((e) => isQtkError(e, 'E_EXECUTOR') && e.where.node === 'n0' && /MaxPool node 'n0': the WebAssembly kernel trapped \(RuntimeError/.test(e.message));

    const again = Array.from((await s.run(feeds)).y0!.data as Float32Array);
    expect(again).toEqual(ref);
    expect(ref.slice(0, 4)).toEqual([7, 9, 10, 8]);
  });
});
