/**
 * Re-authentication (issue 15): the password again, within the session, before an action that
 * changes who may see what or takes patient data off the workstation. The renderer asks for the
 * password (`useReauth`, renderer/session/reauth-dialog.tsx), main checks it and answers a proof
 * that one call of that action accepts within REAUTH_PROOF_MINUTES. A new sensitive action is a
 * name here and `reauthProcedure` on its tRPC procedure (docs/WORKSTATION.md "Re-authentication").
 */
import { z } from 'zod';

export const REAUTH_ACTIONS = {
  'staff.change_role': "Change a person's role",
  'staff.grant': 'Grant a permission',
  'staff.revoke': 'Withdraw a permission',
  'staff.reset_password': "Reset a person's password",
  break_glass: 'Open a chart you have no standing access to (break-glass)',
  'audit.export': 'Export an access report',
  'conflict.discard': "Discard someone's value in a conflict",
  'patients.restrict': "Restrict or lift the restriction of a patient's record",
  print: 'Print patient data',
  'devices.revoke': "Revoke a workstation's enrollment",
  'devices.rescue': "Export or replay a workstation's unsent changes (rescue file)",
} as const satisfies Record<string, string>;

export type ReauthAction = keyof typeof REAUTH_ACTIONS;

export const ReauthActionSchema = z.enum(
  Object.keys(REAUTH_ACTIONS) as [ReauthAction, ...ReauthAction[]],
);

/** How long a proof stays good for its one call: long enough to finish the form it guards. */
export const REAUTH_PROOF_MINUTES = 2;

/** Wrong passwords in a row, within one session, before the workstation locks itself. */
export const REAUTH_MAX_FAILURES = 3;

export const ReauthRequestSchema = z.object({
  action: ReauthActionSchema,
  password: z.string().min(1).max(200),
});

/** What a guarded call carries beside its own input. */
export const ReauthProofSchema = z.object({ reauthProof: z.string().min(16).max(100) });
