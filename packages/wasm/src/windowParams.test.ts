import { describe, expect, it } from 'vitest';
import { WINDOW_PARAMS_BYTES, WINDOW_PARAMS_FIELDS, windowParamsBlock } from './windowParams.js';

describe('window params block', () => {
  it('holds the fields at the int32 offsets assembly/window.ts reads (H at 0 ... OW at 52), unused slots 0', () => {
    const p = { H: 1, W: 2, kh: 3, kw: 4, sh: 5, sw: 6, dh: 7, dw: 8, pt: 9, pl: 10, pb: 11, pr: 12, OH: 13, OW: 14 };
    const block = windowParamsBlock(p);
    expect(block.byteLength).toBe(WINDOW_PARAMS_BYTES);
    expect(Array.from(block)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0, 0]);
    expect(WINDOW_PARAMS_FIELDS.indexOf('OW') * 4).toBe(52);
  });
});
