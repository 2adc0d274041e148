/**
 * Command-line flags of a backend's own options: each field of a backend's `optionSpec`
 * becomes `--kebab-case-name`, listed in help under the backend's title. The values given
 * are parsed by the field's type ('read' files are read here), refused when they belong to
 * another backend than the one `--backend` picks, and handed to the backend's
 * `toBackendOptions`, which names options in its messages by their flags.
 *
 * Example: tensorrt's field `trtVersion` (a string) is `--trt-version X.Y.Z`; given with
 * `--backend onnxruntime` it is an E_OPTION error naming the backend it belongs to.
 */
import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  QtkError, type AnyQuantizeOptions, type BackendOptionField, type BackendOptionResult, type BackendOptionValue, type BackendPlugin,
} from '@qtk/core';
import { choiceOpt, listOpt, numberOpt, stringOpt, type OptionSpec, type ParsedArgs } from './args.js';
import { loadSamples } from './dataOptions.js';
import { flagOf, FLAG_OF_FIELD, type FlagField } from './quantizeFlags.js';

/** The flag (without `--`) of a backend option field: `trtVersion` → `trt-version`. */
export function flagOfField(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The placeholder of a field's value in help: its own, its choices, or one by type. */
function placeholderOf(f: BackendOptionField): string {
  if (f.placeholder) return f.placeholder;
  if (f.type === 'choice' && f.choices?.length) return f.choices.join('|');
  return f.type === 'number' || f.type === 'integer' ? 'N' : f.type === 'list' ? 'A,B' : 'VALUE';
}

/**
 * Help entries of the option fields of `backends`, each under its backend's title. A flag
 * in `taken` (the command's own), or one two backends declare with different types, is an
 * E_PLUGIN error naming the backend; the same flag of the same type in two backends is one entry.
 */
export function backendOptionSpecs(backends: readonly BackendPlugin[], taken: ReadonlySet<string>): Record<string, OptionSpec> {
  const specs: Record<string, OptionSpec> = {};
  for (const b of backends) {
    if (!b.optionSpec) continue;
    for (const f of b.optionSpec.fields) {
      const flag = flagOfField(f.name);
      if (taken.has(flag) || flag === 'help') {
        throw new QtkError('E_PLUGIN', `backend '${b.name}' declares option '${f.name}', whose flag --${flag} is one of qtk quantize's own; rename the field`, { option: f.name });
      }
      const spec: OptionSpec = {
        type: f.type === 'boolean' ? 'boolean' : 'string', value: placeholderOf(f), group: b.optionSpec.title, help: f.help,
        ...((f.type === 'list' || f.file === 'data') && { multiple: true }),
      };
      const before = specs[flag];
      if (before && (before.type !== spec.type || !!before.multiple !== !!spec.multiple)) {
        throw new QtkError('E_PLUGIN', `backend '${b.name}' declares --${flag} as a ${f.type} option; another backend declares it otherwise`, { option: f.name });
      }
      specs[flag] ??= spec;
    }
  }
  return specs;
}

/** The value of field `f` in `args`, or undefined when its flag is absent; 'read' files are read. */
async function valueOf(args: ParsedArgs, f: BackendOptionField): Promise<BackendOptionValue | undefined> {
  const flag = flagOfField(f.name);
  switch (f.type) {
    case 'boolean': return args.values[flag] === true ? true : undefined;
    case 'choice': return choiceOpt(args, flag, f.choices ?? []);
    case 'number': return numberOpt(args, flag);
    case 'integer': return numberOpt(args, flag, { integer: true });
    case 'list': return listOpt(args, flag);
    case 'string': {
      const s = stringOpt(args, flag);
      if (s === undefined) return s;
      if (f.file === 'data') {
        const sources = args.lists?.[flag] ?? [s];
        return { path: sources.join(' '), load: (model) => loadSamples(model, args, sources, flag) };
      }
      if (f.file === 'module') return f.choices?.includes(s) ? s : { path: s, exports: await importModule(s, flag) };
      if (f.file !== 'read') return s;
      try {
        return { path: s, bytes: new Uint8Array(await fs.readFile(s)) };
      } catch (e) {
        throw new QtkError('E_IO', `cannot read --${flag} '${s}': ${(e as Error).message}`, { option: flag, file: s }, { cause: e });
      }
    }
  }
}

/** The exports of the module at `file` (relative to the working directory); E_OPTION naming `--flag` when it does not load. */
async function importModule(file: string, flag: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
  } catch (e) {
    throw new QtkError('E_OPTION', `cannot load --${flag} '${file}' as a module: ${(e as Error).message}`, { option: flag, file }, { cause: e });
  }
}

