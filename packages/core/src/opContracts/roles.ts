/**
 * Contracts of the ops without weights, one table per role: which op types play it and,
 * for normalizations and PRelu, which inputs are learned per-channel parameters.
 */
import type { OpContract, OpRole } from './types.js';

/** A contract of an op without weights or bias. */
function roleOnly(opType: string, role: OpRole, params: readonly number[] = []): OpContract {
  return { opType, role, weights: [], params };
}

/** Contracts for each of `opTypes`, all playing `role`. */
function table(role: OpRole, opTypes: readonly string[]): OpContract[] {
  return opTypes.map((t) => roleOnly(t, role));
}

/** Ops whose output values are values of their first input (layout, slicing, max-picking). */
export const PASSTHROUGH_CONTRACTS: readonly OpContract[] = table('passthrough', [
  'Reshape', 'Transpose', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'Slice', 'Expand', 'Tile',
  'DepthToSpace', 'SpaceToDepth', 'Split', 'MaxPool', 'GlobalMaxPool', 'ReduceMax', 'ReduceMin', 'TopK',
  'Pad', 'Resize', 'Upsample',
]);

/** Ops whose output values come from several inputs (Where's condition, input 0, is boolean). */
export const MERGE_CONTRACTS: readonly OpContract[] = table('merge', ['Concat', 'Where']);

/** Elementwise arithmetic. */
export const ELEMENTWISE_CONTRACTS: readonly OpContract[] = table('elementwise', [
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Mean', 'Sum', 'Mod',
  'Neg', 'Abs', 'Sqrt', 'Reciprocal', 'Exp', 'Log', 'Erf', 'Floor', 'Ceil', 'Round', 'Sign',
]);

/** Activations; PRelu's slope (input 1) is a learned parameter. */
export const ACTIVATION_CONTRACTS: readonly OpContract[] = [
  ...table('activation', [
    'Relu', 'Clip', 'LeakyRelu', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh', 'Gelu', 'Elu', 'Selu',
    'Celu', 'Softplus', 'Softsign', 'Mish', 'ThresholdedRelu', 'Softmax', 'LogSoftmax',
  ]),
  roleOnly('PRelu', 'activation', [1]),
];

/** Normalizations; their scale, shift and running statistics are learned parameters. */
export const NORMALIZATION_CONTRACTS: readonly OpContract[] = [
  roleOnly('BatchNormalization', 'normalization', [1, 2, 3, 4]),
  roleOnly('LayerNormalization', 'normalization', [1, 2]),
  roleOnly('InstanceNormalization', 'normalization', [1, 2]),
  roleOnly('GroupNormalization', 'normalization', [1, 2]),
  ...table('normalization', ['LpNormalization', 'MeanVarianceNormalization', 'LRN']),
];

/** Pools that compute new values (max pools are passthrough). */
export const POOL_CONTRACTS: readonly OpContract[] = table('pool', ['AveragePool', 'GlobalAveragePool', 'LpPool', 'GlobalLpPool']);

/** Reductions that compute new values (ReduceMax and ReduceMin are passthrough). */
export const REDUCE_CONTRACTS: readonly OpContract[] = table('reduce', [
  'ReduceMean', 'ReduceSum', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare', 'CumSum',
]);

/** Ops returning indices of chosen input values. */
export const SELECT_CONTRACTS: readonly OpContract[] = table('select', ['ArgMax', 'ArgMin']);

/** Ops whose outputs are shapes, indices or booleans. */
export const OTHER_CONTRACTS: readonly OpContract[] = table('other', [
  'Shape', 'Size', 'NonZero', 'Equal', 'Greater', 'GreaterOrEqual', 'Less', 'LessOrEqual', 'Not', 'And', 'Or', 'Xor', 'IsNaN', 'IsInf',
]);
