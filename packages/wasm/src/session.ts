/**
 * InferenceSession: loads an ONNX model, rewrites QDQ groups into integer kernels, plans
 * memory for the input shapes (at create when they are static, else on first run and per
 * new shape) and runs the WebAssembly kernels.
 * Example: `const s = await InferenceSession.create(bytes); const out = await s.run({ input: x });`
 */
import { decodeModel, GraphIndex, isQtkError, QtkError, resolveMaxTensorBytes, sizeOf, topologicalSort, type Graph, type Model, type Node } from '@qtk/core';
import { instantiateKernels, type Kernels } from './kernels.js';
import { WasmHeap } from './heap.js';
import { detachPool } from './threads/parallel.js';
import type { WorkerPool } from './threads/pool.js';
import { grantedThreads, requestedThreads, startThreads } from './threads/setup.js';
import { NeedsConstant, type SessionState } from './engine/context.js';
import { rewriteGraph } from './engine/fuse.js';
import { checkGraphAttributes } from './engine/attributeCheck.js';
import { runStep } from './engine/runStep.js';
import { buildPlan, type Plan } from './engine/planner.js';
import { type DT, Val, valFromCore, viewArr } from './engine/value.js';
import { OPS } from './ops/index.js';
import { opKey } from './ops/registry.js';
import { Tensor, type TensorType } from './tensor.js';

/** Options of `InferenceSession.create`. */
export interface SessionOptions {
  /** Apply graph rewrites: QDQ groups to integer kernels, activation fusion (default true). */
  graphOptimization?: boolean;
  /** Input dims to plan for at create when the model's inputs have symbolic dims. */
  freeDimensionOverrides?: Record<string, number>;
  /**
   * Threads for the heavy kernels (Conv, MatMul/Gemm, FP32 and INT8), default 1: a pool of
   * this many minus one workers (Node worker_threads; in browsers Web Workers on a shared
   * memory, only when the page is cross-origin isolated, else one thread with a console
   * warning). Results are identical for any count. `release()` stops the workers.
   */
  intraOpNumThreads?: number;
  /** Accepted for onnxruntime compatibility and ignored: the engine is its own single provider. */
  executionProviders?: readonly (string | { name: string })[];
  /**
   * Memory budget of one value, in bytes (default `DEFAULT_MAX_TENSOR_BYTES`, 1 GiB): a
   * graph input, a runtime tensor or a constant computed while planning (ConstantOfShape,
   * Range, ...) that would be larger is E_MEMORY_BUDGET naming the node and value, before
   * any memory is taken.
   */
  maxTensorBytes?: number;
  /**
   * Memory budget of a plan's arena (every runtime tensor and scratch buffer, shared by
   * liveness), in bytes (default `DEFAULT_MAX_ARENA_BYTES`, 2 GiB): a larger plan is
   * E_MEMORY_BUDGET naming the value placed highest in it.
   */
  maxArenaBytes?: number;
}

/** Inputs of `run`: a Tensor per graph input name. */
export type FeedsType = Record<string, Tensor>;

/** Outputs of `run`: a Tensor per graph output name. */
export type ReturnType = Record<string, Tensor>;

/** What the session made of the model. */
export interface SessionInfo {
  /** QDQ groups rewritten into integer nodes. */
  fusedQdqGroups: number;
  /** Op types of the executed nodes, with counts. */
  ops: Record<string, number>;
}

/** Memory of a session in bytes, from its allocator and plans (deterministic for a model and input shapes). */
export interface SessionMemory {
  /** Size of the WebAssembly memory (the kernels' static data and every page grown so far). */
  wasmMemory: number;
  /** Bytes this session allocated in that memory: constants and the plans' arenas. */
  heap: number;
  /** Arena bytes of each plan (runtime tensors and scratch, shared by liveness), in plan order. */
  arenas: number[];
  /** `heap` less the arenas: kernel-memory copies of constants (packed weights, requantization factors, tables). */
  constants: number;
  /** Bytes of the model's initializers the session keeps in JS memory. */
  initializers: number;
  /**
   * Bytes of initializers the session no longer keeps in JS: with fixed input dims, those
   * every reader packed into kernel memory (INT8 Conv/MatMul weights) are dropped after planning.
   */
  droppedInitializers: number;
  /** Bytes of the two largest runtime tensors of any plan (graph inputs included, scratch excluded). */
  largestActivations: [number, number];
  /** Bytes of all runtime tensors of the plans, as if none shared memory (scratch excluded). */
  activations: number;
}

