/** The node selection the annotate walker and the converters read; it lives in `scope/` with NodeScope. */
export { checkSelection, isExcluded, matchesEntry, type QuantizableOps } from '../scope/selection.js';
