/**
 * The core IR to ONNX protobuf bytes. Tensor data goes inline as raw_data, or into one
 * external data blob when asked (or required: protobuf cannot hold 2 GiB).
 */
import { QtkError, type QtkErrorWhere } from '../errors/QtkError.js';
import { bytesOf, onnxCode } from '../ir/dtype.js';
import type { Tensor } from '../ir/tensor.js';
import type { AttributeValue, Graph, Model, Node, ValueInfo, ValueType } from '../ir/graph.js';
import { onnxTypes, AttributeType } from './schema.js';
import { int64Bits, toUtf8, type Int64Bits } from './protoValues.js';
import { checkExternalLocation } from './externalPath.js';

/** Options of `encodeModel`. */
export interface EncodeOptions {
  /** Put tensors of at least `sizeThreshold` bytes (default 1024) into an external blob named `location`. */
  externalData?: { location: string; sizeThreshold?: number };
}

/** The encoded model, plus the external data blob when one was written. */
export interface EncodedModel {
  model: Uint8Array;
  external?: { location: string; bytes: Uint8Array };
}

/** Protobuf's hard limit on one message. */
export const PROTOBUF_LIMIT = 2 ** 31 - 1;

type Proto = Record<string, unknown>;

class ExternalWriter {
  private chunks: Uint8Array[] = [];
  private size = 0;
  constructor(readonly location: string, readonly threshold: number) {}
  /** Appends bytes at a 4096-aligned offset; returns the external_data entries. */
  add(bytes: Uint8Array): Proto[] {
    const pad = (4096 - (this.size % 4096)) % 4096;
    if (pad) { this.chunks.push(new Uint8Array(pad)); this.size += pad; }
    const offset = this.size;
    this.chunks.push(bytes);
    this.size += bytes.byteLength;
    return [
      { key: 'location', value: this.location },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(bytes.byteLength) },
    ];
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let p = 0;
    for (const c of this.chunks) { out.set(c, p); p += c.byteLength; }
    return out;
  }
}

/** Serializes a Model; throws E_IO when inline data would pass protobuf's 2 GiB limit. */
export function encodeModel(model: Model, options: EncodeOptions = {}): EncodedModel {
  let ext: ExternalWriter | undefined;
  if (options.externalData) {
    checkExternalLocation(options.externalData.location);
    ext = new ExternalWriter(options.externalData.location, options.externalData.sizeThreshold ?? 1024);
  } else if (initializerBytes(model.graph) > PROTOBUF_LIMIT - 64 * 1024 * 1024) {
    throw new QtkError('E_IO', 'model weights exceed the 2 GiB protobuf limit; save with external data');
  }
  const m: Proto = {
    irVersion: int64(model.irVersion, 'ir_version'),
    opsetImport: [...model.opsetImports].map(([domain, version]) => ({ domain, version: int64(version, `opset version of domain '${domain}'`) })),
    graph: encodeGraph(model.graph, ext),
    metadataProps: [...model.metadata].map(([key, value]) => ({ key, value })),
  };
  if (model.producerName) m.producerName = model.producerName;
  if (model.producerVersion) m.producerVersion = model.producerVersion;
  if (model.domain) m.domain = model.domain;
  if (model.modelVersion !== undefined) m.modelVersion = int64(model.modelVersion, 'model_version');
  if (model.docString) m.docString = model.docString;
  Object.assign(m, model.extra ?? {});
  const bytes = onnxTypes.ModelProto.encode(m).finish();
  return ext ? { model: bytes, external: { location: ext.location, bytes: ext.finish() } } : { model: bytes };
}

/** `value` as an int64 field (exact beyond ±2^53 through `exact`); E_GRAPH naming `what` when not an integer. */
function int64(value: number, what: string, where: QtkErrorWhere = {}, exact?: bigint): Int64Bits {
  const bits = int64Bits(value, exact);
  if (!bits) throw new QtkError('E_GRAPH', `${what} is ${value}, not an integer`, where);
  return bits;
}

/** Serializes one tensor as a TensorProto (as in ONNX backend test `.pb` files). */
export function encodeTensorBytes(t: Tensor, name = ''): Uint8Array {
  return onnxTypes.TensorProto.encode(encodeTensor(t, name)).finish();
}

function initializerBytes(g: Graph): number {
  let s = 0;
  for (const t of g.initializers.values()) if (!Array.isArray(t.data)) s += t.data.byteLength;
  return s;
}

