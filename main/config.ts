/**
 * The machine-wide config file IT deploys with the installer: which server this workstation
 * syncs with, whether it updates itself, and workstation settings. Read-only for the app.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { WorkstationSettingsSchema } from './settings';

export const MachineConfigSchema = z.object({
  serverUrl: z
    .url({ protocol: /^https?$/ })
    .nullable()
    .default(null),
  autoUpdate: z.boolean().default(true),
  /** A single-use code from the hospital's admin; spent on the first start to enroll. */
  enrollmentCode: z.string().trim().min(1).max(200).nullable().default(null),
  settings: WorkstationSettingsSchema.partial().default({}),
});
export type MachineConfig = z.infer<typeof MachineConfigSchema>;

/** Where IT puts the file on each platform; WARDLINE_CONFIG overrides it (tests, kiosks). */
export function machineConfigPath(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (env.WARDLINE_CONFIG) return env.WARDLINE_CONFIG;
  if (platform === 'win32')
    return join(env.ProgramData ?? 'C:\\ProgramData', 'Wardline', 'config.json');
  if (platform === 'darwin') return '/Library/Application Support/Wardline/config.json';
  return '/etc/wardline/config.json';
}

export class MachineConfigError extends Error {
  readonly code = 'machine_config_invalid';
}

/** A missing file means defaults; a broken one is an error IT must fix, not something to guess around. */
export function readMachineConfig(path: string): MachineConfig {
  if (!existsSync(path)) return MachineConfigSchema.parse({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new MachineConfigError(
      `The Wardline configuration file ${path} is not valid JSON. Ask IT to fix it.`,
    );
  }
  const parsed = MachineConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
    throw new MachineConfigError(
      `The Wardline configuration file ${path} has invalid settings (${fields}). Ask IT to fix it.`,
    );
  }
  return parsed.data;
}
