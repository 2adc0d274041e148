/**
 * The runtime contract of the benchmark: a registry plugin of kind 'runtime' that wraps an
 * executor together with the settings it runs under (threads, SIMD). A third party adds
 * a runtime by implementing `RuntimePlugin` (or wrapping an executor with
 * `runtimeFromExecutor`) and passing it to `runBench` or registering it.
 *
 * Example:
 *   const mine = runtimeFromExecutor(myExecutor, { name: 'my-engine', settings: { threads: 4 }, sessionOptions: { threads: 4 } });
 *   registry.register(mine);
 */
import { PLUGIN_API_VERSION, QtkError, type Executor, type Plugin, type SessionOptions } from '@qtk/core';

/** A setting a runtime ran under, as shown in reports. */
export type RuntimeSettingValue = string | number | boolean;

/** A runtime the benchmark can time: an executor plus the settings it runs under. */
export interface RuntimePlugin extends Plugin<'runtime'> {
  /** Settings shown beside the name in reports (`{ threads: 2, simd: true }`). */
  readonly settings: Readonly<Record<string, RuntimeSettingValue>>;
  /** Options passed to every `createSession` (threads, usually). */
  readonly sessionOptions?: SessionOptions;
  /**
   * Loads the executor. Throws (a QtkError, ideally) saying why when the runtime cannot
   * run here; the benchmark then shows its cells as failed with that reason.
   */
  load(): Promise<Executor>;
  /** The runtime's version (a package version, say), when known. */
  version?(): Promise<string | undefined>;
}

/** Options of `runtimeFromExecutor`. */
export interface ExecutorRuntimeOptions {
  /** Runtime name (default: the executor's name). */
  name?: string;
  description?: string;
  settings?: Readonly<Record<string, RuntimeSettingValue>>;
  sessionOptions?: SessionOptions;
  version?: () => Promise<string | undefined>;
}

/** Wraps an executor (or a function loading one) as a runtime plugin. */
export function runtimeFromExecutor(executor: Executor | (() => Promise<Executor>), options: ExecutorRuntimeOptions = {}): RuntimePlugin {
  const name = options.name ?? (typeof executor === 'function' ? undefined : executor.name);
  if (!name) throw new QtkError('E_PLUGIN', 'a runtime wrapping an executor loader needs a name (options.name)', { option: 'name' });
  return {
    name,
    kind: 'runtime',
    apiVersion: PLUGIN_API_VERSION,
    description: options.description ?? `executor ${name}`,
    settings: options.settings ?? {},
    sessionOptions: options.sessionOptions,
    load: typeof executor === 'function' ? executor : async () => executor,
    ...(options.version && { version: options.version }),
  };
}

/** `name (threads=2, simd=true)`: a runtime's name with its settings, for tables. */
export function runtimeLabel(name: string, settings: Readonly<Record<string, RuntimeSettingValue>>): string {
  const s = Object.entries(settings).map(([k, v]) => `${k}=${v}`);
  return s.length ? `${name} (${s.join(', ')})` : name;
}
