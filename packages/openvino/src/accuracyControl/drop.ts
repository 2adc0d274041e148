/**
 * The drop of a metric against the float model's, absolute or relative.
 */
import { QtkError } from '@qtk/core';
import type { DropType } from './types.js';

/** `initial − current` (`absolute`) or `(initial − current) / |initial|` (`relative`). */
export function metricDrop(initial: number, current: number, dropType: DropType): number {
  if (dropType === 'absolute') return initial - current;
  if (initial === 0) throw new QtkError('E_OPTION', "option dropType='relative': the float model's metric is 0, so a relative drop is undefined; use 'absolute'", { option: 'dropType' });
  return (initial - current) / Math.abs(initial);
}

/** The checked `maxDrop` and `dropType` (E_OPTION errors name a bad one). */
export function dropOptions(o: { maxDrop?: number; dropType?: DropType }): { maxDrop: number; dropType: DropType } {
  const maxDrop = o.maxDrop ?? 0.01;
  const dropType = o.dropType ?? 'absolute';
  if (!Number.isFinite(maxDrop) || maxDrop < 0) throw new QtkError('E_OPTION', `option maxDrop=${maxDrop}: give a finite number ≥ 0`, { option: 'maxDrop' });
  if (dropType !== 'absolute' && dropType !== 'relative') throw new QtkError('E_OPTION', `option dropType='${String(dropType)}': give 'absolute' or 'relative'`, { option: 'dropType' });
  return { maxDrop, dropType };
}
