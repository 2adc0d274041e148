/**
 * Test helpers for the QtkErrors the CLI throws: core's own (`catchQtkError`,
 * `catchQtkRejection`, `expectQtkError`), so that both packages check errors alike.
 * Vitest resolves `@qtk/core` to core's sources, so these see the same QtkError class.
 */
export { catchQtkError, catchQtkRejection, expectQtkError } from '../../../core/src/test-support/expectQtkError.js';