function encodeGraph(g: Graph, ext?: ExternalWriter): Proto {
  const out: Proto = {
    name: g.name,
    node: g.nodes.map((n) => encodeNode(n, ext)),
    initializer: [...g.initializers].map(([name, t]) => encodeTensor(t, name, ext)),
    input: g.inputs.map(encodeValueInfo),
    output: g.outputs.map(encodeValueInfo),
    valueInfo: [...g.valueInfo.values()].map(encodeValueInfo),
  };
  if (g.docString) out.docString = g.docString;
  Object.assign(out, g.extra ?? {});
  return out;
}

function encodeNode(n: Node, ext?: ExternalWriter): Proto {
  const out: Proto = {
    input: n.inputs,
    output: n.outputs,
    name: n.name,
    opType: n.opType,
    attribute: n.attributes.map((a) => {
      const where = { node: n.name, attribute: a.name };
      const p: Proto = { name: a.name, ...encodeAttrValue(a.value, ext, (x, i, exact) => int64(x, `attribute '${a.name}'${i === undefined ? '' : `[${i}]`} of node '${n.name}'`, where, exact)) };
      if (a.docString) p.docString = a.docString;
      if (a.refAttrName) p.refAttrName = a.refAttrName;
      return p;
    }),
  };
  if (n.domain) out.domain = n.domain;
  if (n.docString) out.docString = n.docString;
  Object.assign(out, n.extra ?? {});
  return out;
}

/** Writes one integer of an attribute (`i` is its index in a list). */
type AttrInt64 = (value: number, i: number | undefined, exact: bigint | undefined) => Int64Bits;

function encodeAttrValue(v: AttributeValue, ext: ExternalWriter | undefined, toInt64: AttrInt64): Proto {
  switch (v.kind) {
    case 'float': return { type: AttributeType.FLOAT, f: v.value };
    case 'int': return { type: AttributeType.INT, i: toInt64(v.value, undefined, v.exact) };
    case 'string': return { type: AttributeType.STRING, s: toUtf8(v.value) };
    case 'tensor': return { type: AttributeType.TENSOR, t: encodeTensor(v.value, '', undefined) };
    case 'graph': return { type: AttributeType.GRAPH, g: encodeGraph(v.value, ext) };
    case 'floats': return { type: AttributeType.FLOATS, floats: v.value };
    case 'ints': return { type: AttributeType.INTS, ints: v.value.map((x, i) => toInt64(x, i, v.exact?.[i])) };
    case 'strings': return { type: AttributeType.STRINGS, strings: v.value.map(toUtf8) };
    case 'tensors': return { type: AttributeType.TENSORS, tensors: v.value.map((t) => encodeTensor(t, '')) };
    case 'graphs': return { type: AttributeType.GRAPHS, graphs: v.value.map((g) => encodeGraph(g, ext)) };
    case 'opaque': { const { name: _n, docString: _d, refAttrName: _r, ...rest } = v.proto; return rest; }
  }
}

function encodeValueInfo(v: ValueInfo): Proto {
  const out: Proto = { name: v.name };
  if (v.type) out.type = encodeType(v.type);
  if (v.docString) out.docString = v.docString;
  Object.assign(out, v.extra ?? {});
  return out;
}

function encodeType(t: ValueType): Proto {
  if (t.kind === 'opaque') return t.proto as Proto;
  const tensorType: Proto = { elemType: onnxCode(t.dtype) };
  if (t.shape) {
    tensorType.shape = {
      dim: t.shape.map((d) => (typeof d === 'number' ? { dimValue: int64(d, 'a dimension') } : typeof d === 'string' ? { dimParam: d } : {})),
    };
  }
  const out: Proto = { tensorType };
  if (t.denotation) out.denotation = t.denotation;
  return out;
}

function encodeTensor(t: Tensor, name: string, ext?: ExternalWriter): Proto {
  const out: Proto = { dims: [...t.dims], dataType: onnxCode(t.dtype) };
  if (name) out.name = name;
  if (t.dtype === 'string') {
    out.stringData = t.data as Uint8Array[];
    return out;
  }
  const raw = bytesOf(t.data);
  if (ext && raw.byteLength >= ext.threshold) {
    out.dataLocation = 1;
    out.externalData = ext.add(raw);
  } else if (raw.byteLength > 0) {
    out.rawData = raw;
  }
  return out;
}
