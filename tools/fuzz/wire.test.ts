import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeVarint, flattenFields, parseMessage, readVarint, serializeFields, withSource } from './wire.js';

const digits = new Uint8Array(readFileSync(new URL('../../fixtures/digits/digits_cnn.onnx', import.meta.url)));

describe('protobuf wire format without a schema', () => {
  it('round-trips varints at the size and sign boundaries', () => {
    for (const v of [0, 1, 127, 128, 300, 2 ** 31, 2 ** 32, 2 ** 53 - 1]) {
      const b = encodeVarint(v);
      expect(readVarint(b, 0)).toEqual({ value: v, next: b.length });
    }
    expect(encodeVarint(2n ** 64n - 1n)).toHaveLength(10);
    expect(encodeVarint(-1n)).toEqual(encodeVarint(2n ** 64n - 1n));
  });

  it('refuses a varint cut short or longer than 10 bytes', () => {
    expect(readVarint(Uint8Array.of(0x80, 0x80), 0)).toBeUndefined();
    expect(readVarint(new Uint8Array(11).fill(0x80), 0)).toBeUndefined();
  });

  it('finds the ONNX structure of the digits model: graph (7) with nodes (7.1), initializers (7.5) and their dims (7.5.1)', () => {
    const tree = parseMessage(digits)!;
    const paths = new Set(flattenFields(tree).map((f) => f.path));
    for (const p of ['1', '7', '7.1', '7.1.4', '7.5', '7.5.1', '7.11', '8']) expect(paths.has(p)).toBe(true);
    const graph = tree.find((f) => f.no === 7)!;
    expect(graph.wire).toBe(2);
    expect(graph.children!.filter((f) => f.no === 1).length).toBeGreaterThan(5);
  });

  it('writes an unedited tree back to the identical bytes', () => {
    const out = serializeFields(withSource(parseMessage(digits)!, digits));
    expect(Buffer.from(out).equals(Buffer.from(digits))).toBe(true);
  });

  it('recomputes every enclosing length when a nested field is dropped', () => {
    const root = withSource(parseMessage(digits)!, digits);
    const graph = root.find((f) => !('raw' in f) && f.no === 7)!;
    if ('raw' in graph) throw new Error('unreachable');
    const before = graph.children!.length;
    graph.children!.splice(0, 1);
    const again = parseMessage(serializeFields(root))!;
    expect(again.find((f) => f.no === 7)!.children!.length).toBe(before - 1);
  });

  it('refuses a payload that claims more bytes than the message holds', () => {
    expect(parseMessage(Uint8Array.of(0x0a, 0x05, 0x01))).toBeUndefined();
    expect(parseMessage(Uint8Array.of(0x0b))).toBeUndefined(); // wire type 3 (groups) is not read
  });
});
