import { describe, expect, it } from 'vitest';
import { isQtkError } from '@qtk/core';
import { parsePrecision, parsePrecisions, PRECISIONS } from './precision.js';

/** The QtkError `fn` throws. */
function thrown(fn: () => unknown) {
  try { fn(); } catch (e) { if (isQtkError(e)) return e; throw e; }
  throw new Error('expected a QtkError');
}

describe('precision names', () => {
  it('takes every built-in id as it is', () => {
    for (const p of PRECISIONS) expect(parsePrecision(p)).toBe(p);
    expect(parsePrecision('file:q.onnx')).toBe('file:q.onnx');
  });

  it('reads int8 as static INT8, int4 as INT4 weight-only, dynamic as INT8 dynamic', () => {
    expect(parsePrecisions(['fp32', 'int8', 'int4', 'dynamic'])).toEqual(['fp32', 'int8-static', 'int4-weight-only', 'int8-dynamic']);
  });

  it('refuses an unknown name with E_OPTION listing the ids and the short names', () => {
    const e = thrown(() => parsePrecision('int3'));
    expect(e).toMatchObject({ code: 'E_OPTION', where: { option: 'precisions' } });
    expect(e.message).toContain("unknown precision 'int3'; use fp32, int8-static, int8-dynamic, int4-weight-only, file:PATH.onnx");
    expect(e.message).toContain('int8 (int8-static)');
    expect(e.message).toContain('int4 (int4-weight-only)');
  });

  it('refuses two names of one precision, saying which', () => {
    expect(thrown(() => parsePrecisions(['int8', 'int8-static'])).message).toBe("precisions list 'int8' and 'int8-static', both int8-static; give each precision once");
    expect(thrown(() => parsePrecisions(['fp32', 'fp32'])).message).toContain("'fp32' twice");
  });
});
