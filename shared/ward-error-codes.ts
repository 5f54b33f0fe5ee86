/**
 * Every code a refusal of the workstation can carry (main/errors.ts WardError, the tRPC answer's
 * `data.appCode`). Main throws only these and the renderer switches on them, so a code renamed
 * in one place fails the type check in the other instead of silently showing the wrong screen.
 * The sentence for people travels beside the code; the code is for programs only.
 */
import { ACCOUNT_RULE_CODES } from './account-rules';

export const WARD_ERROR_CODES = [
  // Any call.
  'invalid_input',
  'internal',
  'not_found',
  'forbidden',
  'unauthorized',
  'invalid_transition',
  // The replica on this machine.
  'replica_in_use',
  'database_from_newer_version',
  'replica_key_missing',
  'replica_key_mismatch',
  'replica_key_unreadable',
  'disk_full',
  'device_revoked',
  // Sign-in and the session.
  'wrong_credentials',
  'wrong_password',
  'account_locked',
  'account_inactive',
  'offline_not_cached',
  'offline_login_expired',
  'first_sync_pending',
  'password_change_required',
  'temporary_password_expired',
  'ward_not_assigned',
  'offline_password_changed',
  'password_change_offline',
  'not_signed_in',
  'session_locked',
  'session_expired',
  'signing_key_missing',
  // Enrollment and the server's address.
  'not_enrolled',
  'already_enrolled',
  'enrollment_unavailable',
  'enrollment_in_progress',
  'enrollment_code_invalid',
  'enrollment_invalid',
  'enrollment_rate_limited',
  'enrollment_failed',
  'server_url_locked',
  'server_url_required',
  'server_unreachable',
  'not_a_wardline_server',
  'insecure_server_address',
  'server_certificate_untrusted',
  // The ward's records.
  'already_admitted',
  'bed_unavailable',
  'bed_not_in_ward',
  'nothing_to_transfer',
  'visit_not_active',
  'double_booking',
  'not_a_doctor',
  'no_readings',
  'already_corrected',
  'already_given',
  'prescription_not_active',
  'insufficient_stock',
  'already_merged',
  'mrn_pool_empty',
  'entry_too_large',
  // Staff accounts (the account rules of shared/account-rules.ts are codes too).
  'managed_centrally',
  ...ACCOUNT_RULE_CODES,
  // Clinical alerts.
  'already_acknowledged',
  // Sync conflicts a person resolves.
  'already_resolved',
  'incomplete_merge',
  'unknown_table',
  // Organisation (wards and beds on the Admin screen).
  'ward_code_taken',
  'bed_number_taken',
  'bed_occupied',
  // Bedside checks (issue 17).
  'wristband_mismatch',
  // Re-authentication and break-glass (issue 15).
  'reauth_required',
  'break_glass_required',
  // Discharge summaries and attachments (issue 17).
  'discharge_summary_closed',
  'attachment_type_refused',
  'attachment_too_large',
  'attachment_empty',
  'attachment_not_on_server',
  'attachment_unavailable',
  // A revoked or retired workstation's rescue file (issue 14).
  'rescue_key_not_configured',
  'rescue_key_invalid',
  'rescue_key_wrong',
  'rescue_file_unreadable',
  'rescue_other_hospital',
] as const;
export type WardErrorCode = (typeof WARD_ERROR_CODES)[number];

const KNOWN: ReadonlySet<string> = new Set(WARD_ERROR_CODES);

export function isWardErrorCode(value: unknown): value is WardErrorCode {
  return typeof value === 'string' && KNOWN.has(value);
}
