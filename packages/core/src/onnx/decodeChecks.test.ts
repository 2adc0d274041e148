import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from './index.js';
import { QtkError } from '../errors/QtkError.js';
import { Tensor } from '../ir/tensor.js';
import { createGraph, createModel, type Model } from '../ir/graph.js';
import { onnxTypes, AttributeType } from './schema.js';

type Proto = Record<string, any>;

/** A one-node MaxPool model, as a decoded protobuf message to mutate. */
function poolProto(): Proto {
  const g = createGraph('g');
  g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: [1, 1, 4, 4] } });
  g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32' } });
  g.initializers.set('w', new Tensor('float32', new Float32Array(4), [2, 2]));
  g.nodes.push({ name: 'pool', opType: 'MaxPool', domain: '', inputs: ['x'], outputs: ['y'], attributes: [{ name: 'kernel_shape', value: { kind: 'ints', value: [2, 2] } }] });
  const bytes = encodeModel(createModel(g, 17)).model;
  return onnxTypes.ModelProto.toObject(onnxTypes.ModelProto.decode(bytes), { defaults: false }) as Proto;
}

function bytesOf(m: Proto): Uint8Array {
  return onnxTypes.ModelProto.encode(onnxTypes.ModelProto.fromObject(m)).finish();
}

/** The error decodeModel throws for `bytes` (fails the test when it does not throw). */
function decodeError(bytes: Uint8Array): QtkError {
  try {
    decodeModel(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(QtkError);
    return e as QtkError;
  }
  throw new Error('decodeModel accepted the model');
}

describe('decodeModel: attribute types must match their values', () => {
  it('refuses an INTS attribute declared TENSOR, naming node and attribute', () => {
    const m = poolProto();
    m.graph.node[0].attribute[0].type = AttributeType.TENSOR;
    const e = decodeError(bytesOf(m));
    expect(e.code).toBe('E_ONNX_DECODE');
    expect(e.where).toMatchObject({ node: 'pool', attribute: 'kernel_shape' });
    expect(e.message).toMatch(/kernel_shape.*declared TENSOR but carries field 'ints'/);
  });

  it('refuses a GRAPH attribute with no graph instead of failing on the missing message', () => {
    const m = poolProto();
    m.graph.node[0].attribute.push({ name: 'body', type: AttributeType.GRAPH });
    const e = decodeError(bytesOf(m));
    expect(e.where).toMatchObject({ node: 'pool', attribute: 'body' });
    expect(e.message).toMatch(/declared GRAPH but carries no value/);
  });

  it('refuses an attribute filling two value fields', () => {
    const m = poolProto();
    m.graph.node[0].attribute.push({ name: 'two', f: 1, ints: [1, 2] });
    expect(decodeError(bytesOf(m)).message).toMatch(/'two' fills 2 value fields/);
  });

  it('reads an attribute without a type from the field it fills, and a typed one with its default', () => {
    const m = poolProto();
    m.graph.node[0].attribute.push({ name: 'untyped', ints: [3] }, { name: 'zero', type: AttributeType.INT });
    const attrs = decodeModel(bytesOf(m)).graph.nodes[0]!.attributes;
    expect(attrs.find((a) => a.name === 'untyped')!.value).toEqual({ kind: 'ints', value: [3] });
    expect(attrs.find((a) => a.name === 'zero')!.value).toEqual({ kind: 'int', value: 0 });
  });
});

describe('decodeModel: values it reads are checked', () => {
  it('refuses an initializer with a negative dim, naming the tensor', () => {
    const m = poolProto();
    m.graph.initializer[0].dims = [-2, 2];
    const e = decodeError(bytesOf(m));
    expect(e.where.tensor).toBe('w');
    expect(e.message).toMatch(/dim -2/);
  });

  it('refuses an initializer whose dims multiply past 2^53 instead of allocating', () => {
    const m = poolProto();
    m.graph.initializer[0].dims = [2 ** 40, 2 ** 20];
    expect(decodeError(bytesOf(m)).message).toMatch(/more elements than can be addressed/);
  });

  it('refuses a non-numeric external data offset with E_EXTERNAL_DATA', () => {
    const m = poolProto();
    const t = m.graph.initializer[0];
    delete t.rawData;
    t.dataLocation = 1;
    t.externalData = [{ key: 'location', value: 'w.bin' }, { key: 'offset', value: '-5' }];
    try {
      decodeModel(bytesOf(m), { externalData: () => new Uint8Array(16) });
      expect.unreachable();
    } catch (e) {
      expect((e as QtkError).code).toBe('E_EXTERNAL_DATA');
      expect((e as QtkError).message).toMatch(/offset '-5'/);
    }
  });

  it('names the byte offset of a truncated file', () => {
    const bytes = bytesOf(poolProto());
    const e = decodeError(bytes.subarray(0, bytes.byteLength - 7));
    expect(e.code).toBe('E_ONNX_DECODE');
    expect(e.where.offset).toBeGreaterThan(0);
    expect(e.message).toMatch(/near byte \d+/);
  });

  it('lets only QtkErrors out for every single-byte change of a small model', () => {
    const bytes = bytesOf(poolProto());
    const untyped: string[] = [];
    for (let i = 0; i < bytes.byteLength; i++) {
      for (const v of [0x00, 0xff, bytes[i]! ^ 0x08, bytes[i]! + 1]) {
        const b = bytes.slice();
        b[i] = v & 0xff;
        try {
          decodeModel(b);
        } catch (e) {
          if (!(e instanceof QtkError)) untyped.push(`byte ${i} = ${v}: ${(e as Error).name}: ${(e as Error).message}`);
        }
      }
    }
    expect(untyped).toEqual([]);
  });
});

describe('int64 values round-trip exactly', () => {
  const MAX = (1n << 63n) - 1n, MIN = -(1n << 63n);

  function roundTrip(m: Model): Model {
    return decodeModel(encodeModel(m).model);
  }

  it('keeps ir_version and model_version INT64_MAX instead of wrapping to INT64_MIN', () => {
    const m = decodeModel(bytesOf({ ...poolProto(), irVersion: MAX.toString(), modelVersion: MIN.toString() }));
    const raw = onnxTypes.ModelProto.decode(encodeModel(m).model) as unknown as Proto;
    expect(BigInt(raw.irVersion.toString())).toBe(MAX);
    expect(BigInt(raw.modelVersion.toString())).toBe(MIN);
    expect(roundTrip(m).irVersion).toBe(Number(MAX));
  });

  it('keeps INT and INTS attributes at INT64_MAX, INT64_MIN and just inside them', () => {
    const m = poolProto();
    m.graph.node[0].attribute.push(
      { name: 'max', type: AttributeType.INT, i: MAX.toString() },
      { name: 'min', type: AttributeType.INT, i: MIN.toString() },
      { name: 'list', type: AttributeType.INTS, ints: [MAX.toString(), (MAX - 1n).toString(), '7', (MIN + 1n).toString()] },
    );
    const once = decodeModel(bytesOf(m));
    const twice = roundTrip(once);
    const attr = (name: string) => twice.graph.nodes[0]!.attributes.find((a) => a.name === name)!.value;
    expect(attr('max')).toMatchObject({ kind: 'int', exact: MAX });
    expect(attr('min')).toMatchObject({ kind: 'int', value: Number(MIN), exact: MIN });
    expect(attr('list')).toMatchObject({ kind: 'ints', exact: [MAX, MAX - 1n, 7n, MIN + 1n] });
    const raw = onnxTypes.ModelProto.decode(encodeModel(twice).model) as unknown as Proto;
    expect(raw.graph.node[0].attribute.find((a: Proto) => a.name === 'list').ints.map((x: unknown) => BigInt(String(x)))).toEqual([MAX, MAX - 1n, 7n, MIN + 1n]);
  });

  it('writes an int attribute edited after decoding from its new value, not the stale exact one', () => {
    const m = poolProto();
    m.graph.node[0].attribute.push({ name: 'end', type: AttributeType.INT, i: MAX.toString() });
    const once = decodeModel(bytesOf(m));
    const end = once.graph.nodes[0]!.attributes.find((a) => a.name === 'end')!;
    end.value = { ...(end.value as { kind: 'int'; value: number; exact?: bigint }), value: 5 };
    expect(roundTrip(once).graph.nodes[0]!.attributes.find((a) => a.name === 'end')!.value).toEqual({ kind: 'int', value: 5 });
  });

  it('keeps int64 tensors at INT64_MAX and INT64_MIN from raw data and from int64_data', () => {
    const m = poolProto();
    m.graph.initializer.push({ name: 'raw', dims: [2], dataType: 7, rawData: new Uint8Array(new BigInt64Array([MAX, MIN]).buffer) });
    m.graph.initializer.push({ name: 'typed', dims: [2], dataType: 7, int64Data: [MAX.toString(), MIN.toString()] });
    const back = roundTrip(decodeModel(bytesOf(m)));
    expect([...(back.graph.initializers.get('raw')!.data as BigInt64Array)]).toEqual([MAX, MIN]);
    expect([...(back.graph.initializers.get('typed')!.data as BigInt64Array)]).toEqual([MAX, MIN]);
  });

  it('refuses to write an int attribute that is not an integer, naming node and attribute', () => {
    const m = decodeModel(bytesOf(poolProto()));
    m.graph.nodes[0]!.attributes.push({ name: 'half', value: { kind: 'int', value: 0.5 } });
    expect(() => encodeModel(m)).toThrow(expect.objectContaining({ code: 'E_GRAPH', where: { node: 'pool', attribute: 'half' } }));
  });
});
