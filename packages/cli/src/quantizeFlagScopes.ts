/**
 * Where each `qtk quantize` flag that is not a QuantizeOptions field has an effect, as one
 * table: the modes it applies to and a flag it needs. The flags of QuantizeOptions fields
 * are scoped by core's OPTION_SCOPES (checked in `resolveChecked`), so that a `--config`
 * field gets the same treatment as its flag; a backend's own flags by the backend (its
 * option spec's `toBackendOptions`, see backendOptionFlags.ts).
 *
 * Example: `--resize 224` without `--calib` is refused (it describes the data);
 * `--report r.json` in dynamic mode without data warns that the report has no SQNR
 * against float. Data flags apply in every mode: outside static mode the data serves the
 * quality check.
 */
import { QtkError, type QuantMode } from '@qtk/core';

/** Where a flag applies; an empty scope means everywhere. */
export interface FlagScope {
  /** Modes it applies to (default: every mode). */
  modes?: readonly QuantMode[];
  /** What the other modes lack, after `<mode> mode`: `needs no calibration`. */
  why?: string;
  /** A flag it works with only. */
  with?: string;
  /** Given outside its scope: an error (default), or a warning where the run still makes sense. */
  outside?: 'error' | 'warning';
}

const CALIBRATION: FlagScope = { modes: ['static'], why: 'needs no calibration' };
/** Flags that describe --calib data: every mode reads the data (static: to calibrate and check; otherwise: to check). */
const DATA: FlagScope = { with: 'calib' };

/** Scope of every command-line-only flag of `qtk quantize`, in the order messages list them. */
export const CLI_FLAG_SCOPES: Readonly<Record<string, FlagScope>> = {
  output: {},
  config: {},
  calib: {},
  'calib-shape': DATA,
  input: DATA,
  'calib-size': DATA,
  seed: { with: 'calib-size' },
  'batch-size': DATA,
  /** static mode without --calib: a backend that takes its ranges from elsewhere (a cache) calibrates nothing */
  holdout: { ...CALIBRATION, with: 'calib' },
  resize: DATA,
  crop: DATA,
  mean: DATA,
  std: DATA,
  scale: DATA,
  layout: DATA,
  channels: DATA,
  threads: { with: 'calib', why: 'runs onnxruntime only on --calib data' },
  'memory-budget': {},
  /** every mode: the backend's defaults and validation apply to each; its placement to static mode */
  backend: {},
  report: { with: 'calib', why: 'the report holds no per-node or output SQNR against the float model', outside: 'warning' },
};

/** `--a, --b apply` or `--a applies`. */
function apply(flags: readonly string[]): string {
  return `${flags.map((f) => `--${f}`).join(', ')} ${flags.length > 1 ? 'apply' : 'applies'}`;
}

/**
 * Checks the command-line-only flags `given` against CLI_FLAG_SCOPES in `mode`. Throws
 * E_OPTION naming the flags that would do nothing; returns warnings for those that do
 * part of what they say.
 */
export function checkFlagScopes(given: ReadonlySet<string>, mode: QuantMode): string[] {
  /** Flags that would do nothing, grouped by the end of their message. */
  const refused = new Map<string, string[]>();
  const warnings: string[] = [];
  for (const [flag, scope] of Object.entries(CLI_FLAG_SCOPES)) {
    if (!given.has(flag)) continue;
    if (scope.modes && !scope.modes.includes(mode)) {
      const tail = `to ${scope.modes.join(' and ')} mode only; ${mode} mode ${scope.why}`;
      if (scope.outside === 'warning') warnings.push(`${apply([flag])} ${tail}`);
      else refused.set(tail, [...(refused.get(tail) ?? []), flag]);
    } else if (scope.with && !given.has(scope.with)) {
      if (scope.outside === 'warning') warnings.push(`${apply([flag])} fully with --${scope.with} only: without it ${scope.why ?? 'it does less'}`);
      else refused.set(`with --${scope.with} only, and without it would do nothing`, [...(refused.get(`with --${scope.with} only, and without it would do nothing`) ?? []), flag]);
    }
  }
  if (refused.size) {
    const [first] = [...refused.values()];
    throw new QtkError('E_OPTION', [...refused].map(([tail, flags]) => `${apply(flags)} ${tail}`).join('; '), { option: first![0] });
  }
  return warnings;
}
