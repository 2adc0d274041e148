/**
 * Which model inputs calibration data feeds, and what the other inputs get: data for
 * one input feeds the named input, else the single float input (float data) or the
 * single token input (integer data); per-input data feeds the inputs it names. An input
 * left out that is named like `attention_mask` gets ones and one named like
 * `token_type_ids` gets zeros, shaped like each batch. Any other input is an error.
 *
 * Example: a BERT-style model with `input_ids`, `attention_mask` and `token_type_ids`
 * (int64) and token ids [N, 128] int64 gives feeds of ids, ones and zeros.
 */
import { QtkError, Tensor, isIntegerDType, type DType, type Feeds, type Model, type ValueInfo } from '@qtk/core';
import { formatDims } from '@qtk/core/internal';

const FLOAT_TYPES: readonly DType[] = ['float32', 'float16', 'float64'];

/** How an input that the data does not feed is filled: ones (masks) or zeros (segment ids). */
export type CompanionFill = 'ones' | 'zeros';

/** An input the data does not feed and the constant it gets. */
export interface Companion {
  input: ValueInfo;
  fill: CompanionFill;
}

/** The fill for an input by its name, or undefined when it is not a mask or segment-id input. */
export function companionFill(name: string): CompanionFill | undefined {
  if (/mask/i.test(name)) return 'ones';
  if (/token_?type|segment/i.test(name)) return 'zeros';
  return undefined;
}

const dtypeOf = (v: ValueInfo): DType | undefined => (v.type?.kind === 'tensor' ? v.type.dtype : undefined);
/** An input as errors name it: `'input_ids' [N,128] int64`. */
export const describeInput = (v: ValueInfo) => `'${v.name}'${v.type?.kind === 'tensor' ? ` ${formatDims(v.type.shape)} ${v.type.dtype}` : ''}`;

/** The model's inputs that are not initializers. */
export function feedInputs(model: Model): ValueInfo[] {
  const g = model.graph;
  return g.inputs.filter((v) => !g.initializers.has(v.name));
}

/**
 * The model input calibration data of `dataType` feeds: `name`, else the single float
 * input (float data, the default) or the single integer input not named like a mask or
 * segment ids (integer data). Throws E_OPTION asking for --input when it is not one.
 */
export function pickInput(model: Model, name?: string, dataType: DType = 'float32'): ValueInfo {
  const inputs = feedInputs(model);
  if (name !== undefined) {
    const chosen = inputs.find((v) => v.name === name);
    if (!chosen) throw new QtkError('E_OPTION', `--input '${name}' is not a model input; inputs: ${inputs.map(describeInput).join(', ')}`, { option: 'input', tensor: name });
    return chosen;
  }
  const integer = isIntegerDType(dataType);
  const fits = inputs.filter((v) => {
    const t = dtypeOf(v);
    if (!t) return false;
    return integer ? isIntegerDType(t) && companionFill(v.name) === undefined : FLOAT_TYPES.includes(t);
  });
  if (fits.length !== 1) {
    const kind = integer ? 'integer (token id) inputs' : 'float inputs';
    throw new QtkError('E_OPTION', `the model has ${fits.length} ${kind} (${inputs.map(describeInput).join(', ') || 'none'}); name the one the calibration data feeds with --input`, { option: 'input' });
  }
  return fits[0]!;
}

/**
 * The model inputs named `names`, in the model's input order; E_CALIB_DATA naming those
 * that are not inputs and listing the model's inputs.
 */
export function namedInputs(model: Model, names: readonly string[]): ValueInfo[] {
  const inputs = feedInputs(model);
  const unknown = names.filter((n) => !inputs.some((v) => v.name === n));
  if (unknown.length) {
    throw new QtkError(
      'E_CALIB_DATA',
      `calibration data for ${unknown.map((n) => `'${n}'`).join(', ')}, but ${unknown.length > 1 ? 'they are not model inputs' : 'that is not a model input'}; inputs: ${inputs.map(describeInput).join(', ')}`,
      { tensor: unknown[0] },
    );
  }
  return inputs.filter((v) => names.includes(v.name));
}

/** The inputs of `model` that `fed` leaves out and what they get; E_CALIB_DATA naming those that cannot be filled. */
export function companionInputs(model: Model, fed: readonly ValueInfo[]): Companion[] {
  const others = feedInputs(model).filter((v) => !fed.some((f) => f.name === v.name));
  const unfilled = others.filter((v) => companionFill(v.name) === undefined);
  if (unfilled.length) {
    throw new QtkError(
      'E_CALIB_DATA',
      `the model has inputs besides ${fed.map(describeInput).join(', ')} that no calibration data feeds: ${unfilled.map(describeInput).join(', ')}; ` +
        'give one array per input (--calib NAME=FILE repeated, a .npz, or a folder of NAME.npy files); only inputs named like attention_mask (ones) or token_type_ids (zeros) are filled without data',
      { tensor: unfilled[0]!.name },
    );
  }
  return others.map((input) => ({ input, fill: companionFill(input.name)! }));
}

/**
 * Integer data converted to the input's integer type (int32 token ids for an int64
 * input and the reverse); other data is returned as it is, for `batchSamples` to check.
 */
export function matchIntegerType(data: Tensor, input: ValueInfo): Tensor {
  const want = dtypeOf(input);
  if (!want || want === data.dtype || !isIntegerDType(data.dtype) || !isIntegerDType(want)) return data;
  const out = Tensor.zeros(want, data.dims);
  for (let i = 0; i < data.size; i++) out.set(i, data.get(i));
  return out;
}

/** A constant tensor shaped like `like` in `input`'s dtype (float32 when unknown). */
export function fillFor(c: Companion, like: Tensor): Tensor {
  const t = Tensor.zeros(dtypeOf(c.input) ?? 'float32', like.dims);
  if (c.fill === 'ones') for (let i = 0; i < t.size; i++) t.set(i, 1);
  return t;
}

/** Each batch's feeds plus a constant for every companion, shaped like the batch's first feed. */
export function feedsFor(batches: readonly Feeds[], companions: readonly Companion[]): Feeds[] {
  return batches.map((b) => {
    const feeds: Feeds = { ...b };
    const like = Object.values(b)[0]!;
    for (const c of companions) feeds[c.input.name] = fillFor(c, like);
    return feeds;
  });
}
