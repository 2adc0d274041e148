/** Attribute schemas of pooling: MaxPool, AveragePool and the global pools. */
import { windowAttrs } from './convSchemas.js';
import { flag, type SchemaTable } from './types.js';

/** Pooling ops; windowed pools need kernel_shape and pads smaller than the kernel. */
export const POOL_SCHEMAS: SchemaTable = {
  MaxPool: {
    attrs: { ...windowAttrs, ceil_mode: flag(), storage_order: flag() },
    rules: [{ rule: 'window', pool: true }],
  },
  AveragePool: {
    attrs: { ...windowAttrs, ceil_mode: flag(), count_include_pad: flag() },
    rules: [{ rule: 'window', pool: true }],
  },
  GlobalAveragePool: { attrs: {} },
  GlobalMaxPool: { attrs: {} },
};
