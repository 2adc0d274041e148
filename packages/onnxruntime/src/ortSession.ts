/**
 * An ExecutorSession over any onnxruntime JavaScript binding (node or web): both share
 * onnxruntime-common's InferenceSession and Tensor API.
 */
import { QtkError, Tensor, encodeModel, withExtraOutputs, type DType, type ExecutorSession, type Model, type SessionOptions, type TensorData } from '@qtk/core';
import type * as ortCommon from 'onnxruntime-common';
import { float8SafeLevel } from './float8Level.js';

/** The subset of an onnxruntime module this package uses. */
export interface OrtModule {
  InferenceSession: { create(bytes: Uint8Array, options?: ortCommon.InferenceSession.SessionOptions): Promise<ortCommon.InferenceSession> };
  Tensor: new (type: any, data: any, dims?: readonly number[]) => ortCommon.Tensor;
}

const TO_ORT: Partial<Record<DType, string>> = {
  float32: 'float32', float64: 'float64', float16: 'float16', int8: 'int8', uint8: 'uint8', int16: 'int16',
  uint16: 'uint16', int32: 'int32', uint32: 'uint32', int64: 'int64', uint64: 'uint64', bool: 'bool',
  int4: 'int4', uint4: 'uint4',
};
const FROM_ORT = new Map<string, DType>(Object.entries(TO_ORT).map(([k, v]) => [v!, k as DType]));

/** A core Tensor as an onnxruntime tensor (shares storage where the types allow). */
export function toOrtTensor(ort: OrtModule, t: Tensor, name: string): ortCommon.Tensor {
  const type = TO_ORT[t.dtype];
  if (!type) throw new QtkError('E_EXECUTOR', `onnxruntime cannot take ${t.dtype} input '${name}'`, { tensor: name });
  return new ort.Tensor(type, t.data, t.dims);
}

/** An onnxruntime tensor as a core Tensor. */
export function fromOrtTensor(t: ortCommon.Tensor, name: string): Tensor {
  const dtype = FROM_ORT.get(t.type);
  if (!dtype) throw new QtkError('E_EXECUTOR', `onnxruntime returned unsupported type ${t.type} for '${name}'`, { tensor: name });
  let data = t.data as TensorData;
  if (dtype === 'float16' && !(data instanceof Uint16Array)) data = new Uint16Array((data as unknown as Uint16Array).buffer);
  return new Tensor(dtype, data, [...t.dims]);
}

/** Creates a session from a core Model on the given onnxruntime binding. */
export async function createOrtSession(
  ort: OrtModule,
  model: Model,
  options: SessionOptions & { ortOptions?: ortCommon.InferenceSession.SessionOptions } = {},
): Promise<ExecutorSession> {
  const m = options.extraOutputs?.length ? withExtraOutputs(model, options.extraOutputs) : model;
  const bytes = encodeModel(m).model;
  const so: ortCommon.InferenceSession.SessionOptions = { ...options.ortOptions };
  // onnxruntime 1.30 fuses float8 Q/DQ into integer-only QLinear ops above level 'basic' (float8Level.ts).
  const level = so.graphOptimizationLevel ?? float8SafeLevel(model);
  if (level) so.graphOptimizationLevel = level;
  if (options.threads) { so.intraOpNumThreads = options.threads; so.interOpNumThreads = 1; }
  if (options.lowMemory) so.enableMemPattern = false;
  if (options.spinning !== undefined) {
    const extra = (so.extra ?? {}) as Record<string, Record<string, unknown> | undefined>;
    so.extra = { ...extra, session: { ...extra.session, intra_op: { ...(extra.session?.intra_op as object), allow_spinning: options.spinning ? '1' : '0' } } };
  }
  let session: ortCommon.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, so);
  } catch (e) {
    throw new QtkError('E_EXECUTOR', `onnxruntime could not load the model: ${(e as Error).message}`, {}, { cause: e });
  }
  return new OrtSession(ort, session);
}

class OrtSession implements ExecutorSession {
  constructor(private readonly ort: OrtModule, private readonly session: ortCommon.InferenceSession) {}
  get inputNames() { return this.session.inputNames; }
  get outputNames() { return this.session.outputNames; }

  async run(feeds: Readonly<Record<string, Tensor>>, fetches?: readonly string[]): Promise<Record<string, Tensor>> {
    const ortFeeds: Record<string, ortCommon.Tensor> = {};
    for (const [k, v] of Object.entries(feeds)) ortFeeds[k] = toOrtTensor(this.ort, v, k);
    const names = fetches ?? this.session.outputNames;
    let res: ortCommon.InferenceSession.ReturnType;
    try {
      res = await this.session.run(ortFeeds, names as string[]);
    } catch (e) {
      throw new QtkError('E_EXECUTOR', `onnxruntime run failed: ${(e as Error).message}`, {}, { cause: e });
    }
    const out: Record<string, Tensor> = {};
    for (const n of names) out[n] = fromOrtTensor(res[n]!, n);
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
