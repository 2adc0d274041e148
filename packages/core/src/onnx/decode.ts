/**
 * ONNX protobuf bytes to the core IR. Takes bytes only (browser-safe); external
 * tensor data comes through a resolver the caller provides (see `@qtk/core/node`).
 */
import protobuf from 'protobufjs';
import { QtkError, isQtkError } from '../errors/QtkError.js';
import { dtypeFromOnnx, dataFromBytes, allocData, byteLengthOf, type DType, type TensorData } from '../ir/dtype.js';
import { Tensor, sizeOf } from '../ir/tensor.js';
import type { Attribute, AttributeValue, Dim, Graph, Model, Node, ValueInfo, ValueType } from '../ir/graph.js';
import { onnxTypes, AttributeType } from './schema.js';
import { big, num, utf8 } from './protoValues.js';
import { checkExternalLocation } from './externalPath.js';
import { parseExternalRange } from './externalRange.js';
import { ATTRIBUTE_FIELDS, checkAttributeFields, filledAttributeFields } from './attributeFields.js';

/**
 * Reads `length` bytes at `offset` of an external data file named by a safe relative
 * `location`. The decoder checks the location, and that offset and length are
 * non-negative integers, before it asks; when the model declares no length, `length` is
 * the tensor's byte size. A resolver must return exactly `length` bytes or throw.
 */
export type ExternalDataResolver = (location: string, offset: number, length: number) => Uint8Array;

/** Options of `decodeModel`. */
export interface DecodeOptions {
  /** Loads external tensor data; without it a model with external data is refused. */
  externalData?: ExternalDataResolver;
}

type Proto = Record<string, any>;

/** Whether a decoded message carries field `k` (defaults live on the prototype). */
const has = (m: Proto, k: string): boolean => Object.prototype.hasOwnProperty.call(m, k);

/**
 * Parses ONNX model bytes into a Model; throws E_ONNX_DECODE for truncated or non-ONNX input and
 * for values the format forbids (an attribute whose type disagrees with its value, negative
 * dims), naming the node, attribute or tensor. Only QtkErrors leave it.
 */
export function decodeModel(bytes: Uint8Array, options: DecodeOptions = {}): Model {
  const reader = protobuf.Reader.create(bytes);
  let m: Proto;
  try {
    m = onnxTypes.ModelProto.decode(reader) as unknown as Proto;
  } catch (e) {
    throw protobufError('ONNX model', e, bytes.byteLength, reader.pos);
  }
  if (!m.graph || num(m.irVersion) <= 0) {
    throw new QtkError('E_ONNX_DECODE', `not an ONNX model: ${!m.graph ? 'no graph' : 'no ir_version'} found in ${bytes.byteLength} bytes`);
  }
  return backstop(() => {
    const opsetImports = new Map<string, number>();
    for (const o of m.opsetImport ?? []) opsetImports.set(o.domain ?? '', num(o.version));
    const metadata = new Map<string, string>();
    for (const kv of m.metadataProps ?? []) metadata.set(kv.key ?? '', kv.value ?? '');
    const extra: Record<string, unknown> = {};
    for (const k of ['trainingInfo', 'functions', 'configuration'] as const) if (m[k]?.length) extra[k] = m[k];
    return {
      irVersion: num(m.irVersion),
      opsetImports,
      producerName: m.producerName || undefined,
      producerVersion: m.producerVersion || undefined,
      domain: m.domain || undefined,
      modelVersion: has(m, 'modelVersion') ? num(m.modelVersion) : undefined,
      docString: m.docString || undefined,
      metadata,
      graph: decodeGraph(m.graph, options),
      extra: Object.keys(extra).length ? extra : undefined,
    };
  });
}

/** E_ONNX_DECODE for a protobuf parse failure at byte `offset` (where the reader stopped). */
function protobufError(what: string, e: unknown, size: number, offset: number): QtkError {
  const msg = e instanceof Error ? e.message : String(e);
  return new QtkError('E_ONNX_DECODE', `not a valid ${what}: ${msg} near byte ${offset} (file is ${size} bytes; truncated or not ONNX?)`, { offset }, { cause: e });
}

