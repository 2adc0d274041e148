/**
 * NNCF's ignored scope: each way of naming nodes keeps them float in placement, an entry
 * matching nothing is an error naming it (unless validate is false), and the scope given as
 * `backendOptions.ignoredScope` reaches placement in `quantizeModel`.
 */
import { describe, expect, it } from 'vitest';
import { GraphIndex, isQtkError, quantizeModel, type Graph } from '@qtk/core';
import { randomTensor } from '@qtk/core/testing';
import { buildResNet18 } from '@qtk/models';
import { ortNode } from '@qtk/onnxruntime/node';
import { openvinoBackend } from '../backend.js';
import { HARDWARE_CONFIGS } from '../hwConfig/hwOps.js';
import { placeQuantizers, type Placement } from '../policy/quantizerPlacement.js';
import { ignoredNodes, type IgnoredScope } from './ignoredScope.js';

/** One ResNet18 for the placement tests (placement and scope matching only read it). */
const RESNET = buildResNet18({ batch: 1, imageSize: 64 }).graph;
const graph = (): Graph => RESNET;

function place(g: Graph, scope?: IgnoredScope): Placement {
  return placeQuantizers(g, new GraphIndex(g), { hardware: HARDWARE_CONFIGS.CPU, ignored: ignoredNodes(g, scope), dtypeOf: () => undefined });
}

/** Names of the nodes whose inputs or weights a quantizer serves. */
function servedNodes(p: Placement): Set<string> {
  return new Set([...p.activations.flatMap((q) => q.sinks.map((n) => n.name)), ...p.weights.map((w) => w.node.name)]);
}

/** The message of the E_OPTION error `fn` throws. */
function optionError(fn: () => unknown): string {
  try { fn(); } catch (e) { if (isQtkError(e, 'E_OPTION')) return e.message; throw e; }
  throw new Error('expected an E_OPTION error');
}

describe('ignoredScope (NNCF IgnoredScope)', () => {
  it('names: the named Gemm keeps its weight float and the quantizer before it goes', () => {
    const base = place(graph());
    const p = place(graph(), { names: ['/fc/Gemm'] });
    expect(servedNodes(base).has('/fc/Gemm')).toBe(true);
    expect(servedNodes(p).has('/fc/Gemm')).toBe(false);
    expect(p.weights.length).toBe(base.weights.length - 1);
    expect(p.activations.map((q) => q.tensor)).not.toContain('/avgpool/GlobalAveragePool_output_0');
    expect(p.activations.length).toBe(base.activations.length - 1);
  });

  it('patterns: a regex matched at the start of names ignores the whole of layer4', () => {
    const p = place(graph(), { patterns: ['/layer4/'] });
    const served = [...servedNodes(p)];
    expect(served.some((n) => n.startsWith('/layer4/'))).toBe(false);
    expect(served.some((n) => n.startsWith('/layer3/'))).toBe(true);
  });

  it("patterns match at the start of a name, as Python's re.match: 'layer4' alone matches nothing", () => {
    expect(optionError(() => place(graph(), { patterns: ['layer4'] }))).toContain("backendOptions.ignoredScope.patterns[0] 'layer4' matches no node");
    expect(servedNodes(place(graph(), { patterns: ['.*layer4'] })).has('/layer4/layer4.0/conv1/Conv')).toBe(false);
  });

  it('types: ignoring Add leaves the residual sums float and drops the quantizers of their inputs', () => {
    const base = place(graph());
    const p = place(graph(), { types: ['Add'] });
    expect([...servedNodes(p)].some((n) => n.endsWith('/Add'))).toBe(false);
    // Each block's conv2 output fed only its Add: 8 quantizers fewer; the 3 downsample outputs too.
    expect(base.activations.length - p.activations.length).toBe(11);
  });

  it('subgraphs: every node on a path from the inputs to the outputs is ignored', () => {
    const scope = { subgraphs: [{ inputs: ['/layer1/layer1.0/conv1/Conv'], outputs: ['/layer1/layer1.0/Add'] }] };
    const ignored = [...ignoredNodes(graph(), scope).keys()].map((n) => n.name).sort();
    expect(ignored).toEqual(['/layer1/layer1.0/Add', '/layer1/layer1.0/conv1/Conv', '/layer1/layer1.0/conv2/Conv', '/layer1/layer1.0/relu/Relu']);
    const served = servedNodes(place(graph(), scope));
    for (const n of ['/layer1/layer1.0/conv1/Conv', '/layer1/layer1.0/conv2/Conv', '/layer1/layer1.0/Add']) expect(served.has(n)).toBe(false);
    expect(served.has('/layer1/layer1.1/conv1/Conv')).toBe(true);
  });

  it('validate (default true): a name, type, pattern or subgraph that matches nothing is an error naming it', () => {
    expect(optionError(() => place(graph(), { names: ['/fc/Gemm', '/fc/Gem'] }))).toContain("ignoredScope.names[1] '/fc/Gem' matches no node");
    expect(optionError(() => place(graph(), { types: ['Softmax'] }))).toContain("ignoredScope.types[0] 'Softmax' matches no node");
    expect(optionError(() => place(graph(), { subgraphs: [{ inputs: ['/fc/Gemm'], outputs: ['/conv1/Conv'] }] }))).toContain('no path leads from its inputs to its outputs');
  });

  it('validate false: entries that match nothing are allowed, the others still apply', () => {
    const p = place(graph(), { names: ['/fc/Gem', '/fc/Gemm'], types: ['Softmax'], validate: false });
    expect(servedNodes(p).has('/fc/Gemm')).toBe(false);
  });

  it('a scope of the wrong shape is an E_OPTION error naming the field', () => {
    expect(optionError(() => place(graph(), { names: '/fc/Gemm' } as unknown as IgnoredScope))).toContain('ignoredScope.names must be an array of strings');
    expect(optionError(() => place(graph(), { nodes: [] } as unknown as IgnoredScope))).toContain("has no field 'nodes'");
  });

  it('backendOptions.ignoredScope reaches placement in quantizeModel: the ignored Gemm keeps float weights', async () => {
    const { model, report } = await quantizeModel(buildResNet18({ batch: 1, imageSize: 64 }), { backendOptions: { ignoredScope: { names: ['/fc/Gemm'] } } }, {
      backend: openvinoBackend, executor: ortNode, calibration: [{ input: randomTensor([1, 3, 64, 64], 2) }],
    });
    const gemm = model.graph.nodes.find((n) => n.name === '/fc/Gemm')!;
    expect(model.graph.initializers.get(gemm.inputs[1]!)?.dtype).toBe('float32');
    expect(report.float.find((f) => f.name === '/fc/Gemm')?.reason).toBe('in the ignored scope');
    expect(model.graph.nodes.filter((n) => n.opType === 'DequantizeLinear').length).toBe(49);
  });
});
