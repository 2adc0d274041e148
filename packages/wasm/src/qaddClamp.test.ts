import { describe, expect, it } from 'vitest';
import { ACT_HI, ACT_LO } from './ops/activation.js';
import { FUSED_DOMAIN } from './ops/qlinear.js';
import { float, runOne, type TestInput } from './test-support/graphs.js';

const scalar = (name: string, type: TestInput['type'], v: number): TestInput => ({ name, type, dims: [], data: [v], init: true });

/** A fused QAdd over uint8 codes (scales 1, zero points 0) with output zero point `zy`. */
async function qadd(bDims: number[], clamp: Record<string, number>, zy = 0): Promise<number[]> {
  const a: TestInput = { name: 'a', type: 'uint8', dims: [2, 3], data: [0, 10, 20, 100, 200, 250] };
  const bn = bDims.reduce((p, q) => p * q, 1);
  const b: TestInput = { name: 'b', type: 'uint8', dims: bDims, data: Array.from({ length: bn }, (_, i) => 5 * i) };
  const attrs = Object.fromEntries(Object.entries(clamp).map(([k, v]) => [k, float(v)]));
  const inputs = [a, scalar('sa', 'float32', 1), scalar('za', 'uint8', 0), b, scalar('sb', 'float32', 1), scalar('zb', 'uint8', 0), scalar('sy', 'float32', 1), scalar('zy', 'uint8', zy)];
  const [y] = await runOne('QAdd', inputs, attrs, { domain: FUSED_DOMAIN });
  return Array.from(y!.data as Uint8Array);
}

describe('fused QAdd clamp stays in the integer range of the output type', () => {
  // [3] tiles the output (kernel path); [2, 1] broadcasts along the inner axis (strided JS path)
  for (const bDims of [[3], [2, 1]]) {
    it(`a clamp above the range gives the top code, below it the bottom code (b dims [${bDims.join(',')}])`, async () => {
      expect(await qadd(bDims, { [ACT_LO]: 1000 })).toEqual(new Array(6).fill(255));
      expect(await qadd(bDims, { [ACT_LO]: -1000, [ACT_HI]: -10 })).toEqual(new Array(6).fill(0));
    });

    it(`a clamp inside the range limits the codes (b dims [${bDims.join(',')}])`, async () => {
      const free = await qadd(bDims, {});
      const clamped = await qadd(bDims, { [ACT_LO]: 12, [ACT_HI]: 120 });
      expect(clamped).toEqual(free.map((v) => Math.min(120, Math.max(12, v))));
    });
  }
});
