/**
 * The weight-only writer interface: a runtime's own node forms for weight-only mode (for
 * example a fused n-bit MatMul). The conversion asks the writer first for each eligible node;
 * a node the writer declines (or every node, without a writer) gets the standard form, a
 * blocked DequantizeLinear in front of the op.
 */
import type { Attribute, Graph, Model, Node } from '../../ir/graph.js';
import type { GraphScope, ScopedConstant } from '../../ir/scopes.js';
import type { GraphEditor } from '../graphEditor.js';
import type { WeightOnlyOptions } from './types.js';

/** Where a node keeps its weight, and the axes blocks and channels run along. */
export interface WeightSite {
  /** Input index of the weight. */
  input: number;
  /** Reduction axis (blocks run along it). */
  blockAxis: number;
  /** Output-channel axis (log2 scales vary along it). */
  channelAxis: number;
  /** The float weight and the scope whose initializer it is. */
  weight: ScopedConstant;
}

/** Initializer names and attributes of a packed weight, shared by every node that reads it. */
export interface PackedWeight {
  names: string[];
  attributes: Attribute[];
}

/** What a weight-only writer sees while it rewrites one node. */
export interface WeightOnlyWriteContext {
  readonly model: Model;
  readonly options: WeightOnlyOptions;
  /** Code width of `options.weightType`. */
  readonly bits: 4 | 8;
  /** The scope (graph) holding the node. */
  readonly scope: GraphScope;
  /** The editor of any graph of the model (new names never collide across graphs). */
  editorOf(graph: Graph): GraphEditor;
  /** Packs once per `key` (include the owner scope's path and the weight name): readers of one weight share it. */
  pack(key: string, make: () => PackedWeight): PackedWeight;
}

/** A runtime's node forms for weight-only mode. */
export interface WeightOnlyWriter {
  /** Short name shown in reports. */
  readonly name: string;
  /**
   * Writes `node` (uniform scheme) in the runtime's form, placing the new node after it, and
   * returns true; returns false, having changed nothing, to leave the node to the standard form.
   */
  writeNode(node: Node, site: WeightSite, ctx: WeightOnlyWriteContext): boolean;
}
