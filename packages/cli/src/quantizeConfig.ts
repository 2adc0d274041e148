/**
 * `--config FILE.json`: a JSON QuantizeOptions object, checked field by field, merged
 * under the command-line flags and validated by core's `resolveOptions`, with errors
 * naming the flag or the config file the bad value came from.
 *
 * Example: config `{ "method": "entropy", "perChannel": false }` with `--method minmax`
 * gives `{ method: 'minmax', perChannel: false }`.
 */
import { promises as fs } from 'node:fs';
import { QtkError, describeInapplicable, inapplicableOptions, isQtkError, resolveOptions, type AnyQuantizeOptions, type BackendDefaults, type ResolvedOptions } from '@qtk/core';
import { checkRegex, flagOf, type FlagField } from './quantizeFlags.js';

/** The JSON type each QuantizeOptions field takes (the backend's options come with --backend, not yet here). */
const FIELD_TYPES: Readonly<Record<Exclude<keyof AnyQuantizeOptions, 'backendOptions'>, 'string' | 'number' | 'boolean' | 'string[]'>> = {
  version: 'number',
  mode: 'string',
  activationType: 'string',
  weightType: 'string',
  perChannel: 'boolean',
  opTypes: 'string[]',
  exclude: 'string[]',
  method: 'string',
  percentile: 'number',
  sampleLimit: 'number',
  averagingConstant: 'number',
  format: 'string',
  symmetricActivations: 'boolean',
  narrowRangeActivations: 'boolean',
  symmetricWeights: 'boolean',
  reduceRange: 'boolean',
  blockSize: 'number',
  weightScheme: 'string',
  codebookSize: 'number',
  minOutputSqnrDb: 'number',
  preprocess: 'boolean',
  biasCorrection: 'boolean',
};

function typeOf(v: unknown): string {
  if (Array.isArray(v)) return v.every((x) => typeof x === 'string') ? 'string[]' : 'array';
  return v === null ? 'null' : typeof v;
}

/**
 * Checks parsed JSON as QuantizeOptions: an object whose keys are option fields with
 * values of the right JSON type. Throws E_OPTION naming `file` and the field.
 */
export function checkConfig(json: unknown, file: string): AnyQuantizeOptions {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new QtkError('E_OPTION', `--config '${file}' must hold a JSON object of quantize options, not ${typeOf(json)}`, { option: 'config', file });
  }
  for (const [key, value] of Object.entries(json)) {
    const want = FIELD_TYPES[key as keyof typeof FIELD_TYPES];
    if (!want) {
      throw new QtkError('E_OPTION', `--config '${file}': unknown option '${key}'; known: ${Object.keys(FIELD_TYPES).join(', ')}`, { option: 'config', file });
    }
    if (typeOf(value) !== want) {
      throw new QtkError('E_OPTION', `--config '${file}': option '${key}' must be a ${want === 'string[]' ? 'list of strings' : want}, got ${JSON.stringify(value)}`, { option: 'config', file });
    }
    if (key === 'exclude') for (const e of value as string[]) checkRegex(e, 'exclude');
  }
  return json as AnyQuantizeOptions;
}

/** Reads and checks a `--config` file; E_IO when it cannot be read, E_OPTION when it is not valid. */
export async function readConfigFile(file: string): Promise<AnyQuantizeOptions> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new QtkError('E_IO', `cannot read --config '${file}': ${(e as Error).message}`, { option: 'config', file }, { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new QtkError('E_OPTION', `--config '${file}' is not valid JSON: ${(e as Error).message}`, { option: 'config', file }, { cause: e });
  }
  return checkConfig(json, file);
}

/** Config options overridden by flag options (a flag's list replaces the config's list). */
export function mergeOptions(config: AnyQuantizeOptions, flags: AnyQuantizeOptions): AnyQuantizeOptions {
  return { ...config, ...flags };
}

/**
 * Where an option's value came from, for messages: its flag (`--per-tensor`) when a flag
 * set it, else the config file (`--config 'q.json'`); undefined for neither (a default).
 */
export function optionSource(field: keyof AnyQuantizeOptions, flags: AnyQuantizeOptions, configFile?: string): { label: string; option: string; file?: string } | undefined {
  if (field in flags && field !== 'version' && field !== 'backendOptions') {
    const flag = flagOf(field, flags[field]);
    return { label: `--${flag}`, option: flag };
  }
  return configFile ? { label: `--config '${configFile}'`, option: 'config', file: configFile } : undefined;
}

/**
 * Core's E_OPTION error `e` rethrown naming the flag (`--percentile: ...`) or, for a value
 * from the config file, the file; any other error as it is.
 */
export function renameOptionError(e: unknown, flags: AnyQuantizeOptions, configFile?: string): unknown {
  if (!isQtkError(e, 'E_OPTION')) return e;
  const source = optionSource(e.where.option as keyof AnyQuantizeOptions, flags, configFile);
  if (!source) return e;
  return new QtkError('E_OPTION', `${source.label}: ${e.message}`, { option: source.option, ...(source.file && { file: source.file }) }, { cause: e });
}

/**
 * Core's resolved options for `merged` over the backend's `defaults`; core's E_OPTION errors are rethrown naming the
 * flag or config file (see `renameOptionError`). Options that would have no effect with
 * the mode, method or weight scheme in force (core's OPTION_SCOPES) are E_OPTION naming
 * each, by flag or by config field.
 */
export function resolveChecked(merged: AnyQuantizeOptions, flags: AnyQuantizeOptions, configFile?: string, defaults: BackendDefaults = {}): ResolvedOptions {
  let resolved: ResolvedOptions;
  try {
    resolved = resolveOptions(merged, defaults);
  } catch (e) {
    throw renameOptionError(e, flags, configFile);
  }
  const bad = inapplicableOptions(merged, resolved);
  if (bad.length) {
    // Settings (mode, method, weight scheme) go by their flag; an option by its flag, or by its field in the config.
    const settings: ReadonlyArray<keyof AnyQuantizeOptions> = ['mode', 'method', 'weightScheme'];
    const name = (field: keyof AnyQuantizeOptions) => (field in flags || settings.includes(field) ? `--${flagOf(field as FlagField, flags[field])}` : field);
    const what = bad.map((x) => (x.option in flags || !configFile ? describeInapplicable(x, name) : `--config '${configFile}': ${describeInapplicable(x, name)}`));
    const first = optionSource(bad[0]!.option, flags, configFile);
    throw new QtkError('E_OPTION', `${what.join('; ')}: ${bad.length > 1 ? 'they' : 'it'} would do nothing`, { option: first?.option ?? bad[0]!.option, ...(first?.file && { file: first.file }) });
  }
  return resolved;
}
