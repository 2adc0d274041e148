/**
 * `qtk inspect IN.onnx [--json]`: what a model takes and gives, which ops it uses and
 * how big its parameters are.
 */
import { promises as fs } from 'node:fs';
import { QtkError, byteLengthOf, subgraphsOf, validateModel, type Dim, type Graph, type Model, type ValueInfo } from '@qtk/core';
import { formatBytes } from '@qtk/core/internal';
import { loadModelFile } from '@qtk/core/node';
import type { CommandSpec } from '../args.js';
import { println, type Command } from '../command.js';

/** A graph input or output as shown: dims are numbers, symbolic names, or null (unknown). */
export interface IoSummary {
  name: string;
  dtype: string;
  shape: Dim[] | null;
}

/** Everything `qtk inspect` reports about a model (the `--json` output). */
export interface ModelSummary {
  file?: string;
  fileBytes?: number;
  irVersion: number;
  producer?: string;
  /** Opset by domain; `''` (ai.onnx) is shown as `ai.onnx`. */
  opsets: Record<string, number>;
  inputs: IoSummary[];
  outputs: IoSummary[];
  /** Op type (prefixed by its domain when not ai.onnx) → count, most frequent first. */
  opCounts: Record<string, number>;
  /** Nodes of the main graph. */
  nodes: number;
  /** Nodes inside subgraphs (If/Loop/Scan bodies). */
  subgraphNodes: number;
  initializers: number;
  /** Elements over all initializers. */
  parameters: number;
  /** Bytes of initializer storage. */
  parameterBytes: number;
}

/** Summarises a model; graph inputs that are initializers are not listed as inputs. */
export function summarizeModel(model: Model): ModelSummary {
  const g = model.graph;
  const opCounts = new Map<string, number>();
  for (const n of g.nodes) {
    const key = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}:${n.opType}` : n.opType;
    opCounts.set(key, (opCounts.get(key) ?? 0) + 1);
  }
  let parameters = 0;
  let parameterBytes = 0;
  for (const t of g.initializers.values()) {
    parameters += t.size;
    parameterBytes += Array.isArray(t.data) ? t.data.reduce((a, s) => a + s.byteLength, 0) : byteLengthOf(t.dtype, t.size);
  }
  const sorted = [...opCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return {
    irVersion: model.irVersion,
    producer: model.producerName ? `${model.producerName}${model.producerVersion ? ` ${model.producerVersion}` : ''}` : undefined,
    opsets: Object.fromEntries([...model.opsetImports].map(([d, v]) => [d === '' ? 'ai.onnx' : d, v])),
    inputs: g.inputs.filter((v) => !g.initializers.has(v.name)).map(ioSummary),
    outputs: g.outputs.map(ioSummary),
    opCounts: Object.fromEntries(sorted),
    nodes: g.nodes.length,
    subgraphNodes: g.nodes.flatMap(subgraphsOf).reduce((a, sg) => a + countNodes(sg), 0),
    initializers: g.initializers.size,
    parameters,
    parameterBytes,
  };
}

function countNodes(g: Graph): number {
  return g.nodes.length + g.nodes.flatMap(subgraphsOf).reduce((a, sg) => a + countNodes(sg), 0);
}

function ioSummary(v: ValueInfo): IoSummary {
  if (v.type?.kind !== 'tensor') return { name: v.name, dtype: v.type ? 'non-tensor' : 'unknown', shape: null };
  return { name: v.name, dtype: v.type.dtype, shape: v.type.shape ?? null };
}

/** `[N,1,8,8]`, with `?` for an unknown dim; `(unknown rank)` without a shape. */
export function formatShape(shape: Dim[] | null): string {
  return shape ? `[${shape.map((d) => (d === null ? '?' : String(d))).join(',')}]` : '(unknown rank)';
}

/** Bytes as a short human string (`1.5 KiB`); core's `formatBytes`. */
export { formatBytes };

/** The text report of `qtk inspect`. */
export function formatSummary(s: ModelSummary): string {
  const lines: string[] = [];
  if (s.file) lines.push(`model: ${s.file}${s.fileBytes !== undefined ? ` (${s.fileBytes} bytes, ${formatBytes(s.fileBytes)})` : ''}`);
  lines.push(`ir_version: ${s.irVersion}${s.producer ? `, producer: ${s.producer}` : ''}`);
  lines.push(`opsets: ${Object.entries(s.opsets).map(([d, v]) => `${d} ${v}`).join(', ')}`);
  const io = (title: string, list: IoSummary[]) => {
    lines.push(`${title}:`);
    const w = Math.max(0, ...list.map((v) => v.name.length));
    for (const v of list) lines.push(`  ${v.name.padEnd(w)}  ${v.dtype} ${formatShape(v.shape)}`);
  };
  io('inputs', s.inputs);
  io('outputs', s.outputs);
  lines.push(`nodes: ${s.nodes}${s.subgraphNodes ? ` (+${s.subgraphNodes} in subgraphs)` : ''}`);
  lines.push('ops:');
  const w = Math.max(0, ...Object.keys(s.opCounts).map((k) => k.length));
  for (const [op, n] of Object.entries(s.opCounts)) lines.push(`  ${op.padEnd(w)}  ${n}`);
  lines.push(`initializers: ${s.initializers}`);
  lines.push(`parameters: ${s.parameters} (${s.parameterBytes} bytes, ${formatBytes(s.parameterBytes)})`);
  return lines.join('\n') + '\n';
}

const spec: CommandSpec = {
  name: 'inspect',
  summary: 'Show a model\'s inputs and outputs (dtypes, shapes; symbolic dims by name), opset imports, op counts by type, node and initializer counts, and parameter count and bytes.',
  usage: 'inspect IN.onnx [--json]',
  options: {
    json: { type: 'boolean', help: 'print the summary as JSON' },
  },
};

/** The `inspect` command. */
export const inspectCommand: Command = {
  ...spec,
  async run(args, io) {
    const [file, ...extra] = args.positionals;
    if (!file) throw new QtkError('E_OPTION', "inspect needs a model file: qtk inspect IN.onnx (see 'qtk inspect --help')");
    if (extra.length) throw new QtkError('E_OPTION', `inspect takes one model file; also got ${extra.map((x) => `'${x}'`).join(', ')}`);
    const model = await loadModelFile(file);
    validateModel(model);
    const summary: ModelSummary = { file, fileBytes: (await fs.stat(file)).size, ...summarizeModel(model) };
    if (args.values.json) println(io.stdout, JSON.stringify(summary, null, 2));
    else io.stdout.write(formatSummary(summary));
    return 0;
  },
};
