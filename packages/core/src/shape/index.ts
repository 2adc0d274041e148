/** Shape and type inference over the core IR. */
export { inferShapes, inferTypes, type InferShapesOptions, type InferShapesResult, type InferredTypes } from './infer.js';
export { shapeRules } from './registry.js';
export { DimAlgebra } from './dims.js';
export { constantNodeValue } from './constantValue.js';
export { staticValueShapes, type StaticValue } from './valueShapes.js';
export { ShapeUnknown, type RuleContext, type ShapeRule, type TensorInfo, type UnknownShape } from './types.js';
