/**
 * The layers awq_lite scales: MatMul and Gemm nodes of the main graph whose weight (input B) is
 * a float32 rank-2 initializer and whose input A is computed. Layers reading one input form a
 * group: they share one input scale, as Model Optimizer's awq_lite (the mean of their best scales).
 */
import { attrInt, type FloatNode, type Model, type Node } from '@qtk/core';
import { isExcluded } from '@qtk/core/internal';

/** One MatMul/Gemm awq_lite can scale. */
export interface AwqSite {
  node: Node;
  /** Name of the weight initializer (input 1). */
  weight: string;
  /** Gemm with transB: the weight is stored [N, K]. */
  transB: boolean;
  /** Input channels (the reduction axis). */
  k: number;
  /** Output columns. */
  n: number;
}

/** The layers reading one activation. */
export interface AwqGroup {
  /** The activation (input A) they read. */
  input: string;
  sites: AwqSite[];
}

/** The groups of `model`'s main graph, and the MatMul/Gemm nodes left out with why. */
export function findAwqGroups(model: Model, exclude: readonly string[]): { groups: AwqGroup[]; skipped: FloatNode[] } {
  const g = model.graph;
  const byInput = new Map<string, AwqSite[]>();
  const skipped: FloatNode[] = [];
  for (const node of g.nodes) {
    if (node.domain !== '' || (node.opType !== 'MatMul' && node.opType !== 'Gemm')) continue;
    const skip = (reason: string) => skipped.push({ name: node.name, opType: node.opType, reason });
    if (isExcluded(node, exclude)) { skip('excluded by user'); continue; }
    const [a, b] = node.inputs;
    const w = g.initializers.get(b ?? '');
    if (!w) { skip('weight (input B) is not an initializer'); continue; }
    if (g.initializers.has(a ?? '')) { skip('input A is a constant'); continue; }
    if (w.dtype !== 'float32' || w.dims.length !== 2) { skip(`weight is ${w.dtype} of rank ${w.dims.length} (needs float32 rank 2)`); continue; }
    if (node.opType === 'Gemm' && attrInt(node, 'transA', 0) !== 0) { skip('Gemm with transA'); continue; }
    const transB = node.opType === 'Gemm' && attrInt(node, 'transB', 0) !== 0;
    const [d0, d1] = w.dims as [number, number];
    const site: AwqSite = { node, weight: b!, transB, k: transB ? d1 : d0, n: transB ? d0 : d1 };
    const list = byInput.get(a!) ?? [];
    list.push(site);
    byInput.set(a!, list);
  }
  return { groups: [...byInput].map(([input, sites]) => ({ input, sites })), skipped };
}

/** The weight of `site` as a row-major [K, N] matrix (a transposed copy for Gemm transB). */
export function weightKN(model: Model, site: AwqSite): Float32Array {
  const w = model.graph.initializers.get(site.weight)!.data as Float32Array;
  if (!site.transB) return w;
  const { k, n } = site;
  const out = new Float32Array(k * n);
  for (let j = 0; j < n; j++) for (let r = 0; r < k; r++) out[r * n + j] = w[j * k + r]!;
  return out;
}
