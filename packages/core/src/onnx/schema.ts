/**
 * The ONNX protobuf schema (IR version 10, `onnx.proto` in proto2 syntax) as a
 * protobufjs reflection descriptor. Field numbers follow the ONNX specification.
 * Kept in code so that newer fields (functions, overloads, metadata_props, float8
 * and 4-bit element types) round-trip without loss.
 */
import protobuf from 'protobufjs';

type FieldDef = { type: string; id: number; rule?: 'repeated'; options?: { packed: boolean } };
const f = (type: string, id: number): FieldDef => ({ type, id });
const r = (type: string, id: number): FieldDef => ({ type, id, rule: 'repeated', options: { packed: false } });
const p = (type: string, id: number): FieldDef => ({ type, id, rule: 'repeated', options: { packed: true } });

const descriptor = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: f('string', 1), refAttrName: f('string', 21), docString: f('string', 13),
            type: f('int32', 20), f: f('float', 2), i: f('int64', 3), s: f('bytes', 4),
            t: f('TensorProto', 5), g: f('GraphProto', 6), sparseTensor: f('SparseTensorProto', 22),
            tp: f('TypeProto', 14), floats: r('float', 7), ints: r('int64', 8), strings: r('bytes', 9),
            tensors: r('TensorProto', 10), graphs: r('GraphProto', 11),
            sparseTensors: r('SparseTensorProto', 23), typeProtos: r('TypeProto', 15),
          },
        },
        ValueInfoProto: {
          fields: { name: f('string', 1), type: f('TypeProto', 2), docString: f('string', 3), metadataProps: r('StringStringEntryProto', 4) },
        },
        NodeProto: {
          fields: {
            input: r('string', 1), output: r('string', 2), name: f('string', 3), opType: f('string', 4),
            domain: f('string', 7), overload: f('string', 8), attribute: r('AttributeProto', 5),
            docString: f('string', 6), metadataProps: r('StringStringEntryProto', 9),
            deviceConfigurations: r('bytes', 10),
          },
        },
        TrainingInfoProto: {
          fields: {
            initialization: f('GraphProto', 1), algorithm: f('GraphProto', 2),
            initializationBinding: r('StringStringEntryProto', 3), updateBinding: r('StringStringEntryProto', 4),
          },
        },
        ModelProto: {
          fields: {
            irVersion: f('int64', 1), opsetImport: r('OperatorSetIdProto', 8), producerName: f('string', 2),
            producerVersion: f('string', 3), domain: f('string', 4), modelVersion: f('int64', 5),
            docString: f('string', 6), graph: f('GraphProto', 7), metadataProps: r('StringStringEntryProto', 14),
            trainingInfo: r('TrainingInfoProto', 20), functions: r('FunctionProto', 25),
            configuration: r('bytes', 26),
          },
        },
        StringStringEntryProto: { fields: { key: f('string', 1), value: f('string', 2) } },
        TensorAnnotation: { fields: { tensorName: f('string', 1), quantParameterTensorNames: r('StringStringEntryProto', 2) } },
        GraphProto: {
          fields: {
            node: r('NodeProto', 1), name: f('string', 2), initializer: r('TensorProto', 5),
            sparseInitializer: r('SparseTensorProto', 15), docString: f('string', 10), input: r('ValueInfoProto', 11),
            output: r('ValueInfoProto', 12), valueInfo: r('ValueInfoProto', 13),
            quantizationAnnotation: r('TensorAnnotation', 14), metadataProps: r('StringStringEntryProto', 16),
          },
        },
        TensorProto: {
          fields: {
            dims: r('int64', 1), dataType: f('int32', 2), segment: f('Segment', 3), floatData: p('float', 4),
            int32Data: p('int32', 5), stringData: r('bytes', 6), int64Data: p('int64', 7), name: f('string', 8),
            docString: f('string', 12), rawData: f('bytes', 9), externalData: r('StringStringEntryProto', 13),
            dataLocation: f('int32', 14), doubleData: p('double', 10), uint64Data: p('uint64', 11),
            metadataProps: r('StringStringEntryProto', 16),
          },
          nested: { Segment: { fields: { begin: f('int64', 1), end: f('int64', 2) } } },
        },
        SparseTensorProto: { fields: { values: f('TensorProto', 1), indices: f('TensorProto', 2), dims: r('int64', 3) } },
        TensorShapeProto: {
          fields: { dim: r('Dimension', 1) },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
              fields: { dimValue: f('int64', 1), dimParam: f('string', 2), denotation: f('string', 3) },
            },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensorType', 'sequenceType', 'mapType', 'optionalType', 'sparseTensorType'] } },
          fields: {
            tensorType: f('Tensor', 1), sequenceType: f('Sequence', 4), mapType: f('Map', 5),
            optionalType: f('Optional', 9), sparseTensorType: f('SparseTensor', 8), denotation: f('string', 6),
          },
          nested: {
            Tensor: { fields: { elemType: f('int32', 1), shape: f('TensorShapeProto', 2) } },
            Sequence: { fields: { elemType: f('TypeProto', 1) } },
            Map: { fields: { keyType: f('int32', 1), valueType: f('TypeProto', 2) } },
            Optional: { fields: { elemType: f('TypeProto', 1) } },
            SparseTensor: { fields: { elemType: f('int32', 1), shape: f('TensorShapeProto', 2) } },
          },
        },
        OperatorSetIdProto: { fields: { domain: f('string', 1), version: f('int64', 2) } },
        FunctionProto: {
          fields: {
            name: f('string', 1), input: r('string', 4), output: r('string', 5), attribute: r('string', 6),
            attributeProto: r('AttributeProto', 11), node: r('NodeProto', 7), docString: f('string', 8),
            opsetImport: r('OperatorSetIdProto', 9), domain: f('string', 10), overload: f('string', 13),
            valueInfo: r('ValueInfoProto', 12), metadataProps: r('StringStringEntryProto', 14),
          },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(descriptor);

/** protobufjs message types for the ONNX schema. */
export const onnxTypes = {
  ModelProto: root.lookupType('onnx.ModelProto'),
  GraphProto: root.lookupType('onnx.GraphProto'),
  TensorProto: root.lookupType('onnx.TensorProto'),
  NodeProto: root.lookupType('onnx.NodeProto'),
} as const;

/** ONNX AttributeProto.AttributeType numbers. */
export const AttributeType = {
  UNDEFINED: 0, FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8,
  TENSORS: 9, GRAPHS: 10, SPARSE_TENSOR: 11, SPARSE_TENSORS: 12, TYPE_PROTO: 13, TYPE_PROTOS: 14,
} as const;
