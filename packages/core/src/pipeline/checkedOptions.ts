/**
 * Options from an untyped source (a JSON config, JavaScript, merged command-line flags)
 * turned into typed `QuantizeOptions` by the run-time checks: `resolveOptions` for the
 * values, OPTION_SCOPES for the fields each mode, method and weight scheme reads.
 *
 * Example: `asQuantizeOptions(JSON.parse('{"mode":"dynamic","perChannel":false}'))` gives
 * `DynamicQuantizeOptions`-shaped options; `{"mode":"dynamic","method":"mse"}` is E_OPTION.
 */
import { resolveOptions } from './defaults.js';
import { checkOptionScopes } from './optionScopes.js';
import type { AnyQuantizeOptions, QuantizeOptions } from './types.js';

/** `given` as QuantizeOptions once its values and fields pass the run-time checks; else E_OPTION naming the field. */
export function asQuantizeOptions<B extends object = {}>(given: AnyQuantizeOptions<B>): QuantizeOptions<B> {
  // The backend's options pass through unchecked here: the backend checks them.
  const fields = given as unknown as AnyQuantizeOptions;
  checkOptionScopes(fields, resolveOptions(fields));
  return given as unknown as QuantizeOptions<B>;
}
