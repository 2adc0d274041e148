/**
 * Type tests of the options (compiled by `npm run typecheck` and every build, never run):
 * each `@ts-expect-error` line must be a type error, or the compiler reports the unused
 * directive. They check that a field a mode does not read is refused, that backends type
 * their own options, and that OPTION_SCOPES (the run-time table) says what the types say.
 */
import { resolveOptions } from './defaults.js';
import { OPTION_SCOPES } from './optionScopes.js';
import type {
  CalibrationMethod, DynamicQuantizeOptions, ModeFields, QuantMode, QuantizeOptions, ResolvedOptions, ResolvedStaticOptions,
} from './types.js';

/** True when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
/** Compiles only for `true`. */
type Expect<T extends true> = T;

/** The modes whose option type has field K. */
type ModesWith<K> = { [M in QuantMode]: K extends ModeFields[M] ? M : never }[QuantMode];
type Table = typeof OPTION_SCOPES;

// OPTION_SCOPES lists exactly the mode-specific fields, each with exactly the modes whose type has it.
export type ScopesCoverModeFields = Expect<Equal<keyof Table, ModeFields[QuantMode]>>;
export type ScopesMatchModeTypes = Expect<Equal<{ [K in keyof Table]: Table[K]['modes'][number] }, { [K in keyof Table]: ModesWith<K> }>>;

/** A quantizer of the shape of `quantizeModel`, generic over the backend's options. */
declare function quantize<B extends object = {}>(options: QuantizeOptions<B>): void;

/** A backend's own options, as a backend package would declare them. */
interface WideningOptions {
  /** Widen Conv input channels to a multiple of this. */
  convChannelMultiple?: number;
}

/** The checks, as code the compiler reads and nothing runs. */
export function optionTypeChecks(): void {
  quantize({});
  quantize({ method: 'entropy', format: 'qoperator', blockSize: 32, perChannel: false });
  quantize({ mode: 'dynamic', perChannel: false, exclude: ['/head/'] });
  quantize({ mode: 'weight-only', weightScheme: 'codebook', codebookSize: 16 });
  // @ts-expect-error calibration methods apply to static mode only
  quantize({ mode: 'dynamic', method: 'mse' });
  // @ts-expect-error dynamic mode writes integer operators whatever the format
  quantize({ mode: 'dynamic', format: 'qdq' });
  // @ts-expect-error weight schemes apply to weight-only mode (static is the default mode)
  quantize({ weightScheme: 'log2' });
  // @ts-expect-error weight-only mode keeps activations float
  quantize({ mode: 'weight-only', activationType: 'int8' });
  // @ts-expect-error not a mode
  quantize({ mode: 'fast' });

  // Not only object literals: a variable whose type carries a field of another mode is refused too.
  const dynamicWithBiasCorrection = { mode: 'dynamic' as const, biasCorrection: false };
  // @ts-expect-error biasCorrection applies to static mode only
  quantize(dynamicWithBiasCorrection);
  const dynamic: DynamicQuantizeOptions = { mode: 'dynamic' };
  quantize(dynamic);

  // Backend options: typed by the backend, absent without one.
  quantize<WideningOptions>({ backendOptions: { convChannelMultiple: 4 } });
  quantize<WideningOptions>({ mode: 'dynamic', backendOptions: {} });
  // @ts-expect-error not an option of this backend
  quantize<WideningOptions>({ backendOptions: { convChannelMultipel: 4 } });
  // @ts-expect-error a wrong type for this backend's option
  quantize<WideningOptions>({ backendOptions: { convChannelMultiple: '4' } });
  // Resolution keeps them, typed.
  const widening: WideningOptions | undefined = resolveOptions<WideningOptions>({ backendOptions: { convChannelMultiple: 4 } }).backendOptions;
  // @ts-expect-error without a backend's options type there is no backend option to give
  const noBackend: QuantizeOptions = { backendOptions: { convChannelMultiple: 4 } };

  // Resolved options are keyed on mode too: a mode's own fields are filled in, the others absent.
  const method: CalibrationMethod = resolveOptions({}).method;
  const staticResolved: ResolvedStaticOptions = resolveOptions({ method: 'minmax' });
  // @ts-expect-error dynamic mode has no calibration method
  const noMethod: CalibrationMethod = resolveOptions({ mode: 'dynamic' }).method;
  const any: ResolvedOptions = resolveOptions({ mode: 'weight-only' });
  if (any.mode === 'weight-only') {
    const blockSize: number = any.blockSize;
    void blockSize;
  }
  void [method, staticResolved, noMethod, noBackend, widening];
}
