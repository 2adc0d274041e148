/**
 * The plugin registry: observers, calibration methods, executors and backends register
 * here by kind and name. Nothing registers itself on import; apps call `register`.
 *
 * Example:
 *   const reg = createRegistry();
 *   reg.register(minMaxObserverPlugin);
 *   reg.get('observer', 'minmax');
 */
import { QtkError } from '../errors/QtkError.js';

/** The plugin API version this build of core speaks. */
export const PLUGIN_API_VERSION = 1;

/** Kinds of plugin the registry knows. */
export type PluginKind = 'observer' | 'calibration' | 'executor' | 'backend' | 'runtime' | 'format';

/** What every plugin object has; each kind adds its own fields. */
export interface Plugin<K extends PluginKind = PluginKind> {
  readonly name: string;
  readonly apiVersion: number;
  readonly kind: K;
  /** Lower runs first when several plugins of a kind could serve (default 0). */
  readonly priority?: number;
  readonly description?: string;
}

/** Receives registry warnings (API-version mismatch); defaults to console.warn. */
export type WarnFn = (message: string) => void;

/** A set of plugins keyed by kind and name. */
export class Registry {
  private readonly plugins = new Map<string, Plugin>();

  constructor(private readonly warn: WarnFn = (m) => console.warn(m)) {}

  /**
   * Adds a plugin. The same object again is a no-op; another object under a taken
   * kind+name throws E_PLUGIN naming both; an apiVersion other than core's warns.
   */
  register<P extends Plugin>(plugin: P): P {
    validate(plugin);
    const key = `${plugin.kind}:${plugin.name}`;
    const existing = this.plugins.get(key);
    if (existing === plugin) return plugin;
    if (existing) {
      throw new QtkError(
        'E_PLUGIN',
        `${plugin.kind} plugin '${plugin.name}' is already registered by another object` +
          ` (existing: ${describe(existing)}; new: ${describe(plugin)})`,
      );
    }
    if (plugin.apiVersion !== PLUGIN_API_VERSION) {
      this.warn(`qtk: plugin '${plugin.name}' (${plugin.kind}) was built for plugin API ${plugin.apiVersion}; this core speaks ${PLUGIN_API_VERSION}`);
    }
    this.plugins.set(key, plugin);
    return plugin;
  }

  /** Removes a plugin by kind and name; returns whether one was there. */
  unregister(kind: PluginKind, name: string): boolean {
    return this.plugins.delete(`${kind}:${name}`);
  }

  /** The plugin of a kind and name, or undefined. */
  find<P extends Plugin>(kind: P['kind'], name: string): P | undefined {
    return this.plugins.get(`${kind}:${name}`) as P | undefined;
  }

  /** The plugin of a kind and name; throws E_PLUGIN listing the names that exist. */
  get<P extends Plugin>(kind: P['kind'], name: string): P {
    const p = this.find<P>(kind, name);
    if (!p) {
      const known = this.list(kind).map((x) => x.name);
      throw new QtkError('E_PLUGIN', `no ${kind} plugin named '${name}'; registered: ${known.length ? known.join(', ') : 'none'}`, { option: name });
    }
    return p;
  }

  /** Plugins of a kind, by priority then name. */
  list<P extends Plugin>(kind: P['kind']): P[] {
    return [...this.plugins.values()]
      .filter((p) => p.kind === kind)
      .sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0) || a.name.localeCompare(b.name)) as P[];
  }

  /**
   * The first plugin of a kind (by priority) whose `available()` resolves true, trying
   * each in turn; throws E_PLUGIN listing every failure when none works.
   */
  async resolve<P extends Plugin & { available?: () => Promise<boolean> | boolean }>(kind: P['kind'], names?: readonly string[]): Promise<P> {
    const candidates = names ? names.map((n) => this.get<P>(kind, n)) : this.list<P>(kind);
    const failures: string[] = [];
    for (const p of candidates) {
      try {
        if (!p.available || (await p.available())) return p;
        failures.push(`${p.name}: not available`);
      } catch (e) {
        failures.push(`${p.name}: ${(e as Error).message}`);
      }
    }
    throw new QtkError('E_PLUGIN', `no ${kind} plugin could be used${failures.length ? `: ${failures.join('; ')}` : ' (none registered)'}`);
  }
}

function validate(p: Plugin): void {
  if (!p || typeof p !== 'object') throw new QtkError('E_PLUGIN', 'a plugin must be an object');
  for (const k of ['name', 'kind'] as const) {
    if (typeof p[k] !== 'string' || !p[k]) throw new QtkError('E_PLUGIN', `plugin is missing its '${k}' (got ${JSON.stringify(p[k])})`);
  }
  if (typeof p.apiVersion !== 'number') throw new QtkError('E_PLUGIN', `plugin '${p.name}' has no numeric apiVersion`);
}

function describe(p: Plugin): string {
  return `${p.kind}:${p.name}@api${p.apiVersion}${p.description ? ` "${p.description}"` : ''}`;
}

/** A new, empty registry (tests and libraries should use their own). */
export function createRegistry(warn?: WarnFn): Registry {
  return new Registry(warn);
}

/** The default registry for applications. */
export const defaultRegistry: Registry = createRegistry();
