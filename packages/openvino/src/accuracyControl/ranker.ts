/**
 * Ranking of the quantized nodes, once, on a few validation items: one run of the float
 * and the quantized model with every quantized node's output fetched, and each node's
 * score the noise it adds itself (its output's noise-to-signal ratio less its inputs',
 * core's `rankSensitivity`). NNCF reverts each group and re-runs the model per group;
 * this costs one comparison whatever the number of nodes.
 *
 * The noise a node adds includes the quantizer on its output (clipping, rounding), and that
 * quantizer stays as long as a node reading the output is quantized. So, as NNCF reverts
 * quantizer groups rather than single ops, reverting a node also reverts the quantized
 * nodes that read its output (after its fused activation): together they are its group.
 */
import { compareModels, GraphIndex, type Executor, type Feeds, type Model, type StaticConversion } from '@qtk/core';
import { rankSensitivity } from '@qtk/core/internal';
import { rankQuantizers } from './quantizerNoise.js';
import type { RankedNode } from './types.js';

/**
 * The units of `quantized` and its activation quantizers (see quantizerNoise.ts), ranked
 * together worst first by the noise each adds, measured on `batches`, each with its group.
 */
export async function rankNodes(floatModel: Model, quantized: StaticConversion, executor: Executor, batches: readonly Feeds[]): Promise<RankedNode[]> {
  const cmp = await compareModels(floatModel, quantized.model, executor, batches);
  const groups = quantizerGroups(floatModel, quantized);
  const nodes = rankSensitivity(quantized, cmp.nodes).map((s) => ({ ...s, group: groups.get(s.name) ?? [s.name] }));
  const quantizers = await rankQuantizers(floatModel, quantized, executor, batches);
  return [...nodes, ...quantizers].sort((a, b) => b.addedNsr - a.addedNsr);
}

/**
 * Each unit of `quantized` with the units that read its output (its fused activation's
 * output when it has one), itself first: the nodes to keep float so that the quantizer on
 * that output goes away.
 */
export function quantizerGroups(floatModel: Model, quantized: Pick<StaticConversion, 'units'>): Map<string, string[]> {
  const index = new GraphIndex(floatModel.graph);
  const byName = new Map(floatModel.graph.nodes.map((n) => [n.name, n]));
  const units = new Set(quantized.units.map((u) => u.name));
  const groups = new Map<string, string[]>();
  for (const u of quantized.units) {
    const tail = byName.get(u.fused ?? u.name) ?? byName.get(u.name);
    const readers = new Set<string>();
    for (const out of tail?.outputs ?? []) {
      if (out) for (const c of index.consumers(out)) if (units.has(c.name) && c.name !== u.name) readers.add(c.name);
    }
    groups.set(u.name, [u.name, ...readers]);
  }
  return groups;
}

/** The nodes to keep float when the first `k` ranked nodes are reverted: their groups together, in rank order. */
export function revertedNodes(ranking: readonly RankedNode[], k: number): string[] {
  const out = new Set<string>();
  for (const r of ranking.slice(0, k)) for (const n of r.group) out.add(n);
  return [...out];
}
