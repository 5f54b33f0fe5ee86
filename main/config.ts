/**
 * The machine-wide config file IT deploys with the installer: which server this workstation
 * syncs with (and the hospital CA that signed its certificate), whether it updates itself, and
 * workstation settings. Read-only for the app.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { ServerUrlSchema } from '../shared/server-address';
import { DEFAULT_KEEP_OPENED_STAY_DAYS } from '../shared/replica-scope';
import { WorkstationSettingsSchema } from './settings';
import { DowntimePackScheduleSchema } from './downtime/scheduled-pack';

export const MachineConfigSchema = z.object({
  /** https:// (plain http:// only for a server on this computer: shared/server-address.ts). */
  serverUrl: ServerUrlSchema.nullable().default(null),
  /**
   * A PEM file of the hospital's own certificate authority, trusted for the connection to the
   * server only (main/sync/server-fetch.ts). Relative to the config file's folder.
   */
  caFile: z.string().trim().min(1).max(4096).nullable().default(null),
  /**
   * Whether the app updates itself. Unset: by how it was installed — not an MSI, deb or rpm, which
   * IT's tools update (main/updates/update-policy.ts).
   */
  autoUpdate: z.boolean().nullable().default(null),
  /** The hospital's update server (a folder of installers and latest*.yml), instead of the built-in one. */
  updateUrl: ServerUrlSchema.nullable().default(null),
  /** A single-use code from the hospital's admin; spent on the first start to enroll. */
  enrollmentCode: z.string().trim().min(1).max(200).nullable().default(null),
  settings: WorkstationSettingsSchema.partial().default({}),
  /**
   * What this workstation holds and how it syncs first (docs/SYNC.md "Scope", "Snapshot first
   * sync"). `dischargedWithinDays` null: the whole hospital (the default); a number: the scoped
   * replica, clinical rows only of current stays and of stays discharged within that many days.
   */
  replica: z
    .object({
      snapshot: z.boolean().default(true),
      dischargedWithinDays: z.number().int().min(1).max(3650).nullable().default(null),
      keepOpenedStayDays: z.number().int().min(1).max(365).default(DEFAULT_KEEP_OPENED_STAY_DAYS),
    })
    .default({
      snapshot: true,
      dischargedWithinDays: null,
      keepOpenedStayDays: DEFAULT_KEEP_OPENED_STAY_DAYS,
    }),
  /**
   * IT's rescue public key (RSA, PEM): a workstation seals its unsent changes to it when IT
   * exports them to a rescue file (docs/SYNC.md "A rescue file"). Relative to the config file's
   * folder; null: no rescue file can be made here.
   */
  rescueKeyFile: z.string().trim().min(1).max(4096).nullable().default(null),
  /** Write each ward's downtime pack as PDF to a folder on a schedule (issue 17); null: never. */
  downtimePack: DowntimePackScheduleSchema.nullable().default(null),
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
    // The server address rule says what to write instead; IT should read it here, not guess.
    const address = parsed.error.issues.find(
      (issue) =>
        (issue.path[0] === 'serverUrl' || issue.path[0] === 'updateUrl') && issue.code === 'custom',
    );
    // Likewise a setting above its limit (the idle lock's 30 minutes) says what the limit is.
    const setting = parsed.error.issues.find(
      (issue) => issue.path[0] === 'settings' && issue.code === 'too_big',
    );
    const why = address
      ? ` ${String(address.path[0])}: ${address.message}`
      : setting
        ? ` ${setting.path.join('.')}: ${setting.message}`
        : '';
    throw new MachineConfigError(
      `The Wardline configuration file ${path} has invalid settings (${fields}).${why} Ask IT to fix it.`,
    );
  }
  const { caFile, rescueKeyFile } = parsed.data;
  const beside = (file: string | null) => (file === null ? null : resolve(dirname(path), file));
  return { ...parsed.data, caFile: beside(caFile), rescueKeyFile: beside(rescueKeyFile) };
}