interface InputSpec {
  name: string;
  dtype: DT;
  dims?: (number | string | null)[];
}

const MAX_PLANS = 4;

// a session dropped without release() (or whose create failed) still stops its workers once collected
const poolReaper = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry<WorkerPool>((pool) => { void pool.terminate(); })
  : undefined;

/** A loaded model ready to run. */
export class InferenceSession {
  private readonly plans = new Map<string, Plan>();
  private readonly consts = new Map<string, Val>();
  /** Graph inputs some op needs by value (shape operands fed at run time): plans are keyed by their values. */
  private readonly valueInputs = new Set<string>();
  private readonly heapBase: number;
  /** Set once packed initializers were dropped from JS: end of the constants a reset keeps. */
  private constMark = -1;
  private droppedBytes = 0;
  private busy = false;
  private pool: WorkerPool | undefined;

  private constructor(
    private readonly graph: Graph,
    private readonly nodes: Node[],
    private readonly state: SessionState,
    private readonly specs: InputSpec[],
    /** What the session made of the model. */
    readonly info: SessionInfo,
    private readonly options: SessionOptions,
    pool?: WorkerPool,
  ) {
    this.heapBase = state.heap.mark();
    this.pool = pool;
    if (pool) poolReaper?.register(this, pool, this);
  }

  /** Threads the heavy kernels run on: the pool's, or 1 (also after release()). */
  get threads(): number {
    return this.pool?.threads ?? 1;
  }

  /** Graph input names (initializers excluded), in model order. */
  get inputNames(): readonly string[] {
    return this.specs.map((s) => s.name);
  }

  /** Graph output names, in model order. */
  get outputNames(): readonly string[] {
    return this.graph.outputs.map((o) => o.name);
  }

  /**
   * Loads a model from ONNX bytes or (in Node) a file path. Throws QtkError:
   * E_ONNX_DECODE for malformed bytes, E_ATTRIBUTE naming node and attribute for an attribute
   * its op does not take or a value out of its range, E_UNSUPPORTED naming the node for an op
   * or attribute value the engine does not run, E_IO for an unreadable file.
   */
  static async create(model: Uint8Array | ArrayBuffer | string, options: SessionOptions = {}): Promise<InferenceSession> {
    let m: Model;
    if (typeof model === 'string') {
      const { loadModelFile } = await import('@qtk/core/node');
      m = await loadModelFile(model);
    } else {
      const bytes = model instanceof Uint8Array ? model : new Uint8Array(model);
      try {
        m = decodeModel(bytes);
      } catch (e) {
        if (isQtkError(e)) throw e;
        throw new QtkError('E_ONNX_DECODE', `cannot decode the model: ${(e as Error).message}`, {}, { cause: e });
      }
    }
    return InferenceSession.fromModel(m, options);
  }

