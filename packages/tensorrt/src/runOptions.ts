/**
 * The TensorRT backend's own options as a front end passes them in `backendOptions`
 * (`qtk quantize --backend tensorrt`): the fields of `TensorrtQuantizeOptions` that core's
 * options do not already hold. The backend's `quantize` reads them with core's `method`,
 * `percentile`, `blockSize` and the node selection.
 */
import type { Int4Algorithm, TensorrtPrecision } from './options.js';

/** TensorRT's `backendOptions`. */
export interface TensorrtRunOptions {
  /** 'int8' (default), 'fp8' or 'int4'. */
  precision?: TensorrtPrecision;
  /** Also give TensorRT's calibration cache (the front end writes it where its option says). */
  calibrationCache?: boolean;
  /** TensorRT version the cache names (with `calibrationCache`). */
  trtVersion?: string;
  /** The text of a TensorRT calibration cache to take INT8 ranges from, in place of calibration. */
  fromCache?: string;
  /** The file `fromCache` was read from, for messages. */
  fromCacheFile?: string;
  /** INT4: 'awq_lite' (default) or 'rtn'. */
  int4Algorithm?: Int4Algorithm;
}
