/** Finds the backend a quantization runs for (an object as given, or a name looked up in a registry) and checks its result. */
import { QtkError } from '../errors/QtkError.js';
import { defaultRegistry, type Registry } from '../registry/registry.js';
import type { Model } from '../ir/graph.js';
import type { BackendDefaults, BackendPlugin } from './backend.js';

/** How a caller names a backend: the plugin object, or its registered name. */
export type BackendRef = BackendPlugin | string;

/**
 * The backend `ref` stands for: an object is checked and returned, a name is looked up as
 * kind 'backend' in `registry` (default: `defaultRegistry`). No backend, a name nobody
 * registered or an object without the backend fields is an E_OPTION error saying what to pass.
 */
export function resolveBackend(ref: BackendRef | undefined, registry: Registry = defaultRegistry): BackendPlugin {
  if (ref === undefined) {
    throw new QtkError(
      'E_OPTION',
      'no backend given: pass a backend plugin object, or the name of one registered in ctx.registry (default: defaultRegistry), ' +
        'as quantizeModel(model, options, { backend }); backend packages default-export theirs',
      { option: 'backend' },
    );
  }
  if (typeof ref === 'string') {
    const found = registry.find<BackendPlugin>('backend', ref);
    if (!found) {
      const known = registry.list<BackendPlugin>('backend').map((b) => b.name);
      throw new QtkError('E_OPTION', `no backend named '${ref}' is registered; registered backends: ${known.length ? known.join(', ') : 'none'}`, { option: 'backend' });
    }
    return checkBackend(found);
  }
  return checkBackend(ref);
}

/** `b` when it has the fields of a backend plugin; an E_OPTION error naming the first missing one otherwise. */
export function checkBackend(b: BackendPlugin): BackendPlugin {
  const name = typeof b?.name === 'string' ? `backend '${b.name}'` : 'the backend';
  const missing =
    !b || typeof b !== 'object' ? 'is not an object'
    : b.kind !== 'backend' ? `has kind ${JSON.stringify(b.kind)}, not 'backend'`
    : typeof b.name !== 'string' || !b.name ? 'has no name'
    : typeof b.apiVersion !== 'number' ? 'has no numeric apiVersion'
    : !b.policy || !Array.isArray(b.policy.opTypes) || typeof b.policy.place !== 'function' ? 'has no placement policy (policy.opTypes and policy.place)'
    : b.writers !== undefined && (typeof b.writers !== 'object' || b.writers === null) ? 'has writers that are not an object (QuantWriters)'
    : undefined;
  if (missing) throw new QtkError('E_OPTION', `${name} ${missing}`, { option: 'backend' });
  return b;
}

/** Throws E_UNSUPPORTED listing what `backend.validate` finds wrong in `model` (naming the first node or tensor); nothing when it finds none. */
export function checkBackendResult(backend: BackendPlugin, model: Model): void {
  const problems = backend.validate?.(model) ?? [];
  if (!problems.length) return;
  const first = problems[0]!;
  throw new QtkError('E_UNSUPPORTED', `backend '${backend.name}' cannot run the quantized model: ${problems.map((p) => p.message).join('; ')}`, {
    ...(first.node !== undefined && { node: first.node }), ...(first.tensor !== undefined && { tensor: first.tensor }),
  });
}

/** The option defaults of `backend` for the user's `backendOptions`: `defaultsFor` when it has one, else `defaults`. */
export function backendDefaults(backend: BackendPlugin, backendOptions: object | undefined): BackendDefaults {
  return backend.defaultsFor ? backend.defaultsFor(backendOptions) : backend.defaults ?? {};
}
