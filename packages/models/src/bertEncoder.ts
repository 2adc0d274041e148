/**
 * A small BERT encoder as HuggingFace's BertModel exports at opset 17, with seeded random
 * weights. Inputs 'input_ids' and 'attention_mask' int64 [N,S]; output
 * 'last_hidden_state' float32 [N,S,hidden]. Batch and sequence length are dynamic.
 */
import { Tensor, type Model } from '@qtk/core';
import { GraphBuilder } from './builder.js';

/** Options of `buildBertEncoder`. */
export interface BertEncoderOptions {
  /** PRNG seed of the weights (default 0). */
  seed?: number;
  /** Encoder layers (default 2). */
  layers?: number;
  /** Hidden size (default 256). */
  hidden?: number;
  /** Attention heads; must divide `hidden` (default 4). */
  heads?: number;
  /** FFN inner size (default 1024). */
  intermediate?: number;
  /** Sequence dimension: a size or a symbolic name (default 'S'). */
  seqLen?: number | string;
  /** Batch dimension: a size or a symbolic name (default 'N'). */
  batch?: number | string;
  /** Vocabulary size (default 1000). */
  vocab?: number;
  /** Rows of the position embedding table, the longest sequence (default 512). */
  maxPosition?: number;
  /**
   * Hidden channels whose LayerNorm weight and bias are multiplied by `outlierScale` in every
   * LayerNorm that feeds a MatMul (all but the last): the activation outlier channels of
   * trained transformers. Channels `floor((i + 0.5) · hidden / outlierChannels)`; default 0.
   * The random draws do not change, so the other weights are those of the same seed without outliers.
   */
  outlierChannels?: number;
  /** Factor of the outlier channels (default 50). */
  outlierScale?: number;
}

/**
 * Builds the encoder: word + position embeddings, LayerNorm, then per layer multi-head
 * self-attention (mask bias (1 − mask)·−10000), residual + LayerNorm, FFN with erf Gelu,
 * residual + LayerNorm. Linear weights are stored [in, out] for MatMul.
 * Example: `buildBertEncoder({ layers: 1, seqLen: 16 })` has 1 Softmax and 3 LayerNormalization.
 */
export function buildBertEncoder(opts: BertEncoderOptions = {}): Model {
  const seed = opts.seed ?? 0;
  const layers = opts.layers ?? 2;
  const hidden = opts.hidden ?? 256;
  const heads = opts.heads ?? 4;
  const inter = opts.intermediate ?? 1024;
  const seq = opts.seqLen ?? 'S';
  const batch = opts.batch ?? 'N';
  const vocab = opts.vocab ?? 1000;
  const maxPos = opts.maxPosition ?? 512;
  if (hidden % heads !== 0) throw new Error(`hidden ${hidden} is not a multiple of heads ${heads}`);
  const headDim = hidden / heads;
  const b = new GraphBuilder('main_graph', seed);
  const rng = b.rng;
  const outliers = outlierChannelsOf(hidden, opts.outlierChannels ?? 0, opts.outlierScale ?? 50);

  const ids = b.input('input_ids', 'int64', [batch, seq]);
  const mask = b.input('attention_mask', 'int64', [batch, seq]);

  // embeddings: Gather rows; position ids are a [1, maxPos] buffer sliced to the input's length
  const wordEmb = b.initializer('embeddings.word_embeddings.weight', Tensor.fromFloat32(rng.normalArray(vocab * hidden, 0, 0.5), [vocab, hidden]));
  const posEmb = b.initializer('embeddings.position_embeddings.weight', Tensor.fromFloat32(rng.normalArray(maxPos * hidden, 0, 0.5), [maxPos, hidden]));
  const posIds = b.initializer('embeddings.position_ids', Tensor.int64(Array.from({ length: maxPos }, (_, i) => i), [1, maxPos]));
  const words = b.op('Gather', [wordEmb, ids], { name: '/embeddings/word_embeddings/Gather' });
  const shape = b.op('Shape', [ids], { name: '/embeddings/Shape' });
  const seqEnd = b.op('Slice', [shape, b.initializer('const_starts_1', Tensor.int64([1])), b.initializer('const_ends_2', Tensor.int64([2]))], { name: '/embeddings/Slice' });
  const positionIds = b.op('Slice', [posIds, b.initializer('const_starts_0', Tensor.int64([0])), seqEnd, b.initializer('const_axes_1', Tensor.int64([1]))], { name: '/embeddings/Slice_1' });
  const positions = b.op('Gather', [posEmb, positionIds], { name: '/embeddings/position_embeddings/Gather' });
  const emb = b.op('Add', [words, positions], { name: '/embeddings/Add' });
  let x = layerNorm(b, emb, '/embeddings/LayerNorm', 'embeddings.LayerNorm', hidden, undefined, outliers);

  // mask bias [N,1,1,S]: (1 − float(mask)) · −10000, computed once for all layers
  const maskF = b.op('Cast', [mask], { name: '/Cast', attrs: { to: 1 } });
  const inverted = b.op('Sub', [b.scalar(1), maskF], { name: '/Sub' });
  const bias = b.op('Mul', [inverted, b.scalar(-10000)], { name: '/Mul' });
  const maskBias = b.op('Unsqueeze', [bias, b.initializer('const_axes_1_2', Tensor.int64([1, 2]))], { name: '/Unsqueeze' });

  const splitShape = b.initializer('const_shape_split_heads', Tensor.int64([0, -1, heads, headDim]));
  const mergeShape = b.initializer('const_shape_merge_heads', Tensor.int64([0, -1, hidden]));
  const scale = b.scalar(Math.sqrt(headDim));

  for (let l = 0; l < layers; l++) {
    const path = `/encoder/layer.${l}`;
    const param = `encoder.layer.${l}`;
    const heads4 = (name: string, perm: number[]): string => {
      const y = b.matmulAdd(x, `${path}/attention/self/${name}`, `${param}.attention.self.${name}`, hidden, hidden);
      const r = b.op('Reshape', [y, splitShape], { name: `${path}/attention/self/Reshape` });
      return b.op('Transpose', [r], { name: `${path}/attention/self/Transpose`, attrs: { perm } });
    };
    const q = heads4('query', [0, 2, 1, 3]); // [N,h,S,d]
    const k = heads4('key', [0, 2, 3, 1]); // [N,h,d,S]
    const v = heads4('value', [0, 2, 1, 3]); // [N,h,S,d]
    const scores = b.op('MatMul', [q, k], { name: `${path}/attention/self/MatMul` });
    const scaled = b.op('Div', [scores, scale], { name: `${path}/attention/self/Div` });
    const masked = b.op('Add', [scaled, maskBias], { name: `${path}/attention/self/Add` });
    const probs = b.op('Softmax', [masked], { name: `${path}/attention/self/Softmax`, attrs: { axis: -1 } });
    const ctx = b.op('MatMul', [probs, v], { name: `${path}/attention/self/MatMul` });
    const ctxT = b.op('Transpose', [ctx], { name: `${path}/attention/self/Transpose`, attrs: { perm: [0, 2, 1, 3] } });
    const ctxM = b.op('Reshape', [ctxT, mergeShape], { name: `${path}/attention/self/Reshape` });
    const attnOut = b.matmulAdd(ctxM, `${path}/attention/output/dense`, `${param}.attention.output.dense`, hidden, hidden);
    const res1 = b.op('Add', [attnOut, x], { name: `${path}/attention/output/Add` });
    const h1 = layerNorm(b, res1, `${path}/attention/output/LayerNorm`, `${param}.attention.output.LayerNorm`, hidden, undefined, outliers);

    const up = b.matmulAdd(h1, `${path}/intermediate/dense`, `${param}.intermediate.dense`, hidden, inter, Math.SQRT2);
    const act = gelu(b, up, `${path}/intermediate/intermediate_act_fn`);
    const down = b.matmulAdd(act, `${path}/output/dense`, `${param}.output.dense`, inter, hidden);
    const res2 = b.op('Add', [down, h1], { name: `${path}/output/Add` });
    const last = l === layers - 1;
    x = layerNorm(b, res2, `${path}/output/LayerNorm`, `${param}.output.LayerNorm`, hidden, last ? 'last_hidden_state' : undefined, last ? undefined : outliers);
  }
  if (layers === 0) x = b.op('Identity', [x], { name: '/Identity', outputs: ['last_hidden_state'] });
  b.output('last_hidden_state', 'float32', [batch, seq, hidden]);
  return b.model(17);
}

