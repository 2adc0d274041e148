/**
 * A third-party backend with options of its own, as one published apart from qtk would
 * declare them (the shape an OpenVINO-style backend takes): `--preset`, `--target-device`,
 * `--subset-size`, `--ignored-scope-names` and a `--stats OUT.json` file it writes. Its
 * `toBackendOptions` maps the preset to symmetric or asymmetric activations and refuses
 * `--subset-size` without calibration data; its `quantize` runs core's pipeline with
 * itself and returns, as the `stats` output, the options it ran with.
 */
import {
  PLUGIN_API_VERSION, QtkError, quantizeModel, policyFromHandlers, type BackendPlugin, type Model, type OpHandler, type QuantizeContext, type QuantizeOptions,
} from '@qtk/core';

/** This backend's `backendOptions`. */
export interface PresetOptions {
  preset?: 'performance' | 'mixed';
  targetDevice?: string;
  subsetSize?: number;
  ignoredScopeNames?: string[];
  stats?: boolean;
}

/** Conv inputs: the activation, and the weight per output channel. */
const convInputs: OpHandler = {
  opTypes: ['Conv'],
  annotate(node, ctx) {
    ctx.markActivation(node.inputs[0]!);
    ctx.markWeight(node.inputs[1]!, 0);
  },
};

const presetBackend: BackendPlugin<PresetOptions> = {
  name: 'preset-test',
  kind: 'backend',
  apiVersion: PLUGIN_API_VERSION,
  description: 'Conv inputs, with a preset choosing the activation symmetry',
  policy: policyFromHandlers([convInputs]),
  defaults: { activationType: 'int8', weightType: 'int8', symmetricWeights: true },
  optionSpec: {
    title: 'preset-test (--backend MODULE)',
    fields: [
      { name: 'preset', type: 'choice', choices: ['performance', 'mixed'], help: 'performance: symmetric activations; mixed: asymmetric' },
      { name: 'targetDevice', type: 'choice', choices: ['ANY', 'CPU', 'GPU'], help: 'device the placement is for' },
      { name: 'subsetSize', type: 'integer', help: 'calibration samples to use' },
      { name: 'ignoredScopeNames', type: 'list', help: 'node names kept float' },
      { name: 'stats', type: 'string', file: 'write', placeholder: 'OUT.json', help: 'write the options the run used as JSON' },
    ],
    toBackendOptions({ values, hasCalibrationData, label }) {
      if (values.subsetSize !== undefined && !hasCalibrationData) {
        throw new QtkError('E_OPTION', `${label('subsetSize')} counts calibration samples; without ${label('calibrationData')} it would do nothing`, { option: 'subsetSize' });
      }
      const backendOptions: PresetOptions = {
        ...(values.preset !== undefined && { preset: values.preset as PresetOptions['preset'] }),
        ...(values.targetDevice !== undefined && { targetDevice: values.targetDevice as string }),
        ...(values.subsetSize !== undefined && { subsetSize: values.subsetSize as number }),
        ...(values.ignoredScopeNames !== undefined && { ignoredScopeNames: [...(values.ignoredScopeNames as string[])] }),
        ...(values.stats !== undefined && { stats: true }),
      };
      return { backendOptions, warnings: values.targetDevice === 'GPU' ? [`${label('targetDevice')} GPU places as ANY here`] : [], summary: `preset ${backendOptions.preset ?? 'performance'}` };
    },
  },
  async quantize(model: Model, options: QuantizeOptions<PresetOptions>, ctx: QuantizeContext) {
    const own = options.backendOptions ?? {};
    const core = {
      ...options, symmetricActivations: own.preset !== 'mixed',
      ...(own.ignoredScopeNames && { exclude: own.ignoredScopeNames }),
    } as QuantizeOptions<PresetOptions>;
    const r = await quantizeModel(model, core, { ...ctx, backend: presetBackend });
    return { ...r, ...(own.stats && { outputs: { stats: JSON.stringify(own) } }) };
  },
};

export default presetBackend;
