/**
 * A refusal a person can act on: `code` is for programs, `message` is the sentence shown to the
 * nurse or receptionist. Services throw these; the API turns them into tRPC errors unchanged.
 */
export type RefusalKind =
  'invalid' | 'not_found' | 'conflict' | 'unauthorized' | 'forbidden' | 'locked';

export class WardError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: RefusalKind = 'conflict',
  ) {
    super(message);
    this.name = 'WardError';
  }
}

export function refuse(code: string, message: string, kind: RefusalKind = 'conflict'): never {
  throw new WardError(code, message, kind);
}
