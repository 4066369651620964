import { expect } from 'vitest';
import { AppError } from '../../src/shared/errors';

/** The AppError `fn` throws synchronously; the test fails if it throws something else or nothing. */
export function thrownAppError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an AppError');
}
