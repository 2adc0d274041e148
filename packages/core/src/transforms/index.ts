/** Graph rewrites that prepare a model for quantization. */
export { cloneModel, cloneGraph } from './clone.js';
export { constantsToInitializers } from './constantsToInitializers.js';
export { foldConstants, type FoldConstantsOptions } from './foldConstants.js';
export { foldKernels, type FoldKernel } from './foldKernels.js';
export { foldBatchNorm } from './foldBatchNorm.js';
export { removeIdentity } from './removeIdentity.js';
export { removeDeadNodes } from './removeDeadNodes.js';
export { removeUnusedInitializers } from './removeUnusedInitializers.js';
export { preprocess, type PreprocessOptions, type PreprocessSummary } from './preprocess.js';
