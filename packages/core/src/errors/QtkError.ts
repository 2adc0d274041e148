/**
 * Error codes qtk raises. Each names a class of failure a caller may handle.
 * Example: `err.code === 'E_ONNX_DECODE'` for a truncated model file.
 */
export type QtkErrorCode =
  | 'E_ONNX_DECODE'
  | 'E_EXTERNAL_DATA'
  | 'E_UNSAFE_PATH'
  | 'E_DTYPE'
  | 'E_SHAPE'
  | 'E_GRAPH'
  /** a node's attribute breaks its op's schema: unknown name, wrong type, value out of range */
  | 'E_ATTRIBUTE'
  | 'E_PLUGIN'
  | 'E_CALIB_DATA'
  | 'E_OPTION'
  | 'E_OBSERVER'
  | 'E_EXECUTOR'
  | 'E_IO'
  | 'E_OUTPUT_BUSY'
  | 'E_NOTHING_QUANTIZED'
  /** A value the model or data declares is larger than the memory budget (`maxTensorBytes`). */
  | 'E_MEMORY_BUDGET'
  | 'E_UNSUPPORTED';

/** Where an error happened: a node (and its attribute), a tensor, a file and an offset, an option. */
export interface QtkErrorWhere {
  node?: string;
  attribute?: string;
  tensor?: string;
  file?: string;
  offset?: number;
  option?: string;
}

/** The one error type qtk throws; `code` says the class, `where` the place. */
export class QtkError extends Error {
  override readonly name = 'QtkError';
  constructor(
    readonly code: QtkErrorCode,
    message: string,
    readonly where: QtkErrorWhere = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `e` is a QtkError, optionally of the given code. */
export function isQtkError(e: unknown, code?: QtkErrorCode): e is QtkError {
  return e instanceof QtkError && (code === undefined || e.code === code);
}