  /**
   * Builds a session over a decoded model (the model's graph is rewritten in place; with fixed
   * input dims, initializers packed into kernel memory are removed from it).
   */
  static async fromModel(m: Model, options: SessionOptions = {}): Promise<InferenceSession> {
    const g = m.graph;
    const maxTensorBytes = resolveMaxTensorBytes(options.maxTensorBytes);
    resolveMaxTensorBytes(options.maxArenaBytes, 'maxArenaBytes');
    const threads = requestedThreads(options.intraOpNumThreads);
    for (const [d, v] of m.opsetImports) {
      if ((d === '' || d === 'ai.onnx') && v < 7) throw new QtkError('E_UNSUPPORTED', `opset ${v} of the default domain (7 or newer is supported)`);
    }
    // unnamed nodes get names so errors can point at them
    g.nodes.forEach((n, i) => { if (!n.name) n.name = `${n.opType}_${i}`; });
    checkGraphAttributes(g);
    const fused = options.graphOptimization === false ? 0 : rewriteGraph(g, m.opsetImports.get('') ?? m.opsetImports.get('ai.onnx') ?? 21);
    let nodes: Node[];
    try {
      nodes = topologicalSort(g);
    } catch (e) {
      if (isQtkError(e)) throw e;
      throw new QtkError('E_GRAPH', `cannot order the graph: ${(e as Error).message}`, {}, { cause: e });
    }
    const ops: Record<string, number> = {};
    for (const n of nodes) {
      const def = OPS.get(opKey(n));
      if (!def) throw new QtkError('E_UNSUPPORTED', `${n.opType} node '${n.name}': op ${opKey(n)} is not supported by @qtk/wasm`, { node: n.name });
      if (n.attributes.some((a) => a.value.kind === 'graph' || a.value.kind === 'graphs')) {
        throw new QtkError('E_UNSUPPORTED', `${n.opType} node '${n.name}': subgraphs are not supported`, { node: n.name });
      }
      def.check?.(n);
      ops[opKey(n)] = (ops[opKey(n)] ?? 0) + 1;
    }
    const specs: InputSpec[] = [];
    for (const v of g.inputs) {
      if (g.initializers.has(v.name)) continue;
      if (v.type?.kind !== 'tensor') throw new QtkError('E_UNSUPPORTED', `input '${v.name}' is not a tensor`, { tensor: v.name });
      const dt = v.type.dtype;
      if (!['float32', 'uint8', 'int8', 'int32', 'int64', 'bool'].includes(dt)) throw new QtkError('E_UNSUPPORTED', `input '${v.name}' has element type ${dt}`, { tensor: v.name });
      specs.push({ name: v.name, dtype: dt as DT, dims: v.type.shape });
    }
    let kernels: Kernels, heap: WasmHeap, pool: WorkerPool | undefined;
    if (grantedThreads(threads) > 1) ({ kernels, heap, pool } = await startThreads(threads));
    else {
      kernels = await instantiateKernels();
      heap = new WasmHeap(kernels);
    }
    const opset = m.opsetImports.get('') ?? m.opsetImports.get('ai.onnx') ?? 21;
    const state: SessionState = { kernels, heap, cache: new Map(), constPtrs: new WeakMap(), opset, maxTensorBytes };
    const s = new InferenceSession(g, nodes, state, specs, { fusedQdqGroups: fused, ops }, options, pool);
    const overrides = options.freeDimensionOverrides ?? {};
    const staticDims = specs.map((sp) => sp.dims?.map((d) => (typeof d === 'number' ? d : typeof d === 'string' ? overrides[d] : undefined)));
    if (staticDims.every((d) => d && d.every((x) => typeof x === 'number'))) {
      try {
        s.planFor(new Map(specs.map((sp, i) => [sp.name, { dtype: sp.dtype, dims: staticDims[i] as number[] }])));
      } catch (e) {
        // an op needs a graph input's value: plan on the first run, keyed by that value
        if (!(e instanceof NeedsConstant && specs.some((sp) => sp.name === e.tensor))) throw e;
        s.valueInputs.add(e.tensor);
      }
      // fixed input dims: this plan is the only one, so JS copies of packed weights are not needed again
      if (s.plans.size === 1 && specs.every((sp) => sp.dims?.every((d) => typeof d === 'number'))) s.dropPackedInitializers();
    }
    return s;
  }

  /**
   * Drops from the graph the initializers every reader has packed into kernel memory (INT8
   * Conv/MatMul weights), keeping their dims and type for re-planning; from then on a reset
   * keeps the constants' kernel memory and caches and frees only the arena.
   */
  private dropPackedInitializers(): void {
    const packed = this.state.packedOnly;
    if (!packed) return;
    const index = new GraphIndex(this.graph);
    const [plan] = this.plans.values();
    this.constMark = this.state.heap.mark() - Math.ceil(plan!.arenaBytes / 16) * 16;
    for (const name of [...this.graph.initializers.keys()]) {
      const users = index.consumers(name).map((n) => n.name);
      const marked = packed.get(name);
      const v = this.consts.get(name);
      if (!v || !marked || users.some((u) => !marked.has(u)) || this.outputNames.includes(name)) continue;
      this.droppedBytes += (this.graph.initializers.get(name)!.data as ArrayBufferView).byteLength;
      v.dropData();
      this.graph.initializers.delete(name);
    }
  }

