/**
 * The metrics `--metric` names: `accuracy` (top-1 of the first output against labels from
 * an .npy file) or a module whose default export is NNCF's validation_fn,
 * `async (run, dataset) => number`.
 *
 * Example: `--metric accuracy --labels y.npy` counts the samples whose first output's
 * argmax equals their label and divides by their number.
 */
import { parseNpy, QtkError, type BackendFileValue, type BackendModuleValue, type Feeds, type Tensor } from '@qtk/core';
import type { RunModel } from '../accuracyControl/types.js';
import type { FrontEndMetric } from './runOptions.js';

/** The class of each row of `t` (the argmax over its last axis). */
export function argmaxRows(t: Tensor): number[] {
  const v = t.toNumbers();
  const width = t.dims.at(-1) ?? v.length;
  const out: number[] = [];
  for (let r = 0; r * width < v.length; r++) {
    let best = 0;
    for (let i = 1; i < width; i++) if (v[r * width + i]! > v[r * width + best]!) best = i;
    out.push(best);
  }
  return out;
}

/** The labels of an .npy file: one integer per sample. E_OPTION naming `flag` for anything else. */
export function readLabels(file: BackendFileValue, flag: string): number[] {
  let t: Tensor;
  try {
    t = parseNpy(file.bytes, file.path);
  } catch (e) {
    throw new QtkError('E_OPTION', `${flag} '${file.path}': ${(e as Error).message}`, { option: 'labels', file: file.path }, { cause: e });
  }
  const values = t.toNumbers();
  if (t.dims.length > 2 || (t.dims.length === 2 && t.dims[1] !== 1) || values.some((x) => !Number.isInteger(x) || x < 0)) {
    throw new QtkError('E_OPTION', `${flag} '${file.path}' must hold one class index (an integer ≥ 0) per sample, shape [N]; got ${t.dtype} [${t.dims.join(', ')}]`, { option: 'labels', file: file.path });
  }
  return values;
}

/** Top-1 accuracy against `labels` (label: how messages name the labels flag). */
export function accuracyMetric(labels: readonly number[], file: string, labelsFlag: string): FrontEndMetric {
  return {
    label: '--metric accuracy',
    check(samples) {
      if (samples !== labels.length) {
        throw new QtkError('E_OPTION', `${labelsFlag} '${file}' holds ${labels.length} labels, but the validation data has ${samples} samples: give one label per sample`, { option: 'labels', file });
      }
    },
    async measure(run: RunModel, dataset: readonly Feeds[]) {
      let right = 0;
      let seen = 0;
      for (const feeds of dataset) {
        const first = Object.values(await run(feeds))[0];
        if (!first) throw new QtkError('E_OPTION', 'the model gives no output to take the argmax of', { option: 'metric' });
        for (const c of argmaxRows(first)) if (c === labels[seen++]) right++;
      }
      return seen ? right / seen : 0;
    },
  };
}

/** The metric a module's default export computes. E_OPTION naming the module when it is not a function. */
export function moduleMetric(mod: BackendModuleValue, flag: string): FrontEndMetric {
  const fn = mod.exports.default;
  const label = `${flag} '${mod.path}'`;
  if (typeof fn !== 'function') {
    throw new QtkError('E_OPTION', `${label}: the module's default export must be a function async (run, dataset) => number, not ${fn === undefined ? 'missing' : typeof fn}`, { option: 'metric', file: mod.path });
  }
  const validate = fn as (run: RunModel, dataset: readonly Feeds[]) => unknown;
  return {
    label,
    check() {},
    async measure(run, dataset) {
      return (await validate(run, dataset)) as number;
    },
  };
}
