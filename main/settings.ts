import { z } from 'zod';

/** Workstation behaviour a hospital may tune; defaults suit a shared ward workstation. */
export const WorkstationSettingsSchema = z.object({
  /** How long a password cached by an online sign-in keeps working offline. */
  offlineLoginDays: z.number().int().min(0).max(90).default(7),
  /** A shared workstation locks itself after this much inactivity. */
  idleLockMinutes: z.number().min(0.1).max(240).default(5),
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
