import { describe, expect, it } from 'vitest';
import { QtkError } from '@qtk/core';
import { classifyError, signature, topFrame } from './classify.js';

describe('fuzz outcome classes', () => {
  it('classifies a QtkError as typed with its code', () => {
    expect(classifyError(new QtkError('E_ONNX_DECODE', 'truncated'))).toEqual({ kind: 'typed', code: 'E_ONNX_DECODE', name: 'QtkError', message: 'truncated' });
  });

  it('classifies TypeError and RangeError as untyped, a WebAssembly RuntimeError as an escaped trap', () => {
    expect(classifyError(new TypeError('x')).kind).toBe('untyped');
    expect(classifyError(new RangeError('Invalid typed array length: -1')).kind).toBe('untyped');
    expect(classifyError(new WebAssembly.RuntimeError('memory access out of bounds')).kind).toBe('trap');
    expect(classifyError('a string').kind).toBe('untyped');
  });

  it('names the topmost workspace frame, skipping node internals and node_modules', () => {
    const stack = 'TypeError: x\n    at f (node:internal/encoding:447:16)\n    at g (/r/node_modules/protobufjs/src/reader.js:3:1)\n    at h (/r/packages/core/src/onnx/decode.ts:163:26)';
    expect(topFrame(stack)).toBe('packages/core/src/onnx/decode.ts:163');
  });

  it('gives one signature to errors that differ only in numbers and quoted names', () => {
    const a = signature({ kind: 'untyped', name: 'RangeError', message: "tensor 'w1' needs 12 bytes" });
    const b = signature({ kind: 'untyped', name: 'RangeError', message: "tensor 'conv.weight' needs 4096 bytes" });
    expect(a).toBe(b);
    expect(signature({ kind: 'trap', name: 'RuntimeError', message: "tensor 'w1' needs 12 bytes" })).not.toBe(a);
  });
});
