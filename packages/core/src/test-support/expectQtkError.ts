/** Test helpers for typed errors: run a function (or await a promise) and get the QtkError it throws. */
import { expect } from 'vitest';
import { QtkError, type QtkErrorCode } from '../errors/QtkError.js';

/** Runs `fn`, requires it to throw a QtkError, and returns that error. */
export function catchQtkError(fn: () => unknown): QtkError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(QtkError);
    return e as QtkError;
  }
  throw new Error('expected a QtkError');
}

/** Awaits `p`, requires it to reject with a QtkError, and returns that error. */
export async function catchQtkRejection(p: Promise<unknown>): Promise<QtkError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(QtkError);
    return e as QtkError;
  }
  throw new Error('expected a QtkError');
}

/** Runs `fn`, requires a QtkError of `code` whose message contains `part`; returns it. */
export function expectQtkError(fn: () => unknown, code: QtkErrorCode, part?: string): QtkError {
  const err = catchQtkError(fn);
  expect(err.code).toBe(code);
  if (part) expect(err.message).toContain(part);
  return err;
}
