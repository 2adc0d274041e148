/**
 * Placement against NNCF's own reference graphs: NNCF's ONNX tests quantize torchvision's
 * ResNet18 and MobileNetV2 and keep the quantized graphs as .dot files (copied to
 * test-data/nncf-reference-graphs with their provenance). qtk's OpenVINO backend quantizes
 * @qtk/models' builds of the same networks; names differ, so quantizers are matched by
 * structure (see test-support/quantizerSignatures.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { quantizeModel, type Model } from '@qtk/core';
import { randomTensor } from '@qtk/core/testing';
import { buildMobileNetV2, buildResNet18 } from '@qtk/models';
import { ortNode } from '@qtk/onnxruntime/node';
import { openvinoBackend } from '../backend.js';
import { compareSignatures, KeyTable, modelFlow, parseNncfDot, quantizerSignatures, structuralKeys, type QuantizedFlow } from '../test-support/quantizerSignatures.js';

const reference = (file: string): QuantizedFlow =>
  parseNncfDot(readFileSync(new URL(`../../test-data/nncf-reference-graphs/${file}`, import.meta.url), 'utf8'));

/** Every structural key of `flow` names one node (else matching by structure would be ambiguous). */
function expectUniqueKeys(keys: ReadonlyMap<string, string>): void {
  expect(new Set(keys.values()).size).toBe(keys.size);
}

async function quantized(model: Model): Promise<Model> {
  const calibration = [{ input: randomTensor([1, 3, 64, 64], 7) }];
  return (await quantizeModel(model, {}, { backend: openvinoBackend, executor: ortNode, calibration })).model;
}

const CASES = [
  { name: 'ResNet18', file: 'resnet18.dot', build: () => buildResNet18({ batch: 1, imageSize: 64 }), weights: 21, activations: 30 },
  { name: 'MobileNetV2', file: 'mobilenet_v2.dot', build: () => buildMobileNetV2({ batch: 1, imageSize: 64 }), weights: 53, activations: 64 },
] as const;

describe("OpenVINO placement equals NNCF's reference graphs (torchvision models, matched by structure)", () => {
  for (const c of CASES) {
    it(`${c.name}: the same ${c.weights} weight and ${c.activations} activation quantizers as ${c.file}`, async () => {
      const table = new KeyTable();
      const ref = reference(c.file);
      const refKeys = structuralKeys(ref, table);
      expectUniqueKeys(refKeys);
      expect([ref.weights.length, ref.activations.length]).toEqual([c.weights, c.activations]);

      const ours = modelFlow(await quantized(c.build()));
      const ourKeys = structuralKeys(ours, table);
      expectUniqueKeys(ourKeys);
      // The float graphs match node for node before their quantizers are compared.
      expect([...ourKeys.values()].sort()).toEqual([...refKeys.values()].sort());

      const result = compareSignatures(quantizerSignatures(ref, refKeys), quantizerSignatures(ours, ourKeys));
      expect({ onlyNncf: result.onlyReference, onlyQtk: result.onlyOurs }).toEqual({ onlyNncf: [], onlyQtk: [] });
      expect(result.matched).toBe(c.weights + c.activations);
      expect([ours.weights.length, ours.activations.length]).toEqual([c.weights, c.activations]);
    });
  }
});
