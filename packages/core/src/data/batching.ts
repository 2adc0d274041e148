/**
 * Calibration samples to batches that fit one model input: checks each sample's shape
 * and dtype against the input, then splits along axis 0.
 *
 * Example: samples [70, 1, 8, 8] float32 for input `input` [N, 1, 8, 8] float32 with
 * batchSize 32 give batches of [32, 1, 8, 8], [32, 1, 8, 8] and [6, 1, 8, 8].
 */
import { QtkError } from '../errors/QtkError.js';
import { allocData, byteLengthOf, bytesOf, type TensorData } from '../ir/dtype.js';
import type { Dim, ValueInfo } from '../ir/graph.js';
import { Tensor, sizeOf } from '../ir/tensor.js';

/** Batch size used when the input's batch dim is symbolic and none is asked for. */
export const DEFAULT_CALIB_BATCH_SIZE = 32;

/** Options of `batchSamples`. */
export interface BatchOptions {
  /** Samples per batch; default 32 for a symbolic batch dim, else the fixed dim. */
  batchSize?: number;
  /** Use only the first `maxSamples` samples. */
  maxSamples?: number;
}

/** Samples split into batches for one input. */
export interface Batches {
  /** Input name the batches feed. */
  input: string;
  /** Each of shape [b, ...sample]; all but the last have `batchSize` rows. */
  batches: Tensor[];
  batchSize: number;
  /** Samples placed in batches. */
  samples: number;
  /** Trailing samples left out because the input's batch dim is fixed and they do not fill a batch. */
  dropped: number;
}

/** `[1, 'N', null]` as `[1,N,?]`. */
export function formatDims(dims: readonly Dim[] | undefined): string {
  return dims ? `[${dims.map((d) => (d === null ? '?' : String(d))).join(',')}]` : '[?]';
}

/**
 * Checks `data` ([N, ...sample]) against model input `input` and splits it into batches.
 * float64 data is converted for a float32 input. Throws E_CALIB_DATA naming both the
 * data's shape/dtype and the input's name/shape/dtype when they do not fit.
 */
export function batchSamples(data: Tensor, input: ValueInfo, options: BatchOptions = {}): Batches {
  const type = input.type;
  if (type?.kind !== 'tensor') throw new QtkError('E_CALIB_DATA', `model input '${input.name}' is not a tensor; calibration data cannot feed it`, { tensor: input.name });
  const shape = type.shape;
  const what = () => `data ${formatDims(data.dims)} ${data.dtype} vs model input '${input.name}' ${formatDims(shape)} ${type.dtype}`;
  const bad = (why: string): never => {
    throw new QtkError('E_CALIB_DATA', `calibration ${what()}: ${why}`, { tensor: input.name });
  };

  let t = data;
  if (t.dtype !== type.dtype) {
    if (t.dtype === 'float64' && type.dtype === 'float32') t = new Tensor('float32', Float32Array.from(t.data as Float64Array), t.dims);
    else bad(`dtype ${data.dtype} does not match ${type.dtype}`);
  }
  if (t.dims.length === 0) bad('the data is a scalar; it needs a leading sample axis');
  if (shape) {
    if (shape.length !== t.dims.length) {
      bad(`rank ${t.dims.length} does not match rank ${shape.length} (the data's axis 0 counts samples)`);
    }
    for (let a = 1; a < shape.length; a++) {
      const want = shape[a];
      if (typeof want === 'number' && want !== t.dims[a]) bad(`per-sample shape ${formatDims(t.dims.slice(1))} does not match ${formatDims(shape.slice(1))} (axis ${a})`);
    }
  }

  const n = Math.min(t.dims[0]!, options.maxSamples ?? Infinity);
  if (n === 0) bad('there are no samples');
  const fixed = shape && typeof shape[0] === 'number' ? shape[0] : undefined;
  let batchSize: number;
  if (fixed !== undefined) {
    if (options.batchSize !== undefined && options.batchSize !== fixed) {
      throw new QtkError('E_OPTION', `batch size ${options.batchSize} asked, but model input '${input.name}' ${formatDims(shape)} fixes the batch dim to ${fixed}`, { option: 'batchSize', tensor: input.name });
    }
    batchSize = fixed;
    if (n < fixed) bad(`${n} samples do not fill one batch of ${fixed}`);
  } else {
    batchSize = options.batchSize ?? DEFAULT_CALIB_BATCH_SIZE;
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new QtkError('E_OPTION', `batch size must be a positive integer, got ${batchSize}`, { option: 'batchSize' });
  }

  const used = fixed !== undefined ? n - (n % batchSize) : n;
  const batches: Tensor[] = [];
  for (let start = 0; start < used; start += batchSize) batches.push(sliceRows(t, start, Math.min(start + batchSize, used)));
  return { input: input.name, batches, batchSize, samples: used, dropped: n - used };
}

/** Rows `start` (inclusive) to `end` (exclusive) along axis 0, copied: [N, ...] → [end - start, ...]. */
export function sliceRows(t: Tensor, start: number, end: number): Tensor {
  const n = t.dims[0];
  if (n === undefined || start < 0 || end > n || start > end) {
    throw new QtkError('E_SHAPE', `rows ${start}..${end} are outside a tensor of dims ${formatDims(t.dims)}`);
  }
  const rowBytes = rowByteLength(t);
  const dims = [end - start, ...t.dims.slice(1)];
  const data = allocData(t.dtype, sizeOf(dims)) as Exclude<TensorData, Uint8Array[]>;
  bytesOf(data).set(bytesOf(t.data).subarray(start * rowBytes, end * rowBytes));
  return new Tensor(t.dtype, data, dims);
}

/** Concatenates tensors along axis 0; all must share dtype and per-sample dims. `labels` name them in errors. */
export function concatRows(parts: readonly Tensor[], labels?: readonly string[]): Tensor {
  const first = parts[0];
  if (!first) throw new QtkError('E_CALIB_DATA', 'nothing to concatenate: no tensors given');
  const label = (i: number) => labels?.[i] ?? `part ${i}`;
  const sample = first.dims.slice(1);
  let rows = 0;
  parts.forEach((p, i) => {
    if (p.dims.length === 0) throw new QtkError('E_CALIB_DATA', `${label(i)} is a scalar; samples need a leading axis`, { file: labels?.[i] });
    if (p.dtype !== first.dtype || formatDims(p.dims.slice(1)) !== formatDims(sample)) {
      throw new QtkError(
        'E_CALIB_DATA',
        `${label(i)} is ${formatDims(p.dims)} ${p.dtype}, but ${label(0)} is ${formatDims(first.dims)} ${first.dtype}; ` +
          'parts must share dtype and per-sample shape',
        { file: labels?.[i] },
      );
    }
    rows += p.dims[0]!;
  });
  if (parts.length === 1) return first;
  const dims = [rows, ...sample];
  const data = allocData(first.dtype, sizeOf(dims)) as Exclude<TensorData, Uint8Array[]>;
  const out = bytesOf(data);
  let at = 0;
  for (const p of parts) {
    const b = bytesOf(p.data);
    out.set(b, at);
    at += b.byteLength;
  }
  return new Tensor(first.dtype, data, dims);
}

function rowByteLength(t: Tensor): number {
  const per = sizeOf(t.dims.slice(1));
  const bytes = byteLengthOf(t.dtype, per);
  if ((t.dtype === 'int4' || t.dtype === 'uint4') && per % 2 !== 0) {
    throw new QtkError('E_UNSUPPORTED', `rows of ${per} packed 4-bit elements do not start on byte boundaries`);
  }
  return bytes;
}
