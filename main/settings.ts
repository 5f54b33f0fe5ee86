import { z } from 'zod';

/**
 * A shared workstation left open shows the last person's patients to whoever walks by: the idle
 * lock may be shortened, never set above this, whatever a config file says (issue 15).
 */
export const MAX_IDLE_LOCK_MINUTES = 30;
/** A session ends this long after its sign-in, however active: the person signs in again. */
export const MAX_SESSION_HOURS = 12;

/** Workstation behaviour a hospital may tune; defaults suit a shared ward workstation. */
export const WorkstationSettingsSchema = z.object({
  /** How long a password cached by an online sign-in keeps working offline. */
  offlineLoginDays: z.number().int().min(0).max(90).default(7),
  /** A shared workstation locks itself after this much inactivity. */
  idleLockMinutes: z
    .number()
    .min(0.1)
    .max(
      MAX_IDLE_LOCK_MINUTES,
      `The idle lock can be at most ${MAX_IDLE_LOCK_MINUTES} minutes on a shared workstation; set idleLockMinutes to ${MAX_IDLE_LOCK_MINUTES} or less.`,
    )
    .default(5),
  maxFailedLogins: z.number().int().min(1).max(20).default(5),
  lockoutMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
});
export type WorkstationSettings = z.infer<typeof WorkstationSettingsSchema>;

export const DEFAULT_SETTINGS: WorkstationSettings = WorkstationSettingsSchema.parse({});
