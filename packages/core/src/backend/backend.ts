/**
 * The backend plugin contract: what a target runtime tells the pipeline. A backend only
 * places quantization (which tensors of which nodes, with which role), picks default
 * options, may prepare the float graph, gives the writers of its formats and checks the
 * result; core does calibration and conversion for every backend alike.
 *
 * Example (a policy that quantizes Conv inputs only, weights per output channel):
 *   const convInputs: BackendPlugin = {
 *     name: 'conv-inputs', kind: 'backend', apiVersion: PLUGIN_API_VERSION, description: 'Conv inputs only',
 *     policy: policyFromHandlers([{ opTypes: ['Conv'], annotate(n, ctx) { ctx.markActivation(n.inputs[0]!); ctx.markWeight(n.inputs[1]!, 0); } }]),
 *     defaults: { activationType: 'int8', symmetricActivations: true },
 *   };
 */
import type { Graph, Model, Node } from '../ir/graph.js';
import type { GraphIndex } from '../ir/graphIndex.js';
import type { QuantSpec } from '../spec/quantSpec.js';
import type { Plugin } from '../registry/registry.js';
import type { AnnotateContext } from '../annotate/annotation.js';
import type { OptionFields, QuantizeContext, QuantizeOptions, QuantizeReport } from '../pipeline/types.js';
import type { QuantWriters } from '../convert/writers.js';
import type { BackendOptionSpec } from './optionSpec.js';

/**
 * Where a backend quantizes: for each node of a type in `opTypes`, a role per input and
 * output tensor it quantizes, or none with the reason. The roles are those of
 * `AnnotateContext`: `markActivation` (calibrated range), `markShared` (reuses a source
 * tensor's scale and zero point), `markWeight` (a constant, per channel along an axis or per
 * tensor) and `markBias` (int32, scale of input times weight). A tensor left unmarked stays float.
 */
export interface PlacementPolicy<B extends object = {}> {
  /** Op types (default ONNX domain) the policy may quantize in static mode; other nodes stay float. */
  readonly opTypes: readonly string[];
  /**
   * Marks the tensors of `node` through `ctx`; returns why the node stays float, or nothing
   * when it is quantized. `ctx.backendOptions` holds the user's options of the backend.
   */
  place(node: Node, ctx: AnnotateContext<B>): string | void;
}

/** The options a backend chooses when the user leaves them unset (e.g. uint8 activations, int8 weights). */
export type BackendDefaults = Readonly<
  Partial<Pick<OptionFields, 'activationType' | 'weightType' | 'perChannel' | 'symmetricActivations' | 'narrowRangeActivations' | 'symmetricWeights' | 'reduceRange' | 'method' | 'format'>>
>;

/** What graph preparation may read: the static specs, the user's node selection and the backend's own options `B`. */
export interface PrepareContext<B extends object = {}> {
  readonly activationSpec: QuantSpec;
  readonly weightSpec: QuantSpec;
  /** True when the user keeps `node` float (`exclude`) or did not select its op type (`opTypes`). */
  isSkipped(node: Node): boolean;
  /** The user's `backendOptions` as given (typed `B` for callers; the backend checks them at run time), or undefined. */
  readonly backendOptions?: B;
}

/**
 * A rewrite of the float graph before calibration, for the backend's kernels (say, widening
 * Conv inputs to a channel multiple). It runs once; its added nodes are recognised again on
 * every copy that is annotated, so that they are neither quantized nor reported.
 */
export interface GraphPreparation<B extends object = {}> {
  /** Rewrites `graph` in place; the result must compute the same values. */
  apply(graph: Graph, ctx: PrepareContext<B>): void;
  /** Nodes `apply` added that belong to another node (found by their structure, in any copy of the graph). */
  addedNodes?(graph: Graph, index: GraphIndex): ReadonlySet<Node>;
}

/** Something in a quantized model the backend cannot run, and where. */
export interface BackendProblem {
  message: string;
  node?: string;
  tensor?: string;
}

/**
 * What a backend's own `quantize` gives: the model and report, and outputs besides the
 * model (a calibration cache, say) keyed by the option field ('write' file) that says where
 * a front end writes each.
 */
export interface BackendQuantizeResult {
  /** The quantized model. */
  model: Model;
  /** Core's report of the run. */
  report: QuantizeReport;
  /** Outputs besides the model, by the option field that names where each goes. */
  outputs?: Readonly<Record<string, string | Uint8Array>>;
  /** Lines a front end adds to its summary: what the backend's own flow did (`float metric 0.97, ...`). */
  summary?: readonly string[];
}

/**
 * A backend plugin: registry kind 'backend'; a package default-exports one such object.
 * `B` is the type of the backend's own options: `quantizeModel(model, { backendOptions }, {
 * backend })` then checks `backendOptions` against it at compile time.
 */
export interface BackendPlugin<B extends object = {}> extends Plugin<'backend'> {
  readonly description: string;
  /** Where static quantization puts Q/DQ. */
  readonly policy: PlacementPolicy<B>;
  /** Option defaults of this backend (core fills in the rest). */
  readonly defaults?: BackendDefaults;
  /**
   * Option defaults that depend on the backend's own options (say, symmetric activations
   * for one preset, asymmetric for another); when given, core uses them in place of
   * `defaults`. Gets the user's `backendOptions` as given, or undefined.
   */
  defaultsFor?(backendOptions: B | undefined): BackendDefaults;
  /** Optional rewrite of the float graph before static annotation. */
  readonly prepare?: GraphPreparation<B>;
  /**
   * How the backend's models are written: its Q/DQ dialect, writers of formats besides 'qdq'
   * (`options.format` must be 'qdq' or one of theirs), weight-only and dynamic node forms.
   * Core's standard writers fill every field left out.
   */
  readonly writers?: QuantWriters;
  /** Problems the backend sees in a quantized model (empty when it can run it). */
  validate?(model: Model): readonly BackendProblem[];
  /** The backend's own options as a front end shows and checks them (a command line's flags). */
  readonly optionSpec?: BackendOptionSpec<B>;
  /**
   * The backend's own quantization flow, for backends that need more than core's pipeline
   * (ranges read from a file, a weight format of their own, outputs besides the model). A
   * front end calls it in place of `quantizeModel` when present; it never changes `model`.
   */
  quantize?(model: Model, options: QuantizeOptions<B>, ctx: QuantizeContext): Promise<BackendQuantizeResult>;
}