/** Outlier channels and their factor; undefined when there are none. */
interface Outliers {
  channels: number[];
  scale: number;
}

/** `count` channels spread evenly over `hidden` (none when count is 0); count must be in [0, hidden]. */
function outlierChannelsOf(hidden: number, count: number, scale: number): Outliers | undefined {
  if (!Number.isInteger(count) || count < 0 || count > hidden) throw new Error(`outlierChannels ${count} must be an integer in [0, ${hidden}]`);
  if (count === 0) return undefined;
  return { channels: Array.from({ length: count }, (_, i) => Math.floor(((i + 0.5) * hidden) / count)), scale };
}

/** `values` with the outlier channels multiplied by their factor (in place). */
function scaleOutliers(values: Float32Array, outliers: Outliers | undefined): Float32Array {
  for (const c of outliers?.channels ?? []) values[c] = values[c]! * outliers!.scale;
  return values;
}

/**
 * LayerNormalization over the last axis, eps 1e-12, weight ~ N(1, 0.05²), bias ~ N(0, 0.02²);
 * the outlier channels' weight and bias scaled by their factor.
 */
function layerNorm(b: GraphBuilder, x: string, path: string, param: string, hidden: number, output?: string, outliers?: Outliers): string {
  const w = b.initializer(`${param}.weight`, Tensor.fromFloat32(scaleOutliers(b.rng.normalArray(hidden, 1, 0.05), outliers), [hidden]));
  const bias = b.initializer(`${param}.bias`, Tensor.fromFloat32(scaleOutliers(b.rng.normalArray(hidden, 0, 0.02), outliers), [hidden]));
  return b.op('LayerNormalization', [x, w, bias], {
    name: `${path}/LayerNormalization`,
    attrs: { axis: -1, epsilon: { kind: 'float', value: 1e-12 } },
    outputs: output ? [output] : 1,
  });
}

/** Exact Gelu as exported from torch: x · 0.5 · (1 + erf(x / √2)), nodes Div, Erf, Add, Mul, Mul_1. */
function gelu(b: GraphBuilder, x: string, path: string): string {
  const d = b.op('Div', [x, b.scalar(Math.fround(Math.SQRT2))], { name: `${path}/Div` });
  const e = b.op('Erf', [d], { name: `${path}/Erf` });
  const a = b.op('Add', [e, b.scalar(1)], { name: `${path}/Add` });
  const m = b.op('Mul', [x, a], { name: `${path}/Mul` });
  return b.op('Mul', [m, b.scalar(0.5)], { name: `${path}/Mul` });
}