  private constant(name: string): Val | undefined {
    let v = this.consts.get(name);
    if (!v) {
      const t = this.graph.initializers.get(name);
      if (!t) return undefined;
      v = valFromCore(name, t);
      this.consts.set(name, v);
    }
    return v;
  }

  private planFor(inputs: Map<string, { dtype: DT; dims: readonly number[] }>, feeds?: FeedsType): Plan {
    for (;;) {
      const valued = [...this.valueInputs].filter((n) => inputs.has(n));
      if (valued.length && !feeds) throw new NeedsConstant('', 'graph', valued[0]!, 'input');
      const keyed = new Set(valued);
      const key = [...inputs].map(([n, t]) => `${t.dims.join('x')}${keyed.has(n) ? `=${(feeds![n]!.data as Val['data'])!.join(',')}` : ''}`).join('|');
      const cached = this.plans.get(key);
      if (cached) return cached;
      // a new plan keeps its own copies of the values it was built for
      const byValue = new Map(valued.map((n) => {
        const t = feeds![n]!;
        return [n, new Val(n, inputs.get(n)!.dtype, [...t.dims], (t.data as Val['data'])!.slice())] as const;
      }));
      if (this.plans.size >= MAX_PLANS) this.resetPlans();
      const runtime = new Map([...inputs].filter(([n]) => !byValue.has(n)));
      try {
        const p = buildPlan(this.state, this.nodes, (n) => byValue.get(n) ?? this.constant(n), runtime, this.outputNames, this.options.maxArenaBytes);
        this.plans.set(key, p);
        return p;
      } catch (e) {
        // a failed plan may have cached packed constants in memory it never finished using
        this.resetPlans();
        if (e instanceof NeedsConstant && inputs.has(e.tensor) && !this.valueInputs.has(e.tensor)) {
          this.valueInputs.add(e.tensor);
          if (!feeds) throw e;
          continue;
        }
        throw e;
      }
    }
  }

  /** Drops every plan and the memory planning allocated (packed constants included). */
  private resetPlans(): void {
    this.plans.clear();
    if (this.constMark >= 0) {
      this.state.heap.release(this.constMark);
      return;
    }
    this.state.heap.release(this.heapBase);
    this.state.cache.clear();
    this.state.constPtrs = new WeakMap();
  }

  /**
   * Runs the model. Throws QtkError E_SHAPE/E_DTYPE naming the input for a feed that does not
   * match the model, E_EXECUTOR naming the node when a kernel traps; the session stays usable
   * after any error.
   */
  async run(feeds: FeedsType): Promise<ReturnType> {
    if (this.busy) throw new QtkError('E_EXECUTOR', 'run() called while another run of this session is in progress');
    this.busy = true;
    try {
      return this.runSync(feeds);
    } finally {
      this.busy = false;
    }
  }

