/**
 * Ranking of the quantized nodes, once, on a few validation items: one run of the float
 * and the quantized model with every quantized node's output fetched, and each node's
 * score the noise it adds itself (its output's noise-to-signal ratio less its inputs',
 * core's `rankSensitivity`). NNCF reverts each group and re-runs the model per group;
 * this costs one comparison whatever the number of nodes.
 */
import { compareModels, rankSensitivity, type Executor, type Feeds, type Model, type StaticConversion } from '@qtk/core';
import type { RankedNode } from './types.js';

/** The units of `quantized` ranked worst first by the noise they add, measured on `batches`. */
export async function rankNodes(floatModel: Model, quantized: StaticConversion, executor: Executor, batches: readonly Feeds[]): Promise<RankedNode[]> {
  const cmp = await compareModels(floatModel, quantized.model, executor, batches);
  return rankSensitivity(quantized, cmp.nodes);
}
