/**
 * A backend that declares an output file option (`--log OUT.txt`) but whose `quantize`
 * never gives that output: what a front end must catch before it writes anything.
 */
import { PLUGIN_API_VERSION, quantizeModel, policyFromHandlers, type BackendPlugin } from '@qtk/core';

const outputlessBackend: BackendPlugin = {
  name: 'outputless-test',
  kind: 'backend',
  apiVersion: PLUGIN_API_VERSION,
  description: 'declares --log but returns no log',
  policy: policyFromHandlers([{ opTypes: ['Conv'], annotate(node, ctx) { ctx.markActivation(node.inputs[0]!); ctx.markWeight(node.inputs[1]!, 0); } }]),
  optionSpec: {
    title: 'outputless-test',
    fields: [{ name: 'log', type: 'string', file: 'write', placeholder: 'OUT.txt', help: 'a log of the run' }],
    toBackendOptions: () => ({ backendOptions: {}, warnings: [] }),
  },
  quantize: (model, options, ctx) => quantizeModel(model, options, { ...ctx, backend: outputlessBackend }),
};

export default outputlessBackend;
