/**
 * Precisions the benchmark compares: the FP32 model, qtk's INT8 static (calibrated) and
 * dynamic quantization, INT4 weight-only, and pre-quantized model files.
 * Ids: `fp32`, `int8-static`, `int8-dynamic`, `int4-weight-only`, `file:PATH`; the short
 * names `int8` (static INT8, what `qtk quantize` does by default with calibration data),
 * `int4` (INT4 weight-only in blocks) and `dynamic` stand for them.
 */
import * as path from 'node:path';
import { asQuantizeOptions, encodeModel, QtkError, quantizeModel, type Executor, type Model, type QuantizeOptions } from '@qtk/core';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';
import type { Feeds } from './feeds.js';
import { sourceFeeds, type ModelSource } from './modelSource.js';

/** The built-in precisions. */
export const PRECISIONS = ['fp32', 'int8-static', 'int8-dynamic', 'int4-weight-only'] as const;

/** A built-in precision id. */
export type BuiltinPrecision = (typeof PRECISIONS)[number];

/** A precision id: a built-in one, or `file:PATH` for a pre-quantized model file. */
export type PrecisionId = BuiltinPrecision | `file:${string}`;

/** Quantize options of each quantizing precision. */
const QUANTIZE: Readonly<Record<Exclude<BuiltinPrecision, 'fp32'>, QuantizeOptions>> = {
  'int8-static': { mode: 'static' },
  'int8-dynamic': { mode: 'dynamic' },
  'int4-weight-only': { mode: 'weight-only', weightType: 'int4' },
};

/** Short precision names users type, and the built-in precision each stands for. */
export const PRECISION_ALIASES: Readonly<Record<string, BuiltinPrecision>> = {
  float: 'fp32',
  int8: 'int8-static',
  static: 'int8-static',
  dynamic: 'int8-dynamic',
  int4: 'int4-weight-only',
};

/** Checks a precision id or alias and returns its id; throws E_OPTION listing the valid names. */
export function parsePrecision(id: string): PrecisionId {
  if ((PRECISIONS as readonly string[]).includes(id)) return id as PrecisionId;
  const alias = PRECISION_ALIASES[id];
  if (alias) return alias;
  if (id.startsWith('file:') && id.length > 5) return id as PrecisionId;
  const aliases = Object.entries(PRECISION_ALIASES).map(([a, p]) => `${a} (${p})`).join(', ');
  throw new QtkError('E_OPTION', `unknown precision '${id}'; use ${PRECISIONS.join(', ')}, file:PATH.onnx, or a short name: ${aliases}`, { option: 'precisions' });
}

/**
 * The precision ids of a list of names, in order; E_OPTION when two names mean the same
 * precision (`int8,int8-static`), which would measure it twice.
 */
export function parsePrecisions(names: readonly string[]): PrecisionId[] {
  const ids: PrecisionId[] = [];
  for (const name of names) {
    const id = parsePrecision(name);
    const first = ids.indexOf(id);
    if (first >= 0) {
      const same = names[first] === name ? `'${name}' twice` : `'${names[first]}' and '${name}', both ${id}`;
      throw new QtkError('E_OPTION', `precisions list ${same}; give each precision once`, { option: 'precisions' });
    }
    ids.push(id);
  }
  return ids;
}

/** A short label for tables: the id, or `file:NAME` for a file. */
export function precisionLabel(id: PrecisionId): string {
  return id.startsWith('file:') ? `file:${path.basename(id.slice(5))}` : id;
}

/** A precision's model, ready to time. */
export interface Variant {
  precision: PrecisionId;
  model: Model;
  /** Encoded size of the model in bytes (the file size for `file:`). */
  bytes: number;
  /** Seconds spent quantizing (0 for fp32 and files). */
  quantizeSeconds: number;
  /** Nodes quantized and left float, when qtk quantized it. */
  quantized?: number;
  float?: number;
}

/** Number of seeded random calibration batches when a source gives none. */
export const DEFAULT_CALIBRATION_BATCHES = 8;

/** Calibration batches of a source: its own, its samples, or seeded random batch-1 feeds. */
export async function calibrationFeeds(source: ModelSource, model: Model): Promise<Feeds[]> {
  if (source.calibration) return source.calibration(model);
  if (source.samples) return (await source.samples(model)).batches;
  return Array.from({ length: DEFAULT_CALIBRATION_BATCHES }, (_, i) => sourceFeeds(source, model, 1, 1000 + i));
}

/**
 * Makes the model of one precision from the FP32 model. Throws (QtkError from the
 * quantizer, or E_UNSUPPORTED when INT4 weight-only quantized nothing) with the reason.
 */
export async function makeVariant(precision: PrecisionId, fp32: Model, source: ModelSource, calibrationExecutor: Executor): Promise<Variant> {
  if (precision === 'fp32') return { precision, model: fp32, bytes: encodeModel(fp32).model.byteLength, quantizeSeconds: 0 };
  if (precision.startsWith('file:')) {
    const file = precision.slice(5);
    const { loadModelFile } = await import('@qtk/core/node');
    const { stat } = await import('node:fs/promises');
    const model = await loadModelFile(file);
    return { precision, model, bytes: (await stat(file)).size, quantizeSeconds: 0 };
  }
  const options = asQuantizeOptions({ ...source.quantizeOptions, ...QUANTIZE[precision as Exclude<BuiltinPrecision, 'fp32'>] });
  const t0 = performance.now();
  const ctx = { backend: onnxruntimeBackend, ...(options.mode === 'static' && { executor: calibrationExecutor, calibration: await calibrationFeeds(source, fp32) }) };
  const { model, report } = await quantizeModel(fp32, options, ctx);
  if (report.quantized.length === 0) {
    const reasons = [...new Set(report.float.map((f) => f.reason))].slice(0, 2).join('; ');
    throw new QtkError('E_UNSUPPORTED', `${precision} quantized no node of this model${reasons ? ` (${reasons})` : ''}`);
  }
  return {
    precision, model, bytes: encodeModel(model).model.byteLength, quantizeSeconds: (performance.now() - t0) / 1000,
    quantized: report.quantized.length, float: report.float.length,
  };
}
