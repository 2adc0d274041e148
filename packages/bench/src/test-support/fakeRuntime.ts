/**
 * A scripted runtime for harness tests: sessions advance a virtual clock by a fixed cost
 * per run (so latencies are exact and nothing depends on real time), log the order of
 * runs, compute `y = Relu(x · W)` in plain JavaScript for the tiny test model, and fail on
 * request at load, session creation or the n-th run.
 */
import { PLUGIN_API_VERSION, QtkError, Tensor, type Executor, type Model } from '@qtk/core';
import type { RuntimePlugin } from '../runtime.js';

/** A virtual milliseconds clock. */
export class VirtualClock {
  t = 0;
  readonly now = (): number => this.t;
}

/** What a fake runtime does. */
export interface FakeRuntimeOptions {
  name: string;
  clock: VirtualClock;
  /** Milliseconds a run costs: by whether the model holds quantized nodes. */
  floatMs?: number;
  quantMs?: number;
  /** Throw this from `load()`. */
  loadError?: string;
  /** Throw from createSession for quantized models. */
  failQuantSessions?: string;
  /** Throw on this run (1-based) of quantized sessions, counting every run. */
  failQuantRunAt?: number;
  /** Every run, in order: 'f' for float sessions, 'q' for quantized ones. */
  log?: string[];
}

function isQuantized(model: Model): boolean {
  return model.graph.nodes.some((n) => /Quantize|Integer|QLinear/.test(n.opType));
}

/** `x · W` then Relu, with W taken from the float model or dequantized from nothing (zeros). */
function forward(model: Model, x: Tensor): Tensor {
  const w = model.graph.initializers.get('w');
  const k = x.dims[1]!;
  const n = x.dims[0]!;
  const m = model.graph.outputs[0]!.type?.kind === 'tensor' ? Number(model.graph.outputs[0]!.type.shape?.[1] ?? 8) : 8;
  const out = new Float32Array(n * m);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < m; j++) {
      let acc = 0;
      for (let i = 0; i < k; i++) acc += x.get(r * k + i) * (w ? w.get(i * m + j) : 0.5);
      out[r * m + j] = Math.max(0, acc);
    }
  }
  return new Tensor('float32', out, [n, m]);
}

/** A runtime plugin whose sessions cost virtual time and can be told to fail. */
export function fakeRuntime(o: FakeRuntimeOptions): RuntimePlugin {
  let quantRuns = 0;
  const executor: Executor = {
    name: o.name,
    async createSession(model) {
      const quant = isQuantized(model);
      if (quant && o.failQuantSessions) throw new QtkError('E_EXECUTOR', o.failQuantSessions);
      return {
        inputNames: ['x'],
        outputNames: ['y'],
        async run(feeds) {
          o.log?.push(quant ? 'q' : 'f');
          if (quant && ++quantRuns === o.failQuantRunAt) throw new QtkError('E_EXECUTOR', `scripted failure at quantized run ${quantRuns}`);
          o.clock.t += quant ? o.quantMs ?? 4 : o.floatMs ?? 10;
          return { y: forward(model, feeds.x!) };
        },
        async release() {},
      };
    },
  };
  return {
    name: o.name,
    kind: 'runtime',
    apiVersion: PLUGIN_API_VERSION,
    settings: { threads: 1 },
    async load() {
      if (o.loadError) throw new QtkError('E_PLUGIN', o.loadError);
      return executor;
    },
    async version() {
      return '9.9.9';
    },
  };
}
