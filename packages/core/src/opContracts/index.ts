/** Op contracts: which inputs of an op are weights and bias, their channel and reduction axes, the op's role. */
export type { BiasInput, OpContract, OpRole, WeightAxis, WeightInput } from './types.js';
export { OP_CONTRACTS, OP_CONTRACT_LIST, opContract } from './registry.js';
export {
  biasInputIndex, biasName, channelGroups, linearFormProblem, resolveWeight, weightInputIndex, weightName, type ResolvedWeight,
} from './weights.js';
