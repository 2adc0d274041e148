/**
 * Which AttributeProto field carries the value of each attribute type, and the check that an
 * attribute's declared `type` agrees with the fields it fills (as the ONNX checker requires:
 * at most one value field, and it must be the one of the declared type).
 */
import { QtkError } from '../errors/QtkError.js';
import { AttributeType } from './schema.js';

/** AttributeProto value field (protobufjs name) of each attribute type number. */
export const ATTRIBUTE_FIELDS: ReadonlyMap<number, { field: string; name: string; list: boolean }> = new Map([
  [AttributeType.FLOAT, { field: 'f', name: 'FLOAT', list: false }],
  [AttributeType.INT, { field: 'i', name: 'INT', list: false }],
  [AttributeType.STRING, { field: 's', name: 'STRING', list: false }],
  [AttributeType.TENSOR, { field: 't', name: 'TENSOR', list: false }],
  [AttributeType.GRAPH, { field: 'g', name: 'GRAPH', list: false }],
  [AttributeType.SPARSE_TENSOR, { field: 'sparseTensor', name: 'SPARSE_TENSOR', list: false }],
  [AttributeType.TYPE_PROTO, { field: 'tp', name: 'TYPE_PROTO', list: false }],
  [AttributeType.FLOATS, { field: 'floats', name: 'FLOATS', list: true }],
  [AttributeType.INTS, { field: 'ints', name: 'INTS', list: true }],
  [AttributeType.STRINGS, { field: 'strings', name: 'STRINGS', list: true }],
  [AttributeType.TENSORS, { field: 'tensors', name: 'TENSORS', list: true }],
  [AttributeType.GRAPHS, { field: 'graphs', name: 'GRAPHS', list: true }],
  [AttributeType.SPARSE_TENSORS, { field: 'sparseTensors', name: 'SPARSE_TENSORS', list: true }],
  [AttributeType.TYPE_PROTOS, { field: 'typeProtos', name: 'TYPE_PROTOS', list: true }],
]);

/** Attribute types whose value is a message: it must be present, there is no default. */
const MESSAGE_TYPES: ReadonlySet<number> = new Set([AttributeType.TENSOR, AttributeType.GRAPH, AttributeType.SPARSE_TENSOR, AttributeType.TYPE_PROTO]);

type Proto = Record<string, any>;

/** The value fields a decoded AttributeProto fills (singular fields present, lists non-empty). */
export function filledAttributeFields(a: Proto): string[] {
  const out: string[] = [];
  for (const { field, list } of ATTRIBUTE_FIELDS.values()) {
    const v = a[field];
    if (list ? Array.isArray(v) && v.length > 0 : Object.prototype.hasOwnProperty.call(a, field) && v !== null && v !== undefined) out.push(field);
  }
  return out;
}

/**
 * Checks that attribute `a` of a node, declared with type number `type` (0 when undeclared),
 * fills at most one value field and that it is the field of `type`; E_ONNX_DECODE naming the
 * attribute otherwise. A known type with no value field is allowed where a default exists
 * (0, '', an empty list) and refused for message types (tensor, graph).
 */
export function checkAttributeFields(a: Proto, type: number): void {
  const name: string = a.name ?? '';
  const filled = filledAttributeFields(a);
  const where = { attribute: name };
  if (filled.length > 1) {
    throw new QtkError('E_ONNX_DECODE', `attribute '${name}' fills ${filled.length} value fields (${filled.join(', ')}); an attribute carries one`, where);
  }
  const spec = ATTRIBUTE_FIELDS.get(type);
  if (!spec) return;
  if (filled.length === 1 && filled[0] !== spec.field) {
    throw new QtkError('E_ONNX_DECODE', `attribute '${name}' is declared ${spec.name} but carries field '${filled[0]}'`, where);
  }
  if (filled.length === 0 && MESSAGE_TYPES.has(type)) {
    throw new QtkError('E_ONNX_DECODE', `attribute '${name}' is declared ${spec.name} but carries no value`, where);
  }
}
