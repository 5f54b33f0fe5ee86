/** Developer overrides in an installed build: ignored; debugging switches: refused. */
import { describe, expect, it } from 'vitest';
import {
  decideLaunch,
  refusedSwitchMessage,
  switchName,
} from '../../../main/shell/launch-settings';
import { machineConfigPath } from '../../../main/config';

const developerEnv = {
  PATH: '/usr/bin',
  HOME: '/home/nurse',
  WARDLINE_RENDERER_DIR: '/tmp/other-renderer',
  WARDLINE_CONFIG: '/tmp/config.json',
  WARDLINE_SERVER_URL: 'http://10.0.0.66:8080',
  WARDLINE_ENROLLMENT_CODE: 'ABCD-EFGH',
  Wardline_Something_New: 'x',
};
const argv = ['/opt/Wardline/wardline'];

describe('launch settings', () => {
  it('keep every developer override in an unpackaged (developer) build', () => {
    const launch = decideLaunch({ env: developerEnv, argv, isPackaged: false, platform: 'linux' });
    expect(launch.env).toBe(developerEnv);
    expect(launch.ignoredOverrides).toEqual([]);
    expect(machineConfigPath('linux', launch.env)).toBe('/tmp/config.json');
  });

  it('drop every WARDLINE_* variable, whatever its case, in a packaged build', () => {
    const launch = decideLaunch({ env: developerEnv, argv, isPackaged: true, platform: 'linux' });
    expect(launch.env).toEqual({ PATH: '/usr/bin', HOME: '/home/nurse' });
    expect(launch.ignoredOverrides).toEqual([
      'WARDLINE_CONFIG',
      'WARDLINE_ENROLLMENT_CODE',
      'WARDLINE_RENDERER_DIR',
      'WARDLINE_SERVER_URL',
      'Wardline_Something_New',
    ]);
    // The config file is then the one IT deployed, not the one named in the environment.
    expect(machineConfigPath('linux', launch.env)).toBe('/etc/wardline/config.json');
    expect(launch.refusedSwitches).toEqual([]);
  });

  it('refuse debugging and trust-weakening switches in a packaged build, in any spelling', () => {
    const launch = decideLaunch({
      env: {},
      argv: [
        ...argv,
        '--remote-debugging-port=9222',
        '-ignore-certificate-errors',
        '--no-sandbox',
        '--lang=en-GB',
        '--',
        '--inspect',
      ],
      isPackaged: true,
      platform: 'linux',
    });
    expect(launch.refusedSwitches).toEqual([
      'remote-debugging-port',
      'ignore-certificate-errors',
      'no-sandbox',
    ]);
    expect(refusedSwitchMessage(launch.refusedSwitches)).toMatch(
      /^Wardline was started with --remote-debugging-port, --ignore-certificate-errors, --no-sandbox, .*ask IT\.$/,
    );
    const windows = decideLaunch({
      env: {},
      argv: ['C:\\Wardline\\Wardline.exe', '/Remote-Debugging-Port=9222', '/tmp-file'],
      isPackaged: true,
      platform: 'win32',
    });
    expect(windows.refusedSwitches).toEqual(['remote-debugging-port']);
    const developer = decideLaunch({
      env: {},
      argv: [...argv, '--remote-debugging-port=9222'],
      isPackaged: false,
      platform: 'linux',
    });
    expect(developer.refusedSwitches).toEqual([]);
  });

  it('read a switch name the way Chromium does', () => {
    expect(switchName('--proxy-server=http://x', 'linux')).toBe('proxy-server');
    expect(switchName('-inspect', 'darwin')).toBe('inspect');
    expect(switchName('/inspect', 'linux')).toBeNull();
    expect(switchName('/inspect', 'win32')).toBe('inspect');
    expect(switchName('notes.txt', 'linux')).toBeNull();
    expect(switchName('--', 'linux')).toBeNull();
  });
});