  private runSync(feeds: FeedsType): ReturnType {
    const shapes = new Map<string, { dtype: DT; dims: readonly number[] }>();
    for (const sp of this.specs) {
      const t = feeds[sp.name];
      if (!t) throw new QtkError('E_SHAPE', `missing feed for input '${sp.name}'`, { tensor: sp.name });
      if (!(t instanceof Tensor) && !(t && typeof t === 'object' && 'dims' in t && 'data' in t)) throw new QtkError('E_DTYPE', `feed '${sp.name}' is not a Tensor`, { tensor: sp.name });
      if (t.type !== sp.dtype) throw new QtkError('E_DTYPE', `feed '${sp.name}' is ${t.type}, the model expects ${sp.dtype}`, { tensor: sp.name });
      if (sp.dims) {
        const bad = t.dims.length !== sp.dims.length || sp.dims.some((d, i) => typeof d === 'number' && d !== t.dims[i]);
        if (bad) throw new QtkError('E_SHAPE', `feed '${sp.name}' has dims [${t.dims.join(',')}], the model expects [${sp.dims.map((d) => d ?? '?').join(',')}]`, { tensor: sp.name });
      }
      if (sizeOf(t.dims) !== t.data.length) throw new QtkError('E_SHAPE', `feed '${sp.name}' has ${t.data.length} elements for dims [${t.dims.join(',')}]`, { tensor: sp.name });
      shapes.set(sp.name, { dtype: sp.dtype, dims: t.dims });
    }
    for (const name of Object.keys(feeds)) {
      if (!this.specs.some((s) => s.name === name)) throw new QtkError('E_SHAPE', `feed '${name}' is not an input of the model (inputs: ${this.inputNames.join(', ')})`, { tensor: name });
    }
    const plan = this.planFor(shapes, feeds);
    const mem = this.state.kernels.memory;
    for (const [name, v] of plan.inputs) {
      const t = feeds[name]!;
      const src = t.data as ArrayBufferView;
      new Uint8Array(mem.buffer, v.off, v.bytes).set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength));
    }
    for (const s of plan.steps) runStep(s);
    const out: ReturnType = {};
    plan.outputs.forEach((v, i) => {
      const data = v.data ? v.data.slice() : viewArr(v.dtype, mem.buffer, v.off, v.size).slice();
      out[this.outputNames[i]!] = new Tensor(v.dtype as TensorType, data as never, [...v.dims]);
    });
    return out;
  }

  /**
   * Runs the model once more with a timer around each node's step (for benchmarks);
   * returns milliseconds per node in execution order.
   */
  profile(feeds: FeedsType, now: () => number = () => performance.now()): { node: string; op: string; ms: number }[] {
    this.runSync(feeds);
    const plan = this.planFor(new Map(this.specs.map((s) => [s.name, { dtype: s.dtype, dims: feeds[s.name]!.dims }])), feeds);
    return plan.steps.map((s) => {
      const t0 = now();
      runStep(s);
      return { node: s.node, op: s.op, ms: now() - t0 };
    });
  }

  /**
   * Memory in use: WebAssembly memory size, the session's kernel-memory allocations split into
   * constants and plan arenas, the initializer bytes kept in JS, and the two largest runtime
   * tensors. Plans are made at create (static inputs) or at the first run of each shape.
   */
  memory(): SessionMemory {
    const arenas = [...this.plans.values()].map((p) => p.arenaBytes);
    const heap = this.state.heap.mark() - this.heapBase;
    let initializers = 0;
    for (const t of this.graph.initializers.values()) initializers += (t.data as ArrayBufferView).byteLength;
    const sizes = new Set<Val>();
    for (const p of this.plans.values()) {
      for (const v of p.inputs.values()) sizes.add(v);
      for (const st of p.steps) for (const v of st.writes) if (!v.isConst) sizes.add(v);
    }
    const top = [...sizes].map((v) => v.bytes).sort((a, b) => b - a);
    return {
      wasmMemory: this.state.kernels.memory.buffer.byteLength,
      heap,
      arenas,
      constants: heap - arenas.reduce((a, b) => a + b, 0),
      initializers,
      droppedInitializers: this.droppedBytes,
      largestActivations: [top[0] ?? 0, top[1] ?? 0],
      activations: top.reduce((a, b) => a + b, 0),
    };
  }

  /**
   * Drops the plans and their memory; the session stays usable (plans are rebuilt on the next
   * run). A session that dropped packed initializers from JS keeps their kernel-memory copies.
   * A session with a worker pool stops its workers: later runs use the calling thread alone.
   */
  async release(): Promise<void> {
    this.resetPlans();
    const pool = this.pool;
    if (pool) {
      this.pool = undefined;
      poolReaper?.unregister(this);
      detachPool(this.state.kernels);
      await pool.terminate();
    }
  }
}
