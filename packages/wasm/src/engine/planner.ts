/**
 * Planning for concrete input shapes: each node's op planner declares outputs (folding
 * constants) and run steps in topological order, then the memory plan places every runtime
 * buffer in one arena of kernel memory by liveness. Budgets hold before memory is taken:
 * each value within the session's `maxTensorBytes` (checked as it is declared), the arena
 * within `maxArenaBytes`.
 */
import { checkTensorBytes, DEFAULT_MAX_TENSOR_BYTES, QtkError, type Node } from '@qtk/core';
import { OPS } from '../ops/index.js';
import { opKey } from '../ops/registry.js';
import { NeedsConstant, NodeCtx, type SessionState, type Step } from './context.js';
import { planArena, type Lifetime } from './memoryPlan.js';
import { type DT, Val } from './value.js';

/** A plan: steps to run, the input and output values, the arena it placed buffers in. */
export interface Plan {
  steps: Step[];
  inputs: Map<string, Val>;
  outputs: Val[];
  arenaBytes: number;
}

/** Plans `nodes` (topologically sorted) for inputs of the given types and dims. */
/** Default largest arena of one plan: 2 GiB (half of what 32-bit WebAssembly memory can address). */
export const DEFAULT_MAX_ARENA_BYTES = 2 ** 31;

export function buildPlan(
  state: SessionState,
  nodes: readonly Node[],
  constants: (name: string) => Val | undefined,
  inputs: ReadonlyMap<string, { dtype: DT; dims: readonly number[] }>,
  outputNames: readonly string[],
  maxArenaBytes = DEFAULT_MAX_ARENA_BYTES,
): Plan {
  const values = new Map<string, Val>();
  const inVals = new Map<string, Val>();
  for (const [name, t] of inputs) {
    const v = new Val(name, t.dtype, t.dims);
    checkTensorBytes(v.bytes, state.maxTensorBytes ?? DEFAULT_MAX_TENSOR_BYTES, `graph input '${name}' ${t.dtype} [${t.dims.join(',')}]`, { tensor: name }, 'the session option maxTensorBytes');
    values.set(name, v);
    inVals.set(name, v);
  }
  const lookup = (name: string): Val | undefined => values.get(name) ?? constants(name);
  const steps: Step[] = [];
  for (const node of nodes) {
    const def = OPS.get(opKey(node));
    if (!def) throw new QtkError('E_UNSUPPORTED', `${node.opType} node '${node.name}': op ${opKey(node)} is not supported by @qtk/wasm`, { node: node.name });
    const ins = node.inputs.map((n) => {
      if (!n) return undefined;
      const v = lookup(n);
      if (!v) throw new QtkError('E_GRAPH', `${node.opType} node '${node.name}': input '${n}' is not produced by any node, input or initializer`, { node: node.name, tensor: n });
      return v;
    });
    const ctx = new NodeCtx(node, ins, state);
    try {
      def.plan(ctx);
    } catch (e) {
      if (e instanceof NeedsConstant) throw e;
      if (e instanceof QtkError) {
        if (e.where.node === undefined) throw new QtkError(e.code, `${node.opType} node '${node.name}': ${e.message}`, { ...e.where, node: node.name }, { cause: e });
        throw e;
      }
      throw new QtkError('E_EXECUTOR', `${node.opType} node '${node.name}': planning failed: ${(e as Error).message}`, { node: node.name }, { cause: e });
    }
    node.outputs.forEach((o, i) => {
      if (!o) return;
      const v = ctx.outputs[i];
      if (!v) throw new QtkError('E_UNSUPPORTED', `${node.opType} node '${node.name}': output ${i} ('${o}') is not produced`, { node: node.name });
      values.set(o, v);
    });
    steps.push(...ctx.steps);
  }
  const outputs = outputNames.map((n) => {
    const v = lookup(n);
    if (!v) throw new QtkError('E_GRAPH', `graph output '${n}' is not produced`, { tensor: n });
    return v;
  });

  // liveness: first write to last read; inputs from step 0, outputs to the end
  const life = new Map<Val, Lifetime>();
  const touch = (v: Val, at: number) => {
    const l = life.get(v);
    if (!l) life.set(v, { bytes: v.bytes, first: at, last: at });
    else { l.first = Math.min(l.first, at); l.last = Math.max(l.last, at); }
  };
  for (const v of inVals.values()) touch(v, 0);
  const scratch: Lifetime[] = [];
  const scratchOf: { s: { off: number }; l: Lifetime }[] = [];
  steps.forEach((s, i) => {
    for (const v of s.writes) touch(v, i);
    for (const v of s.reads) touch(v, i);
    for (const sc of s.scratch) {
      const l = { bytes: sc.bytes, first: i, last: i };
      scratch.push(l);
      scratchOf.push({ s: sc, l });
    }
  });
  for (const v of outputs) if (!v.isConst) touch(v, steps.length);
  const all = [...life.values(), ...scratch];
  const arenaBytes = planArena(all);
  checkArena(life, steps, arenaBytes, maxArenaBytes);
  const base = state.heap.alloc(arenaBytes);
  for (const [v, l] of life) v.off = base + l.offset!;
  for (const { s, l } of scratchOf) s.off = base + l.offset!;
  return { steps, inputs: inVals, outputs, arenaBytes };
}

/** E_MEMORY_BUDGET when the arena is over `budget`, naming the value placed highest in it (the one that took it over) and the node writing it. */
function checkArena(life: Map<Val, Lifetime>, steps: readonly Step[], arenaBytes: number, budget: number): void {
  if (arenaBytes <= budget) return;
  let top: [Val, Lifetime] | undefined;
  for (const e of life) if (!top || e[1].offset! + e[1].bytes > top[1].offset! + top[1].bytes) top = e;
  const [v, l] = top!;
  const writer = steps[l.first]?.writes.includes(v) ? steps[l.first]!.node : undefined;
  const what = `the memory plan's arena (up to value '${v.name}' ${v.dtype} [${v.dims.join(',')}]${writer ? ` of node '${writer}'` : ', a graph input'})`;
  checkTensorBytes(arenaBytes, budget, what, { tensor: v.name, ...(writer && { node: writer }) }, 'the session option maxArenaBytes');
}
