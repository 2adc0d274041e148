/**
 * Executors from modules loaded at run time: an exported executor plugin when there is
 * one, else @qtk/onnxruntime's session over an onnxruntime-shaped API
 * (`InferenceSession.create(bytes)`, `session.run(feeds, fetches)`, `new Tensor(type, data, dims)`).
 */
import { QtkError, type Executor } from '@qtk/core';
import { createOrtSession, type OrtModule } from '@qtk/onnxruntime';

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
 * An executor over an onnxruntime-shaped module (sessions from @qtk/onnxruntime's
 * `createOrtSession`); throws E_PLUGIN listing the module's exports when it has neither
 * an executor nor `InferenceSession` and `Tensor`.
 */
export function executorFromOrtLikeModule(mod: Readonly<Record<string, unknown>>, name: string, specifier: string): Executor {
  if (!isOrtLike(mod)) {
    const exports = Object.keys(mod).sort().join(', ') || 'nothing';
    throw new QtkError('E_PLUGIN', `${name}: '${specifier}' exports no executor and no InferenceSession/Tensor pair (exports: ${exports})`, { option: specifier });
  }
  const ort = asOrtModule(mod as unknown as OrtLikeModule, name);
  return { name, createSession: (model, options) => createOrtSession(ort, model, options) };
}

/**
 * The module as createOrtSession takes it. Its sessions may lack what onnxruntime's always
 * have, so they are wrapped: `release` becomes optional, and an output the module did not
 * return fails with E_EXECUTOR naming it.
 */
function asOrtModule(m: OrtLikeModule, runtime: string): OrtModule {
  const create = async (bytes: Uint8Array) => {
    const s = await m.InferenceSession.create(bytes);
    return {
      inputNames: s.inputNames,
      outputNames: s.outputNames,
      async run(feeds: Record<string, OrtLikeTensor>, fetches?: readonly string[]) {
        const res = await s.run(feeds, fetches);
        for (const n of fetches ?? s.outputNames) {
          if (!res[n]) throw new QtkError('E_EXECUTOR', `${runtime}: run returned no output '${n}'`, { tensor: n });
        }
        return res;
      },
      async release() { await s.release?.(); },
    };
  };
  return { InferenceSession: { create }, Tensor: m.Tensor } as unknown as OrtModule;
}
