/** Op attribute schemas and the checks that enforce them. */
export type { AttrSpec, AxisRange, FloatSpec, IntSpec, IntsSpec, NodeRule, OpSchema, PlainSpec, SchemaTable, StringSpec } from './types.js';
export { OP_SCHEMAS, opSchemaOf, schemaKey, isDefaultDomain } from './opSchemas.js';
export { checkNodeAttributes, type CheckNodeOptions, type DimsOf } from './checkNode.js';
export { validateModel, validateNode, declaredDims } from './validateModel.js';
