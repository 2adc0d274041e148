import { describe, expect, it } from 'vitest';
import { decodeModel } from './decode.js';
import { onnxTypes } from './schema.js';
import { utf8 } from './protoValues.js';

describe('protobuf value helpers', () => {
  it('utf8 reads bytes, an absent field and protobufjs\'s default bytes (a plain empty array)', () => {
    expect(utf8(new TextEncoder().encode('Relu'))).toBe('Relu');
    expect(utf8(undefined)).toBe('');
    expect(utf8([])).toBe('');
  });

  // found by the decode fuzz campaign (seed 1, case 972: an attribute's type varint set to STRING)
  it('decodes a STRING attribute that carries no s field as the empty string', () => {
    const bytes = onnxTypes.ModelProto.encode({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: { name: 'g', node: [{ name: 'n', opType: 'Identity', input: ['x'], output: ['y'], attribute: [{ name: 'mode', type: 3 }] }] },
    }).finish();
    const attr = decodeModel(bytes).graph.nodes[0]!.attributes[0]!;
    expect(attr).toEqual({ name: 'mode', value: { kind: 'string', value: '' } });
  });
});
