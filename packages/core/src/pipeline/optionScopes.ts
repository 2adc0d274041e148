/**
 * Where each QuantizeOptions field has an effect, as one table: the modes, calibration
 * methods and weight schemes under which the quantizer reads it. A field given outside its
 * scope would do nothing, so `quantizeModel` refuses it (E_OPTION naming the field).
 * Fields not in the table (mode, weightType, opTypes, exclude, preprocess, version)
 * apply everywhere. The mode types (`QuantizeOptions`, `ModeFields`) say the same at
 * compile time; this table serves JSON configs and JavaScript callers, and the settings
 * TypeScript cannot tell apart (the method and weight scheme in force).
 *
 * Example: `{ mode: 'dynamic', blockSize: 32 }` is refused: blockSize applies to static and
 * weight-only mode; `{ percentile: 99.9 }` is refused because the method is mse.
 */
import { QtkError } from '../errors/QtkError.js';
import type { AnyQuantizeOptions, CalibrationMethod, ModeFields, OptionFields, QuantMode, QuantizeOptions, WeightScheme } from './types.js';

/** The settings under which an option is read; a missing key means any. */
export interface OptionScope {
  modes?: readonly QuantMode[];
  /** Calibration methods (static mode). */
  methods?: readonly CalibrationMethod[];
  weightSchemes?: readonly WeightScheme[];
}

const HISTOGRAM_METHODS: readonly CalibrationMethod[] = ['entropy', 'percentile', 'mse'];

/**
 * Scope of every option that does not apply everywhere. Dynamic mode always quantizes
 * weights symmetrically, without blocks or reduced range, and writes integer operators
 * whatever the format; weight-only mode works in blocks rather than per channel, and its
 * log2 and codebook schemes take neither blocks nor a symmetry.
 */
export const OPTION_SCOPES = {
  activationType: { modes: ['static'] },
  symmetricActivations: { modes: ['static'] },
  narrowRangeActivations: { modes: ['static'] },
  method: { modes: ['static'] },
  percentile: { modes: ['static'], methods: ['percentile'] },
  averagingConstant: { modes: ['static'], methods: ['moving-average'] },
  sampleLimit: { modes: ['static'], methods: HISTOGRAM_METHODS },
  format: { modes: ['static'] },
  reduceRange: { modes: ['static'] },
  minOutputSqnrDb: { modes: ['static'] },
  biasCorrection: { modes: ['static'] },
  perChannel: { modes: ['static', 'dynamic'] },
  symmetricWeights: { modes: ['static', 'weight-only'], weightSchemes: ['uniform'] },
  blockSize: { modes: ['static', 'weight-only'], weightSchemes: ['uniform'] },
  weightScheme: { modes: ['weight-only'] },
  codebookSize: { modes: ['weight-only'], weightSchemes: ['codebook'] },
} as const satisfies { readonly [K in ModeFields[QuantMode]]: OptionScope };

/** True when mode `mode` reads option `field` (fields without a scope apply in every mode). */
export function appliesInMode(field: string, mode: QuantMode): boolean {
  const scope: OptionScope | undefined = (OPTION_SCOPES as Readonly<Record<string, OptionScope>>)[field];
  return !scope?.modes || scope.modes.includes(mode);
}

/** Options as given, of any type: what `inapplicableOptions` reads. */
export type GivenOptions = { readonly [K in keyof AnyQuantizeOptions]?: unknown };

/** The settings of resolved options that decide whether an option applies. */
export type ScopeSettings = { mode: 'static'; method: CalibrationMethod } | { mode: 'dynamic' } | { mode: 'weight-only'; weightScheme: WeightScheme };

/** An option given where it has no effect: which setting rules it out, and its value. */
export interface InapplicableOption {
  option: keyof OptionFields;
  /** The setting that rules it out. */
  setting: 'mode' | 'method' | 'weightScheme';
  /** Values of `setting` under which the option applies. */
  appliesTo: readonly string[];
  /** The value `setting` has. */
  actual: string;
}

/**
 * The options set in `given` that the quantizer would not read with the settings
 * `resolved` (from `resolveOptions(given)`) has, in table order.
 */
export function inapplicableOptions(given: GivenOptions, resolved: ScopeSettings): InapplicableOption[] {
  const out: InapplicableOption[] = [];
  for (const [key, scope] of Object.entries(OPTION_SCOPES) as Array<[keyof OptionFields, OptionScope]>) {
    if (given[key] === undefined) continue;
    const miss = (setting: InapplicableOption['setting'], appliesTo: readonly string[] | undefined, actual: string) =>
      appliesTo && !appliesTo.includes(actual) ? { option: key, setting, appliesTo, actual } : undefined;
    const m = miss('mode', scope.modes, resolved.mode)
      ?? (resolved.mode === 'static' ? miss('method', scope.methods, resolved.method) : undefined)
      ?? (resolved.mode === 'weight-only' ? miss('weightScheme', scope.weightSchemes, resolved.weightScheme) : undefined);
    if (m) out.push(m);
  }
  return out;
}

/**
 * One sentence about `x`, with option names given by `name` (field names by default):
 * `percentile applies to method percentile only, and method is mse`.
 */
export function describeInapplicable(x: InapplicableOption, name: (option: keyof QuantizeOptions) => string = String): string {
  const setting = name(x.setting);
  const where = x.setting === 'mode' ? `${x.appliesTo.join(' and ')} mode` : `${setting} ${x.appliesTo.join(' or ')}`;
  return `${name(x.option)} applies to ${where} only, and ${x.setting === 'mode' ? `this is ${x.actual} mode` : `${setting} is ${x.actual}`}`;
}

/** Throws E_OPTION naming the first option of `given` that has no effect (see OPTION_SCOPES). */
export function checkOptionScopes(given: GivenOptions, resolved: ScopeSettings): void {
  const bad = inapplicableOptions(given, resolved);
  if (bad.length) {
    throw new QtkError('E_OPTION', `option ${bad.map((x) => describeInapplicable(x)).join('; option ')}: it would have no effect`, { option: bad[0]!.option });
  }
}
