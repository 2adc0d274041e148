/** ONNX read/write over bytes. */
export { decodeModel, decodeTensorBytes, type DecodeOptions, type ExternalDataResolver } from './decode.js';
export { encodeModel, encodeTensorBytes, PROTOBUF_LIMIT, type EncodeOptions, type EncodedModel } from './encode.js';
export { checkExternalLocation } from './externalPath.js';
