/**
 * Makes the observer a spec asks for. Observer plugins are tried in order; the first
 * whose `create` accepts the config kind wins, so a registry can add more.
 */
import { QtkError } from '../errors/QtkError.js';
import type { ObserverConfig } from '../spec/quantSpec.js';
import type { Observer, ObserverPlugin } from './observer.js';
import { minMaxObserverPlugin } from './minmax.js';

/** Observer plugins shipped with core, by config kind. */
export const BUILTIN_OBSERVERS: Readonly<Record<string, ObserverPlugin>> = {
  minmax: minMaxObserverPlugin,
  movingAverageMinMax: minMaxObserverPlugin,
};

/** An observer for `config` on tensor `tensor` (per channel along `axis` when set). */
export function createObserver(config: ObserverConfig, options: { tensor: string; axis?: number }, plugins: Readonly<Record<string, ObserverPlugin>> = BUILTIN_OBSERVERS): Observer {
  const plugin = plugins[config.kind];
  if (!plugin) throw new QtkError('E_OBSERVER', `no observer for kind '${config.kind}' (known: ${Object.keys(plugins).join(', ')})`, { tensor: options.tensor });
  return plugin.create(config, options);
}
