/**
 * The order in which compared variants run: round-robin, one run of each variant per
 * round (A B A B ...), so that slow drifts of the machine (thermal state, other load)
 * touch every variant alike instead of whichever ran last.
 */
import { QtkError } from '@qtk/core';

/** One timed run: which round, and which variant (index into the variant list). */
export interface ScheduledRun {
  round: number;
  variant: number;
}

/**
 * The runs of `variants` variants over `rounds` rounds: round 0 runs 0, 1, ..., then
 * round 1 runs 0, 1, ... again. Example: `interleave(2, 2)` is A B A B.
 */
export function interleave(variants: number, rounds: number): ScheduledRun[] {
  for (const [name, v] of [['variants', variants], ['rounds', rounds]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new QtkError('E_OPTION', `${name} must be a non-negative integer, got ${v}`, { option: name });
  }
  const out: ScheduledRun[] = [];
  for (let round = 0; round < rounds; round++) for (let variant = 0; variant < variants; variant++) out.push({ round, variant });
  return out;
}
