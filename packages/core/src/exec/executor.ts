/**
 * The executor contract: run a model on feeds and return requested tensors, graph
 * outputs or intermediate values alike. Backends (onnxruntime-node, onnxruntime-web,
 * the wasm engine) implement it; calibration and quality reports use it.
 */
import type { Plugin } from '../registry/registry.js';
import type { Model } from '../ir/graph.js';
import type { Tensor } from '../ir/tensor.js';

/** Options for a session. */
export interface SessionOptions {
  /** Intermediate values to make fetchable besides the graph outputs. */
  extraOutputs?: readonly string[];
  /** Intra-op threads (runtime default when omitted). */
  threads?: number;
  /**
   * Whether idle intra-op threads busy-wait for the next op or run (runtime default
   * when omitted). Calibration turns it off: between its runs the observers need the
   * CPU that spinning threads would hold.
   */
  spinning?: boolean;
  /**
   * Prefer low memory to speed: the runtime returns buffers it no longer needs instead
   * of keeping them pooled for later runs (onnxruntime: no CPU arena, no memory
   * pattern). Calibration sets it, so its peak memory stays near one run's activations.
   */
  lowMemory?: boolean;
}

/** A model loaded into a runtime. */
export interface ExecutorSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs once; returns the `fetches` (default: the graph outputs) by name. */
  run(feeds: Readonly<Record<string, Tensor>>, fetches?: readonly string[]): Promise<Record<string, Tensor>>;
  /** Frees the runtime's resources. */
  release(): Promise<void>;
}

/** A runtime that can create sessions. */
export interface Executor {
  readonly name: string;
  createSession(model: Model, options?: SessionOptions): Promise<ExecutorSession>;
}

/** An executor as a registry plugin. */
export interface ExecutorPlugin extends Plugin<'executor'>, Executor {
  /** Whether this runtime can load here (binary present, platform supported). */
  available?: () => Promise<boolean> | boolean;
}
