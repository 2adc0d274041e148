/**
 * What an op's planner sees of one node: its input values, attributes, the kernels and
 * memory, and the means to declare outputs, constant results, scratch buffers and run steps.
 */
import { attrFloat, attrInt, attrInts, attrString, checkTensorBytes, DEFAULT_MAX_TENSOR_BYTES, getAttr, QtkError, sizeOf, type Node } from '@qtk/core';
import type { Kernels } from '../kernels.js';
import type { WasmHeap } from '../heap.js';
import { axisIndex } from './axis.js';
import { allocArr, type Arr, type DT, Val, viewArr } from './value.js';

/**
 * Thrown when an op needs the value of `tensor` at planning time; the session retries with a
 * graph input of that name keyed by value, and otherwise reports it as E_UNSUPPORTED.
 */
export class NeedsConstant extends QtkError {
  constructor(node: string, op: string, readonly tensor: string, what: string) {
    super('E_UNSUPPORTED', `${op} node '${node}': ${what} ('${tensor}') must be a constant (initializer or computable from shapes)`, { node, tensor });
  }
}

/** A per-step temporary buffer; `off` is assigned by the memory plan. */
export interface Scratch {
  bytes: number;
  off: number;
}

/** A run step: one kernel call sequence for one node. */
export interface Step {
  node: string;
  op: string;
  run: () => void;
  reads: Val[];
  writes: Val[];
  scratch: Scratch[];
}

/** State shared by all plans of a session: kernels, memory and caches of packed constants. */
export interface SessionState {
  kernels: Kernels;
  heap: WasmHeap;
  /** Packed weights and other derived constants, keyed by node name and purpose. */
  cache: Map<string, unknown>;
  /** Kernel-memory copies of constant values. */
  constPtrs: WeakMap<Arr, number>;
  opset: number;
  /** Constant names with the nodes that read them only through packed copies cached in kernel memory. */
  packedOnly?: Map<string, Set<string>>;
  /** Largest single value (constant computed at planning or runtime tensor), in bytes; default `DEFAULT_MAX_TENSOR_BYTES`. */
  maxTensorBytes?: number;
}

/** The planning context of one node. */
export class NodeCtx {
  readonly steps: Step[] = [];
  readonly outputs: (Val | undefined)[] = [];

  constructor(
    readonly node: Node,
    readonly inputs: (Val | undefined)[],
    readonly state: SessionState,
  ) {}

  /** The kernel exports. */
  get k(): Kernels {
    return this.state.kernels;
  }

  /** Opset of the default domain. */
  get opset(): number {
    return this.state.opset;
  }

  /** A typed E_UNSUPPORTED error naming this node and its op. */
  unsupported(what: string): QtkError {
    return new QtkError('E_UNSUPPORTED', `${this.node.opType} node '${this.node.name}': ${what}`, { node: this.node.name });
  }

  /** A typed E_SHAPE error naming this node and its op. */
  shapeError(what: string): QtkError {
    return new QtkError('E_SHAPE', `${this.node.opType} node '${this.node.name}': ${what}`, { node: this.node.name });
  }

  /** Required input `i`. */
  in(i: number): Val {
    const v = this.inputs[i];
    if (!v) throw this.unsupported(`input ${i} is missing`);
    return v;
  }

  /** Optional input `i` (undefined when omitted). */
  opt(i: number): Val | undefined {
    return this.inputs[i];
  }

  /** Input `i`, which must be a constant. */
  constIn(i: number, what = `input ${i}`): Val {
    return this.needConst(this.in(i), what);
  }

  /** `v` when it is a constant; throws NeedsConstant otherwise. */
  needConst(v: Val, what: string): Val {
    if (!v.isConst) throw new NeedsConstant(this.node.name, this.node.opType, v.name, what);
    return v;
  }

  /**
   * `axis` of a rank-`rank` input mapped to `[0, rank)` (`[0, rank]` with `inclusive`);
   * an E_SHAPE error naming this node when out of range.
   */
  axis(axis: number, rank: number, inclusive = false): number {
    const a = axisIndex(axis, rank, inclusive);
    if (a === undefined) throw this.shapeError(`axis ${axis} out of range for rank ${rank}`);
    return a;
  }

  /** Integer attribute with default. */
  int(name: string, fallback: number): number {
    return attrInt(this.node, name, fallback);
  }

  /** Float attribute with default. */
  float(name: string, fallback: number): number {
    return attrFloat(this.node, name, fallback);
  }

  /** Integer-list attribute (undefined when absent). */
  ints(name: string): number[] | undefined {
    return attrInts(this.node, name);
  }

