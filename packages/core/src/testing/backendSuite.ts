/**
 * `describeBackend(backend, executor, options)`: what a backend package runs. It checks
 * the plugin itself (a well-formed backend, deterministic placement) and registers the
 * pipeline suites and the backend's own suites (its writers, its dialect) for one executor.
 */
import { expect } from 'vitest';
import type { BackendPlugin } from '../backend/backend.js';
import { checkBackend } from '../backend/resolveBackend.js';
import type { Executor } from '../exec/executor.js';
import { annotateGraph } from '../annotate/annotate.js';
import type { Annotation } from '../annotate/annotation.js';
import { PER_TENSOR, quantSpec } from '../spec/quantSpec.js';
import type { Model } from '../ir/graph.js';
import type { SuiteContext } from './context.js';
import { loadDigits } from './digits.js';
import { pipelineSuites, registerSuites, type PipelineSuite, type PipelineSuiteOptions } from './pipeline.js';

/** Options of `describeBackend`: those of `describePipeline` without the backend, plus the backend's own suites. */
export interface BackendSuiteOptions extends Omit<PipelineSuiteOptions, 'backend'> {
  /** The backend's own template suites by id (e.g. its format writers), registered after the pipeline suites. */
  backendSuites?: Readonly<Record<string, PipelineSuite>>;
}

/**
 * Registers the backend checks, the pipeline suites and `options.backendSuites` for `backend` on `executor`.
 * Example: `describeBackend(myBackend, myExecutor, { fixtures: nodePipelineFixtures() })`.
 */
export function describeBackend(backend: BackendPlugin, executor: Executor, options: BackendSuiteOptions): void {
  const suites: Array<[string, PipelineSuite]> = [['backend', backendChecks], ...pipelineSuites(options.suites), ...Object.entries(options.backendSuites ?? {})];
  registerSuites(`backend '${backend.name}' on ${executor.name}`, executor, { ...options, backend }, suites);
}

/** Annotation of `model` by the backend's policy (uint8 activations, int8 per-channel weights), as comparable data. */
function placement(backend: BackendPlugin, model: Model): unknown {
  const spec = (dtype: 'uint8' | 'int8', symmetric: boolean) => quantSpec({ dtype, symmetric, granularity: PER_TENSOR, observer: { kind: 'minmax' } });
  const ann: Annotation = annotateGraph(model.graph, { policy: backend.policy, activationSpec: spec('uint8', false), weightSpec: spec('int8', true), perChannel: true });
  return {
    tensors: [...ann.tensors].map(([name, role]) => [name, JSON.stringify(role)]),
    quantized: [...ann.quantized].map((n) => n.name),
    fused: [...ann.fused].map((n) => n.name),
    float: ann.float,
  };
}

/** The checks every backend passes, whatever the executor. */
function backendChecks(s: SuiteContext): void {
  s.it('is a well-formed backend plugin (checkBackend accepts it)', () => {
    expect(checkBackend(s.backend)).toBe(s.backend);
    expect(s.backend.policy.opTypes.length).toBeGreaterThan(0);
  });

  s.it('places quantization deterministically: annotating the digits CNN twice gives the same placement', async () => {
    const { model } = await loadDigits(s.fixtures);
    const first = placement(s.backend, model);
    expect(placement(s.backend, model)).toEqual(first);
    expect((first as { quantized: string[] }).quantized.length).toBeGreaterThan(0);
  });
}
