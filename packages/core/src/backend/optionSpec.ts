/**
 * How a backend describes its own options to a front end (a command line, a form, a
 * config checker) without knowing which one: each option's name, kind of value and help,
 * and a hook that checks the values given, together with the core options and the data the
 * user gave, and turns them into the backend's `backendOptions`. A command line spells
 * `trtVersion` as `--trt-version` and lists the fields under `title` in its help.
 *
 * Example (one option, a choice):
 *   const spec: BackendOptionSpec<{ precision?: 'int8' | 'fp8' }> = {
 *     title: 'mybackend (--backend mybackend)',
 *     fields: [{ name: 'precision', type: 'choice', choices: ['int8', 'fp8'], help: 'numeric format (default int8)' }],
 *     toBackendOptions: ({ values }) => ({ backendOptions: { precision: values.precision as 'int8' | 'fp8' | undefined }, warnings: [] }),
 *   };
 */
import type { Model } from '../ir/graph.js';
import type { AnyQuantizeOptions, Feeds, QuantMode } from '../pipeline/types.js';

/** The kinds of value a backend option takes. */
export type BackendOptionType = 'choice' | 'string' | 'number' | 'integer' | 'boolean' | 'list';

/** One option of a backend. */
export interface BackendOptionField {
  /** camelCase name, unique among the backend's fields and distinct from core's option fields: the key of its value. */
  readonly name: string;
  /** 'choice': one of `choices`; 'list': names (a front end may take several); 'boolean': a switch, true when given. */
  readonly type: BackendOptionType;
  /** The values a 'choice' takes. */
  readonly choices?: readonly string[];
  /** A short stand-in for the value in help: `FILE.cache`, `X.Y.Z`. */
  readonly placeholder?: string;
  /** One line of help, with the default when there is one. */
  readonly help: string;
  /**
   * The value names a file: 'read', the front end reads it and gives its bytes
   * (`BackendFileValue`); 'write', the front end gives the path, checks it can be written
   * before the run, and writes the run's `outputs[name]` there atomically; 'data', sample
   * data read the way the front end reads calibration data (`BackendDataValue`);
   * 'module', a JavaScript module the front end imports (`BackendModuleValue`), unless
   * the value is one of `choices` (built-ins, given as the string).
   */
  readonly file?: 'read' | 'write' | 'data' | 'module';
}

/** A file a 'read' option names, as the front end read it. */
export interface BackendFileValue {
  /** Where it was read from, for messages. */
  readonly path: string;
  /** The file's contents. */
  readonly bytes: Uint8Array;
}

/**
 * Sample data a 'data' option names. It is read once the model is known (the model's
 * inputs decide how files map to feeds), with the same data options as the calibration data.
 */
export interface BackendDataValue {
  /** The data as given, for messages. */
  readonly path: string;
  /** The samples for `model`, one feeds object per sample, in order. */
  load(model: Model): Promise<Feeds[]>;
}

/** A module a 'module' option names, imported by the front end. */
export interface BackendModuleValue {
  /** The module as given, for messages. */
  readonly path: string;
  /** Its exports (`default` included). */
  readonly exports: Readonly<Record<string, unknown>>;
}

/** The value of one backend option as a front end gives it (by its field's type and `file`). */
export type BackendOptionValue = string | number | boolean | readonly string[] | BackendFileValue | BackendDataValue | BackendModuleValue;

/** What a backend's `toBackendOptions` sees: its own values, and what else the user set. */
export interface BackendOptionInput {
  /** The backend option values given, by field name; options not given are absent. */
  readonly values: Readonly<Record<string, BackendOptionValue>>;
  /** Core options the user set (no defaults filled in); `mode` only when the user gave it. */
  readonly options: AnyQuantizeOptions;
  /** True when the user gave calibration data. */
  readonly hasCalibrationData: boolean;
  /**
   * How the front end names an option in messages: a field of the backend, a core option
   * field (`method`), or `calibrationData`. A command line gives `--trt-version`, `--method`, `--calib`.
   */
  label(name: string): string;
}

/** What a backend makes of the options given. */
export interface BackendOptionResult<B extends object = {}> {
  /** The backend's own options, for `quantizeModel`'s `backendOptions` or the backend's `quantize`. */
  readonly backendOptions: B;
  /** The mode the run is in when the user gave none (say, static when ranges come from a file); default: the front end's rule. */
  readonly mode?: QuantMode;
  /**
   * Whether the run reads calibration data: 'needed' (it calibrates; a run without data is
   * an error), 'unused' (data, if any, serves only to check quality). Default: needed in
   * static mode, unused in the others.
   */
  readonly calibration?: 'needed' | 'unused';
  /** Options given that do part of what they say, in words naming them by `label`. */
  readonly warnings: readonly string[];
  /** One line of the backend's settings in force, for the run's summary: `precision int8, method entropy`. */
  readonly summary?: string;
}

/**
 * A backend's options, as a front end shows and checks them. `toBackendOptions` throws a
 * QtkError E_OPTION whose `where.option` is the field (or core option) at fault, with a
 * message naming options by `input.label`, for a value or combination that would do
 * nothing or cannot run.
 */
export interface BackendOptionSpec<B extends object = {}> {
  /** Heading the fields are listed under: `TensorRT (--backend tensorrt)`. */
  readonly title: string;
  /** The options, in the order help lists them. */
  readonly fields: readonly BackendOptionField[];
  /** The backend's options out of the values and core options given (see the interface comment). */
  toBackendOptions(input: BackendOptionInput): BackendOptionResult<B>;
}
