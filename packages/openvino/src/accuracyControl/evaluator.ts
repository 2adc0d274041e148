/**
 * Runs the caller's metric on one model: a session for the model, a `run` that checks
 * each item's feeds against the model's inputs, and a check that the metric gives a
 * finite number. The session is released whatever happens.
 */
import { isQtkError, QtkError, type Executor, type Model } from '@qtk/core';
import type { Dataset } from '../dataset.js';
import { checkFeedsFit } from './feedsFit.js';
import type { RunModel, ValidateFn } from './types.js';

/** Evaluates models with one metric on one validation dataset. */
export class Evaluator {
  /** Models evaluated so far. */
  evaluations = 0;

  constructor(
    private readonly executor: Executor,
    private readonly validate: ValidateFn,
    private readonly dataset: Dataset<any>,
  ) {}

  /**
   * The metric of `model` (`what` names it in errors: `the float model`). A metric that
   * throws, or gives something other than a finite number, is an E_OPTION error on
   * option `validate`; a QtkError raised inside (a feed that does not fit) passes as is.
   */
  async metric(model: Model, what: string): Promise<number> {
    const session = await this.executor.createSession(model);
    let calls = 0;
    const run: RunModel = (feeds) => {
      calls++;
      checkFeedsFit(model, feeds, `validation run ${calls} of ${what}`);
      return session.run(feeds);
    };
    let value: unknown;
    try {
      value = await this.validate(run, this.dataset);
    } catch (e) {
      if (isQtkError(e)) throw e;
      throw new QtkError('E_OPTION', `the validation function threw on ${what}: ${e instanceof Error ? e.message : String(e)}`, { option: 'validate' }, { cause: e });
    } finally {
      await session.release();
    }
    this.evaluations++;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new QtkError('E_OPTION', `the validation function gave ${typeof value === 'number' ? String(value) : typeof value} on ${what}: it must return a finite number, higher is better`, { option: 'validate' });
    }
    return value;
  }
}
