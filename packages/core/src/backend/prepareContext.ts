/** The context a backend's graph preparation gets from the resolved static options. */
import { isExcluded } from '../annotate/selection.js';
import type { QuantSpec } from '../spec/quantSpec.js';
import type { ResolvedStaticOptions } from '../pipeline/types.js';
import type { PrepareContext } from './backend.js';

/** The specs, the user's selection (`exclude`, `opTypes`) as `isSkipped`, and the user's `backendOptions` of `o`. */
export function prepareContextFor(o: ResolvedStaticOptions, specs: { activationSpec: QuantSpec; weightSpec: QuantSpec }): PrepareContext {
  const backendOptions = (o as { backendOptions?: object }).backendOptions;
  return {
    ...specs, isSkipped: (n) => isExcluded(n, o.exclude) || (o.opTypes !== undefined && !o.opTypes.includes(n.opType)),
    ...(backendOptions !== undefined && { backendOptions }),
  };
}
