/**
 * A refusal a person can act on: `code` is for programs, `message` is the sentence shown to the
 * nurse or receptionist. Services throw these; the API turns them into tRPC errors unchanged.
 * The codes are one shared list (shared/ward-error-codes.ts) the renderer switches on.
 */
import type { WardErrorCode } from '../shared/ward-error-codes';

export type RefusalKind =
  'invalid' | 'not_found' | 'conflict' | 'unauthorized' | 'forbidden' | 'locked';

export class WardError extends Error {
  constructor(
    readonly code: WardErrorCode,
    message: string,
    readonly kind: RefusalKind = 'conflict',
  ) {
    super(message);
    this.name = 'WardError';
  }
}

export function refuse(
  code: WardErrorCode,
  message: string,
  kind: RefusalKind = 'conflict',
): never {
  throw new WardError(code, message, kind);
}
