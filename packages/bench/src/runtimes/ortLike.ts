/**
 * Executors from modules loaded at run time: an exported executor plugin when there is
 * one, else an adapter over an onnxruntime-shaped API (`InferenceSession.create(bytes)`,
 * `session.run(feeds)`, `new Tensor(type, data, dims)`).
 */
import { encodeModel, QtkError, Tensor, type DType, type Executor, type ExecutorSession, type TensorData } from '@qtk/core';

interface OrtLikeTensor {
  readonly type: string;
  readonly data: unknown;
  readonly dims: readonly number[];
}

interface OrtLikeSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtLikeTensor>, fetches?: readonly string[]): Promise<Record<string, OrtLikeTensor>>;
  release?(): Promise<void> | void;
}

interface OrtLikeModule {
  InferenceSession: { create(bytes: Uint8Array): Promise<OrtLikeSession> };
  Tensor: new (type: string, data: unknown, dims: readonly number[]) => OrtLikeTensor;
}

function isExecutor(v: unknown): v is Executor {
  const o = v as { name?: unknown; createSession?: unknown; kind?: unknown } | null;
  return typeof o === 'object' && o !== null && typeof o.name === 'string' && typeof o.createSession === 'function' && (o.kind === undefined || o.kind === 'executor');
}

/** The first executor among a module's exports (the default export first), if any. */
export function findExecutorExport(mod: Readonly<Record<string, unknown>>): Executor | undefined {
  const values = [mod.default, ...Object.entries(mod).filter(([k]) => k !== 'default').map(([, v]) => v)];
  return values.find(isExecutor);
}

function isOrtLike(mod: Readonly<Record<string, unknown>>): boolean {
  const s = mod.InferenceSession as { create?: unknown } | undefined;
  return typeof s?.create === 'function' && typeof mod.Tensor === 'function';
}

/**
 * An executor over an onnxruntime-shaped module; throws E_PLUGIN listing the module's
 * exports when it has neither an executor nor `InferenceSession` and `Tensor`.
 */
export function executorFromOrtLikeModule(mod: Readonly<Record<string, unknown>>, name: string, specifier: string): Executor {
  if (!isOrtLike(mod)) {
    const exports = Object.keys(mod).sort().join(', ') || 'nothing';
    throw new QtkError('E_PLUGIN', `${name}: '${specifier}' exports no executor and no InferenceSession/Tensor pair (exports: ${exports})`, { option: specifier });
  }
  const m = mod as unknown as OrtLikeModule;
  return {
    name,
    async createSession(model, options) {
      if (options?.extraOutputs?.length) {
        throw new QtkError('E_UNSUPPORTED', `${name}: fetching intermediate values (extraOutputs) is not supported`, { option: 'extraOutputs' });
      }
      return new OrtLikeExecutorSession(m, await m.InferenceSession.create(encodeModel(model).model), name);
    },
  };
}

class OrtLikeExecutorSession implements ExecutorSession {
  constructor(private readonly mod: OrtLikeModule, private readonly session: OrtLikeSession, private readonly runtime: string) {}
  get inputNames() { return this.session.inputNames; }
  get outputNames() { return this.session.outputNames; }

  async run(feeds: Readonly<Record<string, Tensor>>, fetches?: readonly string[]): Promise<Record<string, Tensor>> {
    const inputs: Record<string, OrtLikeTensor> = {};
    for (const [k, t] of Object.entries(feeds)) inputs[k] = new this.mod.Tensor(t.dtype, t.data, t.dims);
    const res = await this.session.run(inputs);
    const out: Record<string, Tensor> = {};
    for (const n of fetches ?? this.session.outputNames) {
      const t = res[n];
      if (!t) throw new QtkError('E_EXECUTOR', `${this.runtime}: run returned no output '${n}'`, { tensor: n });
      out[n] = new Tensor(t.type as DType, [...t.dims], t.data as TensorData);
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release?.();
  }
}
