/** Graph rewrites that prepare a model for quantization. */
export { cloneModel, cloneGraph } from './clone.js';
export { constantsToInitializers } from './constantsToInitializers.js';
export { foldConstants, type FoldConstantsOptions } from './foldConstants.js';
export { foldKernels, type FoldKernel } from './foldKernels.js';
export { foldBatchNorm, foldChannelAffine, type ChannelAffine, type ReaderLookup } from './foldBatchNorm.js';
export { removeIdentity } from './removeIdentity.js';
export { removeDeadNodes } from './removeDeadNodes.js';
export { removeUnusedInitializers } from './removeUnusedInitializers.js';
export { preprocess, type PreprocessOptions, type PreprocessSummary } from './preprocess.js';
export { upgradeOpset, OP_ADAPTERS, type OpAdapter, type UpgradeOpsetOptions, type UpgradeOpsetResult } from './opsetUpgrade/index.js';
export { UpgradeContext } from './opsetUpgrade/context.js';
export { foldConvAffine } from './foldConvAffine.js';
export { fuseHardSwish } from './fuseHardSwish.js';
export { transpose2d } from './tensorOps.js';
export { LiveIndex } from './liveIndex.js';