/**
 * Runs one step of reading decoded messages; a non-QtkError escaping it (a value no check
 * foresaw) becomes E_ONNX_DECODE, so callers only ever see typed errors.
 */
function backstop<T>(read: () => T, where: { node?: string; attribute?: string; tensor?: string } = {}): T {
  try {
    return read();
  } catch (e) {
    if (isQtkError(e)) throw e;
    const place = where.node !== undefined ? ` in node '${where.node}'` : where.tensor !== undefined ? ` in tensor '${where.tensor}'` : '';
    throw new QtkError('E_ONNX_DECODE', `malformed model${place}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, where, { cause: e });
  }
}

/** Parses a serialized TensorProto (as in the ONNX backend test `.pb` files). */
export function decodeTensorBytes(bytes: Uint8Array, options: DecodeOptions = {}): Tensor {
  const reader = protobuf.Reader.create(bytes);
  let t: Proto;
  try {
    t = onnxTypes.TensorProto.decode(reader) as unknown as Proto;
  } catch (e) {
    throw protobufError('TensorProto', e, bytes.byteLength, reader.pos);
  }
  return backstop(() => decodeTensor(t, options), { tensor: t.name ?? '' });
}

function decodeGraph(g: Proto, options: DecodeOptions): Graph {
  const initializers = new Map<string, Tensor>();
  for (const t of g.initializer ?? []) initializers.set(t.name ?? '', decodeTensor(t, options));
  const valueInfo = new Map<string, ValueInfo>();
  for (const v of g.valueInfo ?? []) valueInfo.set(v.name ?? '', decodeValueInfo(v));
  const extra: Record<string, unknown> = {};
  for (const k of ['sparseInitializer', 'quantizationAnnotation', 'metadataProps'] as const) if (g[k]?.length) extra[k] = g[k];
  return {
    name: g.name ?? '',
    nodes: (g.node ?? []).map((n: Proto) => decodeNode(n, options)),
    inputs: (g.input ?? []).map(decodeValueInfo),
    outputs: (g.output ?? []).map(decodeValueInfo),
    initializers,
    valueInfo,
    docString: g.docString || undefined,
    extra: Object.keys(extra).length ? extra : undefined,
  };
}

function decodeNode(n: Proto, options: DecodeOptions): Node {
  const extra: Record<string, unknown> = {};
  if (n.overload) extra.overload = n.overload;
  for (const k of ['metadataProps', 'deviceConfigurations'] as const) if (n[k]?.length) extra[k] = n[k];
  const node: Node = {
    name: n.name ?? '',
    opType: n.opType ?? '',
    domain: n.domain ?? '',
    inputs: [...(n.input ?? [])],
    outputs: [...(n.output ?? [])],
    attributes: [],
  };
  try {
    node.attributes = (n.attribute ?? []).map((a: Proto) => backstop(() => decodeAttribute(a, options), { node: node.name, attribute: a.name ?? '' }));
  } catch (e) {
    if (isQtkError(e) && !e.where.node) throw new QtkError(e.code, `${e.message} (node '${node.name}', ${node.opType})`, { ...e.where, node: node.name }, { cause: e });
    throw e;
  }
  if (n.docString) node.docString = n.docString;
  if (Object.keys(extra).length) node.extra = extra;
  return node;
}

function decodeAttribute(a: Proto, options: DecodeOptions): Attribute {
  const filled = filledAttributeFields(a);
  const type: number = a.type || inferAttrType(filled);
  checkAttributeFields(a, a.type || 0);
  let value: AttributeValue;
  switch (type) {
    case AttributeType.FLOAT: value = { kind: 'float', value: typeof a.f === 'number' ? a.f : 0 }; break;
    case AttributeType.INT: value = intValue(a.i); break;
    case AttributeType.STRING: value = { kind: 'string', value: utf8(a.s) }; break;
    case AttributeType.TENSOR: value = { kind: 'tensor', value: decodeTensor(a.t, options) }; break;
    case AttributeType.GRAPH: value = { kind: 'graph', value: decodeGraph(a.g, options) }; break;
    case AttributeType.FLOATS: value = { kind: 'floats', value: [...(a.floats ?? [])] }; break;
    case AttributeType.INTS: value = intsValue(a.ints ?? []); break;
    case AttributeType.STRINGS: value = { kind: 'strings', value: (a.strings ?? []).map(utf8) }; break;
    case AttributeType.TENSORS: value = { kind: 'tensors', value: (a.tensors ?? []).map((t: Proto) => decodeTensor(t, options)) }; break;
    case AttributeType.GRAPHS: value = { kind: 'graphs', value: (a.graphs ?? []).map((g: Proto) => decodeGraph(g, options)) }; break;
    default: value = { kind: 'opaque', type, proto: a };
  }
  const out: Attribute = { name: a.name ?? '', value };
  if (a.docString) out.docString = a.docString;
  if (a.refAttrName) out.refAttrName = a.refAttrName;
  return out;
}

/** An INT attribute; `exact` keeps the int64 when a double cannot. */
function intValue(x: unknown): AttributeValue {
  const value = num(x);
  return Number.isSafeInteger(value) ? { kind: 'int', value } : { kind: 'int', value, exact: big(x) };
}

/** An INTS attribute; `exact` keeps every int64 when some double cannot. */
function intsValue(xs: unknown[]): AttributeValue {
  const value = xs.map(num);
  return value.every(Number.isSafeInteger) ? { kind: 'ints', value } : { kind: 'ints', value, exact: xs.map(big) };
}

/** The type of an attribute written without one (old models): that of the field it fills, else FLOAT. */
function inferAttrType(filled: string[]): number {
  for (const [type, { field }] of ATTRIBUTE_FIELDS) if (field === filled[0]) return type;
  return AttributeType.FLOAT;
}

function decodeValueInfo(v: Proto): ValueInfo {
  const out: ValueInfo = { name: v.name ?? '' };
  if (v.type) out.type = decodeType(v.type);
  if (v.docString) out.docString = v.docString;
  if (v.metadataProps?.length) out.extra = { metadataProps: v.metadataProps };
  return out;
}

function decodeType(t: Proto): ValueType {
  if (!t.tensorType) return { kind: 'opaque', proto: t };
  const tt = t.tensorType;
  const out: ValueType = { kind: 'tensor', dtype: dtypeFromOnnx(tt.elemType ?? 0) };
  if (tt.shape) out.shape = (tt.shape.dim ?? []).map((d: Proto): Dim => (d.value === 'dimParam' ? d.dimParam : d.value === 'dimValue' ? num(d.dimValue) : null));
  if (t.denotation) out.denotation = t.denotation;
  return out;
}

/** Decodes one TensorProto message (inline, typed fields or external data). */
export function decodeTensor(t: Proto, options: DecodeOptions): Tensor {
  const name: string = t.name ?? '';
  const dims: number[] = (t.dims ?? []).map(num);
  const dtype = dtypeFromOnnx(t.dataType ?? 0, { tensor: name });
  const count = checkedCount(dims, name);
  if (t.dataLocation === 1) return new Tensor(dtype, readExternal(t, dtype, count, options), dims);
  if (t.rawData && t.rawData.byteLength > 0) return new Tensor(dtype, dataFromBytes(dtype, t.rawData, count, name), dims);
  return new Tensor(dtype, fromTypedFields(t, dtype, count, name), dims);
}

/** Element count of `dims`; E_ONNX_DECODE naming the tensor for a negative dim or a count past 2^53. */
function checkedCount(dims: readonly number[], name: string): number {
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) throw new QtkError('E_ONNX_DECODE', `tensor '${name}' has dim ${d} in [${dims.join(',')}]; dims are non-negative integers`, { tensor: name });
  }
  const count = sizeOf(dims);
  if (!Number.isSafeInteger(count)) throw new QtkError('E_ONNX_DECODE', `tensor '${name}' of dims [${dims.join(',')}] has more elements than can be addressed`, { tensor: name });
  return count;
}

function readExternal(t: Proto, dtype: DType, count: number, options: DecodeOptions): TensorData {
  const name: string = t.name ?? '';
  const info = new Map<string, string>((t.externalData ?? []).map((kv: Proto) => [kv.key, kv.value]));
  const location = info.get('location');
  if (!location) throw new QtkError('E_EXTERNAL_DATA', `tensor '${name}' has external data without a location`, { tensor: name });
  checkExternalLocation(location, name);
  const range = parseExternalRange(info.get('offset'), info.get('length'), name, location);
  if (!options.externalData) {
    throw new QtkError('E_EXTERNAL_DATA', `tensor '${name}' keeps its data in '${location}'; load the model from a path (or pass an externalData resolver)`, { tensor: name });
  }
  if (dtype === 'string') throw new QtkError('E_EXTERNAL_DATA', `string tensor '${name}' cannot keep its data in external file '${location}'`, { tensor: name });
  const need = byteLengthOf(dtype, count);
  if (range.length !== undefined && range.length !== need) {
    throw new QtkError('E_EXTERNAL_DATA', `tensor '${name}' of ${count} ${dtype} needs ${need} bytes; external data '${location}' declares length ${range.length}`, { tensor: name });
  }
  let bytes: Uint8Array;
  try {
    bytes = options.externalData(location, range.offset, need);
  } catch (e) {
    if (isQtkError(e)) {
      if (e.where.tensor) throw e;
      throw new QtkError(e.code, `tensor '${name}': ${e.message}`, { ...e.where, tensor: name }, { cause: e });
    }
    throw new QtkError('E_EXTERNAL_DATA', `tensor '${name}': cannot read external data '${location}': ${(e as Error).message}`, { tensor: name }, { cause: e });
  }
  return dataFromBytes(dtype, bytes, count, name);
}

function fromTypedFields(t: Proto, dtype: DType, count: number, name: string): TensorData {
  if (count === 0) return allocData(dtype, 0);
  const check = (n: number) => {
    if (n !== count) throw new QtkError('E_ONNX_DECODE', `tensor '${name}' has ${n} values for ${count} elements`, { tensor: name });
  };
  switch (dtype) {
    case 'float32': check(t.floatData?.length ?? 0); return Float32Array.from(t.floatData);
    case 'float64': check(t.doubleData?.length ?? 0); return Float64Array.from(t.doubleData);
    case 'int64': check(t.int64Data?.length ?? 0); return BigInt64Array.from(t.int64Data, big);
    case 'uint64': check(t.uint64Data?.length ?? 0); return BigUint64Array.from(t.uint64Data, (x: unknown) => BigInt.asUintN(64, big(x)));
    case 'uint32': check(t.uint64Data?.length ?? 0); return Uint32Array.from(t.uint64Data, num);
    case 'string': check(t.stringData?.length ?? 0); return (t.stringData as Uint8Array[]).map((b) => Uint8Array.from(b));
    case 'int4': case 'uint4': {
      const packed = Math.ceil(count / 2);
      const n = t.int32Data?.length ?? 0;
      if (n !== packed) throw new QtkError('E_ONNX_DECODE', `tensor '${name}' has ${n} packed values for ${count} 4-bit elements (${packed} expected)`, { tensor: name });
      return Uint8Array.from(t.int32Data);
    }
    default: {
      check(t.int32Data?.length ?? 0);
      const out = allocData(dtype, count) as Int32Array;
      for (let i = 0; i < count; i++) out[i] = t.int32Data[i];
      return out;
    }
  }
}
