import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeModel, encodeModel, decodeTensorBytes, encodeTensorBytes } from './index.js';
import { isQtkError } from '../errors/QtkError.js';
import { Tensor } from '../ir/tensor.js';
import { createGraph, createModel, type Model } from '../ir/graph.js';
import { loadModelFile, saveModelFile } from '../node.js';
import { onnxTypes } from './schema.js';

const digits = new URL('../../../../fixtures/digits/digits_cnn.onnx', import.meta.url);

function withWeights(): Model {
  const g = createGraph('g');
  g.inputs.push({ name: 'x', type: { kind: 'tensor', dtype: 'float32', shape: ['N', 4] } });
  g.outputs.push({ name: 'y', type: { kind: 'tensor', dtype: 'float32', shape: ['N', 3] } });
  g.initializers.set('w', new Tensor('float32', Float32Array.from({ length: 12 }, (_, i) => i * 0.5), [4, 3]));
  g.initializers.set('big', new Tensor('float32', new Float32Array(2048).fill(1.5), [2048]));
  g.nodes.push({ name: 'mm', opType: 'MatMul', domain: '', inputs: ['x', 'w'], outputs: ['y'], attributes: [] });
  return createModel(g, 17);
}

describe('ONNX read/write', () => {
  it('round-trips the digits CNN to identical bytes after one normalising pass', () => {
    const bytes = readFileSync(digits);
    const once = encodeModel(decodeModel(bytes)).model;
    const twice = encodeModel(decodeModel(once)).model;
    expect(Buffer.from(twice).equals(Buffer.from(once))).toBe(true);
  });

  it('keeps attributes of every kind, metadata, doc strings, symbolic dims and custom-domain opsets', () => {
    const m = withWeights();
    m.metadata.set('author', 'qtk');
    m.docString = 'doc';
    m.opsetImports.set('com.microsoft', 1);
    const sub = createGraph('body');
    sub.outputs.push({ name: 'x' });
    m.graph.nodes[0]!.attributes.push(
      { name: 'f', value: { kind: 'float', value: 0.5 } },
      { name: 'i', value: { kind: 'int', value: -7 } },
      { name: 's', value: { kind: 'string', value: 'héllo' } },
      { name: 'fs', value: { kind: 'floats', value: [1, 2.5] } },
      { name: 'is', value: { kind: 'ints', value: [1, -1, 9223372036854775807] } },
      { name: 'ss', value: { kind: 'strings', value: ['a', 'b'] } },
      { name: 't', value: { kind: 'tensor', value: Tensor.int64([3, 4]) } },
      { name: 'g', value: { kind: 'graph', value: sub } },
    );
    const back = decodeModel(encodeModel(m).model);
    expect(back.metadata.get('author')).toBe('qtk');
    expect(back.docString).toBe('doc');
    expect(back.opsetImports.get('com.microsoft')).toBe(1);
    expect(back.graph.inputs[0]!.type).toEqual({ kind: 'tensor', dtype: 'float32', shape: ['N', 4] });
    const attrs = Object.fromEntries(back.graph.nodes[0]!.attributes.map((a) => [a.name, a.value]));
    expect(attrs.f).toEqual({ kind: 'float', value: 0.5 });
    expect(attrs.i).toEqual({ kind: 'int', value: -7 });
    expect(attrs.s).toEqual({ kind: 'string', value: 'héllo' });
    expect(attrs.ss).toEqual({ kind: 'strings', value: ['a', 'b'] });
    expect(attrs.is!.kind === 'ints' && attrs.is!.value.slice(0, 2)).toEqual([1, -1]);
    expect(attrs.t!.kind === 'tensor' && attrs.t!.value.toNumbers()).toEqual([3, 4]);
    expect(attrs.g!.kind === 'graph' && attrs.g!.value.name).toBe('body');
  });

  it('stores 4-bit tensors packed two per byte, low nibble first, and reads them back', () => {
    const t = Tensor.zeros('int4', [3]);
    t.set(0, -8); t.set(1, 7); t.set(2, -1);
    expect([...(t.data as Uint8Array)]).toEqual([0x78, 0x0f]);
    const back = decodeTensorBytes(encodeTensorBytes(t));
    expect(back.dtype).toBe('int4');
    expect(back.toNumbers()).toEqual([-8, 7, -1]);
  });

  it('refuses a truncated model with E_ONNX_DECODE', () => {
    const bytes = readFileSync(digits);
    let err: unknown;
    try { decodeModel(bytes.subarray(0, Math.floor(bytes.length / 2))); } catch (e) { err = e; }
    expect(isQtkError(err, 'E_ONNX_DECODE')).toBe(true);
  });

  it('refuses a file that is not ONNX with E_ONNX_DECODE', () => {
    expect(() => decodeModel(new TextEncoder().encode('this is not an onnx model at all'))).toThrow(/ONNX/);
    expect(() => decodeModel(new Uint8Array(0))).toThrow(/not an ONNX model/);
  });

  it('writes external data beside the model and reads it back through loadModelFile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qtk-ext-'));
    const file = join(dir, 'm.onnx');
    const r = await saveModelFile(withWeights(), file, { externalData: true });
    expect(r.externalBytes).toBeGreaterThanOrEqual(2048 * 4);
    expect(existsSync(join(dir, 'm.onnx.data'))).toBe(true);
    const back = await loadModelFile(file);
    expect(back.graph.initializers.get('big')!.toFloat32()[2047]).toBe(1.5);
    expect(back.graph.initializers.get('w')!.toFloat32()[11]).toBe(5.5);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it.each([['/etc/passwd'], ['../outside.bin'], ['sub/../../x.bin'], ['C:\\data.bin']])('refuses external data location %s with E_UNSAFE_PATH before reading it', (location) => {
    let asked = false;
    const raw = encodeTensorWithLocation(location);
    let err: unknown;
    try { decodeTensorBytes(raw, { externalData: () => { asked = true; return new Uint8Array(4); } }); } catch (e) { err = e; }
    expect(isQtkError(err, 'E_UNSAFE_PATH')).toBe(true);
    expect(asked).toBe(false);
  });

  it('leaves no partial file when a save fails (E_IO)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qtk-fail-'));
    const file = join(dir, 'missing-sub', 'm.onnx');
    await expect(saveModelFile(withWeights(), file)).rejects.toSatisfy((e) => isQtkError(e, 'E_IO'));
    expect(readdirSync(dir)).toEqual([]);
    writeFileSync(join(dir, 'keep.onnx'), 'x');
    expect(readFileSync(join(dir, 'keep.onnx'), 'utf8')).toBe('x');
  });
});

/** A float32 [1] TensorProto whose data lives at `location` (built with the ONNX schema). */
function encodeTensorWithLocation(location: string): Uint8Array {
  const externalData = [{ key: 'location', value: location }, { key: 'offset', value: '0' }, { key: 'length', value: '4' }];
  return onnxTypes.TensorProto.encode({ dims: [1], dataType: 1, name: 'w', dataLocation: 1, externalData }).finish();
}