  /** String attribute with default. */
  str(name: string, fallback: string): string {
    return attrString(this.node, name, fallback);
  }

  /** True when the node carries attribute `name`. */
  has(name: string): boolean {
    return getAttr(this.node, name) !== undefined;
  }

  /**
   * Throws E_MEMORY_BUDGET, naming this node and output `i`, when a value of `dtype` and
   * `dims` is larger than the session's `maxTensorBytes`; called before anything that size exists.
   */
  checkBudget(i: number, dtype: DT, dims: readonly number[]): void {
    const v = new Val(this.node.outputs[i] ?? `output ${i}`, dtype, dims);
    checkTensorBytes(v.bytes, this.state.maxTensorBytes ?? DEFAULT_MAX_TENSOR_BYTES, `${this.node.opType} node '${this.node.name}': value '${v.name}' ${dtype} [${dims.join(',')}]`, { node: this.node.name, tensor: v.name }, 'the session option maxTensorBytes');
  }

  /** Declares runtime output `i`. */
  out(i: number, dtype: DT, dims: readonly number[]): Val {
    this.checkBudget(i, dtype, dims);
    const v = new Val(this.node.outputs[i]!, dtype, dims);
    this.outputs[i] = v;
    return v;
  }

  /** Declares constant output `i` with `data`. */
  constOut(i: number, dtype: DT, dims: readonly number[], data: Arr): Val {
    const v = new Val(this.node.outputs[i]!, dtype, dims, data);
    this.outputs[i] = v;
    return v;
  }

  /** A scratch buffer of `bytes` for this node's steps. */
  scratch(bytes: number): Scratch {
    return { bytes, off: -1 };
  }

  /** Adds a run step reading `reads`, writing `writes`, using `scratch`. */
  step(run: () => void, reads: (Val | undefined)[], writes: Val[], scratch: Scratch[] = []): void {
    this.steps.push({ node: this.node.name, op: this.node.opType, run, reads: reads.filter((v): v is Val => !!v && !v.isConst), writes, scratch });
  }

  /** Kernel-memory offset of a constant (copied once per session). */
  constPtr(v: Val): number {
    if (!v.data) throw this.unsupported(`'${v.name}' is not a constant`);
    let p = this.state.constPtrs.get(v.data);
    if (p === undefined) {
      p = this.state.heap.put(v.data);
      this.state.constPtrs.set(v.data, p);
    }
    return p;
  }

  /**
   * Records that this node reads constant `v` only through a packed copy it cached in kernel
   * memory (with `cached`), so the session may drop the JS data once planning is done.
   */
  packedOnly(v: Val): void {
    let users = this.state.packedOnly?.get(v.name);
    if (!users) {
      users = new Set();
      (this.state.packedOnly ??= new Map()).set(v.name, users);
    }
    users.add(this.node.name);
  }

  /** Kernel-memory copy of a float array, cached per session under `key`. */
  staticF32(key: string, make: () => Float32Array): number {
    return this.cached(key, () => this.state.heap.put(make()));
  }

  /** A value cached per session under this node's name and `key`. */
  cached<T>(key: string, make: () => T): T {
    const k = `${this.node.name}\u0000${key}`;
    if (!this.state.cache.has(k)) this.state.cache.set(k, make());
    return this.state.cache.get(k) as T;
  }

  /** A live view of a runtime value (valid within a step). */
  view(v: Val): Arr {
    if (v.data) return v.data;
    return viewArr(v.dtype, this.state.kernels.memory.buffer, v.off, v.size);
  }

  /**
   * Runs a JS kernel: at planning when every input is constant (the outputs become
   * constants), otherwise as a run step over views of kernel memory.
   */
  js(outs: { dtype: DT; dims: readonly number[] }[], fn: (ins: (Arr | undefined)[], outs: Arr[]) => void): void {
    const ins = this.inputs;
    if (ins.every((v) => !v || v.isConst)) {
      outs.forEach((o, i) => this.checkBudget(i, o.dtype, o.dims));
      const data = outs.map((o) => allocArr(o.dtype, sizeOf(o.dims)));
      fn(ins.map((v) => v?.data), data);
      outs.forEach((o, i) => this.constOut(i, o.dtype, o.dims, data[i]!));
      return;
    }
    const vals = outs.map((o, i) => this.out(i, o.dtype, o.dims));
    this.step(() => fn(ins.map((v) => (v ? this.view(v) : undefined)), vals.map((v) => this.view(v))), ins, vals);
  }
}
