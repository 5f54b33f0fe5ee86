/**
 * The `lockedUntil` a staff account carries once only an administrator's unlock opens it again
 * (the third lockout within 24 hours, docs/SERVER.md "Sign-in limits"): a time that never
 * comes, so that every reader of the field treats the account as locked without knowing why.
 */
export const LOCKED_UNTIL_UNLOCKED = '9999-12-31T23:59:59.999Z';

export const awaitsAdminUnlock = (lockedUntil: string | null): boolean =>
  lockedUntil !== null && Date.parse(lockedUntil) >= Date.parse(LOCKED_UNTIL_UNLOCKED);
