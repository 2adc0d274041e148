/** Validation of external-data locations: relative, inside the model's folder. */
import { QtkError } from '../errors/QtkError.js';

/**
 * Throws E_UNSAFE_PATH when `location` is absolute (`/x`, `\\x`, `C:x`) or climbs out
 * of the model's folder through a `..` segment; such a location is never read.
 */
export function checkExternalLocation(location: string, tensor?: string): void {
  const abs = location.startsWith('/') || location.startsWith('\\') || /^[A-Za-z]:/.test(location);
  const climbs = location.split(/[\\/]+/).some((seg) => seg === '..');
  if (abs || climbs || location.includes('\0')) {
    throw new QtkError(
      'E_UNSAFE_PATH',
      `external data location '${location}'${tensor ? ` of tensor '${tensor}'` : ''} is ${abs ? 'absolute' : 'outside the model folder'}; refused`,
      { tensor },
    );
  }
}
