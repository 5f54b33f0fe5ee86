/**
 * What a start of the desktop app may be told from outside. Developers and the main job point
 * it at another renderer folder, config file, server or enrollment code with WARDLINE_*
 * variables; on a ward those same variables would let anyone with a shortcut load other code or
 * trust another server, so an installed (packaged) build ignores every one of them. Chromium
 * switches that open a debugging port or weaken certificate and origin checks are refused
 * outright in a packaged build (electron-builder.yml's fuses already remove Node's --inspect
 * and NODE_OPTIONS; there is no fuse for these).
 */

export const DEVELOPER_ENV_PREFIX = 'WARDLINE_';

/** Chromium / Electron switches that would let another program in, or weaken what is trusted. */
export const REFUSED_SWITCHES: readonly string[] = [
  'remote-debugging-port',
  'remote-debugging-pipe',
  'remote-debugging-address',
  'remote-allow-origins',
  'inspect',
  'inspect-brk',
  'inspect-port',
  'js-flags',
  'ignore-certificate-errors',
  'ignore-certificate-errors-spki-list',
  'ignore-urlfetcher-cert-requests',
  'allow-insecure-localhost',
  'unsafely-treat-insecure-origin-as-secure',
  'disable-web-security',
  'no-sandbox',
  'disable-site-isolation-trials',
  'host-rules',
  'host-resolver-rules',
  'proxy-server',
  'proxy-pac-url',
  'user-data-dir',
  'load-extension',
  'enable-logging',
  'log-net-log',
];

export interface LaunchInput {
  env: NodeJS.ProcessEnv;
  /** process.argv: the executable, then the arguments it was started with. */
  argv: readonly string[];
  isPackaged: boolean;
  platform: NodeJS.Platform;
}

export interface LaunchSettings {
  /** The environment the rest of the app reads: without WARDLINE_* in a packaged build. */
  env: NodeJS.ProcessEnv;
  /** WARDLINE_* names that were set and dropped (for the log line, never their values). */
  ignoredOverrides: string[];
  /** Refused switches found on the command line of a packaged build: the app must not start. */
  refusedSwitches: string[];
}

/** The switch name of one argument (`--remote-debugging-port=9222` → `remote-debugging-port`). */
export function switchName(argument: string, platform: NodeJS.Platform): string | null {
  // Chromium also reads `-switch`, and `/switch` on Windows.
  const prefix =
    /^--?/.exec(argument)?.[0] ?? (platform === 'win32' && argument.startsWith('/') ? '/' : null);
  if (prefix === null) return null;
  const name = argument.slice(prefix.length).split('=')[0]?.toLowerCase() ?? '';
  return name === '' ? null : name;
}

export function decideLaunch(input: LaunchInput): LaunchSettings {
  if (!input.isPackaged) return { env: input.env, ignoredOverrides: [], refusedSwitches: [] };
  const env: NodeJS.ProcessEnv = {};
  const ignoredOverrides: string[] = [];
  for (const [name, value] of Object.entries(input.env)) {
    // Windows environment names are case-insensitive: Wardline_Config is WARDLINE_CONFIG there.
    if (name.toUpperCase().startsWith(DEVELOPER_ENV_PREFIX)) ignoredOverrides.push(name);
    else env[name] = value;
  }
  const refusedSwitches: string[] = [];
  // Everything after a bare `--` is an argument, not a switch, to Chromium too.
  const end = input.argv.indexOf('--');
  for (const argument of input.argv.slice(1, end === -1 ? undefined : end)) {
    const name = switchName(argument, input.platform);
    if (name !== null && REFUSED_SWITCHES.includes(name)) refusedSwitches.push(name);
  }
  return { env, ignoredOverrides: ignoredOverrides.sort(), refusedSwitches };
}

/** The sentence the app shows (and exits on) when a refused switch was given. */
export function refusedSwitchMessage(switches: readonly string[]): string {
  return `Wardline was started with ${switches.map((name) => `--${name}`).join(', ')}, which could let another program read patient data, so the installed app does not start that way: start it from its usual shortcut, or ask IT.`;
}