/**
 * The values of `backend`'s option flags given in `args`, by field name. A flag of another
 * backend in `known` is an E_OPTION error saying which backend it belongs to.
 */
export async function backendOptionValues(args: ParsedArgs, backend: BackendPlugin, known: readonly BackendPlugin[]): Promise<Record<string, BackendOptionValue>> {
  const own = new Set((backend.optionSpec?.fields ?? []).map((f) => flagOfField(f.name)));
  const foreign = new Map<string, string[]>();
  for (const b of known) {
    if (b === backend) continue;
    for (const f of b.optionSpec?.fields ?? []) {
      const flag = flagOfField(f.name);
      if (!own.has(flag) && args.values[flag] !== undefined) foreign.set(flag, [...(foreign.get(flag) ?? []), b.name]);
    }
  }
  const [first] = foreign;
  if (first) {
    const [flag, owners] = first;
    throw new QtkError('E_OPTION', `--${flag} is an option of --backend ${owners.join(' or --backend ')}; this run quantizes for ${backend.name}`, { option: flag });
  }
  const values: Record<string, BackendOptionValue> = {};
  for (const f of backend.optionSpec?.fields ?? []) {
    const v = await valueOf(args, f);
    if (v !== undefined) values[f.name] = v;
  }
  return values;
}

/** The 'write' file fields of `backend` given in `args`: field name, flag and path. */
export function backendOutputFiles(args: ParsedArgs, backend: BackendPlugin): Array<{ field: string; flag: string; file: string }> {
  return (backend.optionSpec?.fields ?? [])
    .filter((f) => f.file === 'write' && stringOpt(args, flagOfField(f.name)) !== undefined)
    .map((f) => ({ field: f.name, flag: flagOfField(f.name), file: stringOpt(args, flagOfField(f.name))! }));
}

/** The files `backend`'s fields given in `args` read ('read', 'data' and non-built-in 'module' values): flag and path. */
export function backendInputFiles(args: ParsedArgs, backend: BackendPlugin): Array<{ flag: string; file: string }> {
  const files: Array<{ flag: string; file: string }> = [];
  for (const f of backend.optionSpec?.fields ?? []) {
    const flag = flagOfField(f.name);
    const s = stringOpt(args, flag);
    if (s === undefined) continue;
    if (f.file === 'read' || (f.file === 'module' && !f.choices?.includes(s))) files.push({ flag, file: s });
    // Data given per input reads NAME=FILE.npy.
    if (f.file === 'data') for (const d of args.lists?.[flag] ?? [s]) files.push({ flag, file: d.replace(/^[^=/\\]+=/, '') });
  }
  return files;
}

/**
 * How the command line names an option in a backend's messages: a backend field by its
 * flag, a core option by its flag, `calibrationData` as `--calib`.
 */
export function cliLabel(backend: BackendPlugin, flags: AnyQuantizeOptions): (name: string) => string {
  const own = new Set((backend.optionSpec?.fields ?? []).map((f) => f.name));
  return (name) => {
    if (own.has(name)) return `--${flagOfField(name)}`;
    if (name === 'calibrationData') return '--calib';
    if (Object.hasOwn(FLAG_OF_FIELD, name)) return `--${flagOf(name as FlagField, flags[name as FlagField])}`;
    return name;
  };
}

/**
 * The backend's reading of the options: its `toBackendOptions` over the flags given, or
 * undefined for a backend without an option spec. Its E_OPTION errors pass through, naming flags.
 */
export async function backendOptionsFromFlags(
  args: ParsedArgs, backend: BackendPlugin, known: readonly BackendPlugin[], options: AnyQuantizeOptions, flags: AnyQuantizeOptions, hasCalibrationData: boolean,
): Promise<BackendOptionResult<Record<string, unknown>> | undefined> {
  const values = await backendOptionValues(args, backend, known);
  if (!backend.optionSpec) return undefined;
  return backend.optionSpec.toBackendOptions({ values, options, hasCalibrationData, label: cliLabel(backend, flags) }) as BackendOptionResult<Record<string, unknown>>;
}
