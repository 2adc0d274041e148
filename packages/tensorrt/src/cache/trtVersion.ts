/**
 * TensorRT's version number as a calibration cache header writes it: the
 * `NV_TENSORRT_VERSION` macro, `major * 1000 + minor * 100 + patch` up to TensorRT 9
 * (`NvInferRuntimeCommon.h`: 8.6.1 → 8601, 7.0.0 → 7000) and
 * `major * 10000 + minor * 100 + patch` from TensorRT 10 (`NvInferRuntimeBase.h`,
 * `NV_TENSORRT_VERSION_INT`: 10.3.0 → 100300, 10.9.0 → 100900).
 */
import { QtkError } from '@qtk/core';

/**
 * The header digits for a TensorRT version: `'10.3.0'` → `'100300'`, `'8.6.1'` → `'8601'`,
 * `'10.3.0.26'` (with a build number) → `'100300'`; digits already (`'8601'`) come back
 * unchanged. E_OPTION (option `version`) for anything else, or a minor or patch above 99
 * (above 9 for the patch before TensorRT 10), which the number cannot hold.
 */
export function trtVersionDigits(version: string): string {
  if (/^\d+$/.test(version)) return version;
  const m = /^(\d+)\.(\d+)\.(\d+)(?:\.\d+)?$/.exec(version);
  const fail = (why: string): never => {
    throw new QtkError('E_OPTION', `TensorRT version '${version}' ${why}`, { option: 'version' });
  };
  if (!m) return fail("is not major.minor.patch (e.g. '10.3.0') or header digits (e.g. '8601')");
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (major >= 10) {
    if (minor > 99 || patch > 99) fail('has a minor or patch above 99, which NV_TENSORRT_VERSION cannot hold');
    return String(major * 10000 + minor * 100 + patch);
  }
  if (minor > 9 || patch > 99) fail('has a minor above 9 or a patch above 99, which NV_TENSORRT_VERSION cannot hold before TensorRT 10');
  return String(major * 1000 + minor * 100 + patch);
}
