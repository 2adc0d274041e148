/**
 * The option names of `@qtk/openvino`, as NNCF spells them (camelCase).
 */

/** NNCF's presets: `performance` (symmetric activations and weights) or `mixed` (asymmetric activations). */
export type Preset = 'performance' | 'mixed';

/** The device whose hardware configuration places the quantizers. */
export type TargetDevice = 'ANY' | 'CPU' | 'GPU' | 'NPU';

/** NNCF's model types: `transformer` turns on SmoothQuant and the transformer placement rules. */
export type ModelType = 'transformer';
