/**
 * Makes the observer a spec asks for, and restores one from its JSON state: the plugin
 * is looked up by config (or state) kind, so a caller can pass a table with more kinds.
 */
import { QtkError } from '../errors/QtkError.js';
import type { ObserverConfig } from '../spec/quantSpec.js';
import type { Observer, ObserverPlugin } from './observer.js';
import { histogramObserverPlugin } from './histogramObserver.js';
import { meanMinMaxObserverPlugin } from './meanMinMax.js';
import { minMaxObserverPlugin } from './minmax.js';

/** Observer plugins shipped with core, by config kind. */
export const BUILTIN_OBSERVERS: Readonly<Record<string, ObserverPlugin>> = {
  minmax: minMaxObserverPlugin,
  movingAverageMinMax: minMaxObserverPlugin,
  meanMinMax: meanMinMaxObserverPlugin,
  histogram: histogramObserverPlugin,
};

/**
 * Restores an observer from `toJSON()` output, picking the plugin by the state's
 * `kind`. Throws E_OBSERVER for a kind no plugin knows.
 */
export function observerFromJSON(state: Record<string, unknown>, plugins: Readonly<Record<string, ObserverPlugin>> = BUILTIN_OBSERVERS): Observer {
  const kind = String(state.kind);
  const plugin = plugins[kind];
  if (!plugin) throw new QtkError('E_OBSERVER', `no observer plugin restores state of kind '${kind}' (known: ${Object.keys(plugins).join(', ')})`, { tensor: typeof state.tensor === 'string' ? state.tensor : undefined });
  return plugin.fromJSON(state);
}

/** An observer for `config` on tensor `tensor` (per channel along `axis` when set). */
export function createObserver(config: ObserverConfig, options: { tensor: string; axis?: number }, plugins: Readonly<Record<string, ObserverPlugin>> = BUILTIN_OBSERVERS): Observer {
  const plugin = plugins[config.kind];
  if (!plugin) throw new QtkError('E_OBSERVER', `no observer for kind '${config.kind}' (known: ${Object.keys(plugins).join(', ')})`, { tensor: options.tensor });
  return plugin.create(config, options);
}
