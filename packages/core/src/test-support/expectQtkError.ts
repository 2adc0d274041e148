/** Test helper: runs `fn` and requires a QtkError of `code` whose message contains `part`. */
import { expect } from 'vitest';
import { QtkError, type QtkErrorCode } from '../errors/QtkError.js';

/** Runs `fn`, requires a QtkError of `code` whose message contains `part`; returns it. */
export function expectQtkError(fn: () => unknown, code: QtkErrorCode, part?: string): QtkError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(QtkError);
  expect((err as QtkError).code).toBe(code);
  if (part) expect((err as QtkError).message).toContain(part);
  return err as QtkError;
}
