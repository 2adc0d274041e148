/**
 * `--backend NAME|MODULE`: the backend `qtk quantize` quantizes for. A name is looked up in
 * the registry of backends the CLI ships (onnxruntime, the default, tensorrt and openvino); anything else is
 * imported as a module path (relative to the working directory) or a package name whose
 * default export is a backend plugin, as a third party would publish one.
 *
 * Example: `--backend ./myBackend.js` loads `export default { kind: 'backend', name: 'mine', ... }`.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { QtkError, checkBackend, createRegistry, isQtkError, type BackendPlugin, type Registry } from '@qtk/core';
import { onnxruntimeBackend } from '@qtk/onnxruntime/policy';
import { openvinoPlugin } from '@qtk/openvino';
import { tensorrtPlugin } from '@qtk/tensorrt';
import { stringOpt, type OptionSpec, type ParsedArgs } from './args.js';

/** The backend used when `--backend` is absent. */
export const DEFAULT_BACKEND: BackendPlugin = onnxruntimeBackend;

/** The backends the CLI ships, the default first. */
export function shippedBackends(): BackendPlugin[] {
  return [onnxruntimeBackend, tensorrtPlugin as BackendPlugin, openvinoPlugin as BackendPlugin];
}

/** A registry holding the backends the CLI ships. */
export function cliBackendRegistry(): Registry {
  const reg = createRegistry();
  for (const b of shippedBackends()) reg.register(b);
  return reg;
}

/**
 * The value of `--backend` in raw arguments (`--backend X` or `--backend=X`, the last one
 * wins), before they are parsed: the backend decides which further flags parse.
 */
export function backendArg(argv: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '--backend' && i + 1 < argv.length) found = argv[++i];
    else if (a.startsWith('--backend=')) found = a.slice('--backend='.length);
  }
  return found;
}

/** The option spec of `--backend`. */
export function backendOptionSpec(registry: Registry = cliBackendRegistry()): Record<string, OptionSpec> {
  const names = registry.list<BackendPlugin>('backend').map((b) => b.name);
  return {
    backend: {
      type: 'string', value: 'NAME|MODULE', group: 'quantization',
      help: `backend to quantize for: ${names.join(', ')} (default ${DEFAULT_BACKEND.name}), or a module path or package whose default export is a backend plugin`,
    },
  };
}

/** True when `spec` reads as a file path rather than a package name. */
function isPath(spec: string): boolean {
  return spec.startsWith('.') || isAbsolute(spec) || /\.(c|m)?(j|t)s$/.test(spec);
}

/**
 * The backend `--backend` names: a registered name, else the default export of the module
 * or package it names. E_OPTION listing the known backends when it is neither.
 */
export async function backendFromFlag(args: ParsedArgs, registry: Registry = cliBackendRegistry()): Promise<BackendPlugin> {
  const spec = stringOpt(args, 'backend');
  if (spec === undefined) return DEFAULT_BACKEND;
  const known = registry.find<BackendPlugin>('backend', spec);
  if (known) return known;
  const names = registry.list<BackendPlugin>('backend').map((b) => b.name).join(', ');
  let mod: { default?: unknown };
  try {
    mod = (await import(isPath(spec) ? pathToFileURL(resolve(spec)).href : spec)) as { default?: unknown };
  } catch (e) {
    throw new QtkError('E_OPTION', `--backend '${spec}' is not a known backend (${names}) and could not be loaded as a module: ${(e as Error).message}`, { option: 'backend' }, { cause: e });
  }
  try {
    return checkBackend(mod.default as BackendPlugin);
  } catch (e) {
    if (!isQtkError(e)) throw e;
    throw new QtkError('E_OPTION', `--backend '${spec}': the module's default export is not a backend plugin: ${e.message}`, { option: 'backend' }, { cause: e });
  }
}
