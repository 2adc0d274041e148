/**
 * Activation ranges given by the caller instead of calibration (`QuantizeContext.ranges`):
 * the checks they must pass against the annotated model, and the dtypes the model
 * declares for them (calibration would have found those by running it).
 */
import { QtkError } from '../errors/QtkError.js';
import type { Model } from '../ir/graph.js';
import { graphScopes } from '../ir/scopes.js';
import type { GivenRange } from '../observers/givenRange.js';
import type { QuantizeWarning } from './types.js';

/** How many tensor names an error or warning lists before it says "and N more". */
const LISTED = 20;

/** `names` joined for a message, the first `LISTED` of them quoted. */
function listed(names: readonly string[]): string {
  const shown = names.slice(0, LISTED).map((n) => `'${n}'`).join(', ');
  return names.length > LISTED ? `${shown} and ${names.length - LISTED} more` : shown;
}

/** Every value name of `model`: graph inputs and outputs, node inputs and outputs, initializers, in all graphs. */
function valueNames(model: Model): Set<string> {
  const out = new Set<string>();
  for (const { graph: g } of graphScopes(model)) {
    for (const v of g.inputs) out.add(v.name);
    for (const v of g.outputs) out.add(v.name);
    for (const k of g.initializers.keys()) out.add(k);
    for (const n of g.nodes) for (const v of [...n.inputs, ...n.outputs]) if (v) out.add(v);
  }
  return out;
}

/**
 * Checks `ranges` against the activations the policy marked (`needed`): a marked
 * activation with no range is an E_OPTION error naming every such tensor (option
 * `ranges`); a range that is not two finite numbers with min ≤ max is an E_OPTION error
 * naming its tensor. Names the model does not have at all are returned as one warning
 * that lists them; ranges of values the policy leaves float are used for nothing, silently.
 */
export function checkGivenRanges(model: Model, needed: readonly string[], ranges: ReadonlyMap<string, GivenRange>): QuantizeWarning[] {
  const missing = needed.filter((v) => !ranges.has(v));
  if (missing.length) {
    throw new QtkError('E_OPTION', `given ranges have no entry for ${missing.length} activation(s) the backend quantizes: ${listed(missing)}`, { option: 'ranges', tensor: missing[0] });
  }
  for (const v of needed) {
    const r = ranges.get(v)!;
    if (!(Number.isFinite(r.min) && Number.isFinite(r.max) && r.min <= r.max)) {
      throw new QtkError('E_OPTION', `given range of '${v}' is [${r.min}, ${r.max}]: it must be finite with min ≤ max`, { option: 'ranges', tensor: v });
    }
  }
  const known = valueNames(model);
  const unknown = [...ranges.keys()].filter((v) => !known.has(v));
  return unknown.length ? [{ message: `given ranges name ${unknown.length} tensor(s) the model does not have: ${listed(unknown)}` }] : [];
}

/**
 * The tensors among `names` whose declared type (graph input or output, value_info, after
 * preprocessing's shape inference) is a tensor type other than float32, with that dtype.
 * Undeclared values are taken to be float.
 */
export function declaredNonFloat(model: Model, names: Iterable<string>): Map<string, string> {
  const g = model.graph;
  const declared = new Map([...g.inputs, ...g.outputs, ...g.valueInfo.values()].map((v) => [v.name, v.type] as const));
  const out = new Map<string, string>();
  for (const v of names) {
    const t = declared.get(v);
    if (t?.kind === 'tensor' && t.dtype !== 'float32') out.set(v, t.dtype);
  }
  return out;
}
