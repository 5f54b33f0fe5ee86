import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineConfigPath, MachineConfigError, readMachineConfig } from '../../../main/config';

describe('machine-wide config', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wardline-config-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('lives where IT expects it on each platform, unless WARDLINE_CONFIG says otherwise', () => {
    expect(machineConfigPath('linux', {})).toBe('/etc/wardline/config.json');
    expect(machineConfigPath('win32', { ProgramData: 'C:\\ProgramData' })).toBe(
      join('C:\\ProgramData', 'Wardline', 'config.json'),
    );
    expect(machineConfigPath('darwin', { WARDLINE_CONFIG: '/x.json' })).toBe('/x.json');
  });

  it('defaults when absent, reads server URL, auto-update and settings, refuses a broken file by field', () => {
    expect(readMachineConfig(join(dir, 'missing.json'))).toEqual({
      serverUrl: null,
      caFile: null,
      autoUpdate: null,
      updateUrl: null,
      enrollmentCode: null,
      settings: {},
      replica: { snapshot: true, dischargedWithinDays: null, keepOpenedStayDays: 7 },
      downtimePack: null,
      rescueKeyFile: null,
    });
    const file = join(dir, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        serverUrl: 'https://wardline.ngh.example',
        autoUpdate: false,
        settings: { idleLockMinutes: 2 },
      }),
    );
    expect(readMachineConfig(file)).toMatchObject({
      serverUrl: 'https://wardline.ngh.example',
      autoUpdate: false,
      settings: { idleLockMinutes: 2, offlineLoginDays: 7 },
    });
    writeFileSync(file, JSON.stringify({ serverUrl: 'ftp://x', autoUpdate: 'yes' }));
    expect(() => readMachineConfig(file)).toThrow(MachineConfigError);
    expect(() => readMachineConfig(file)).toThrow(/serverUrl, autoUpdate/);
    writeFileSync(file, JSON.stringify({ settings: { idleLockMinutes: 240 } }));
    expect(() => readMachineConfig(file)).toThrow(
      /settings\.idleLockMinutes: The idle lock can be at most 30 minutes/,
    );
    writeFileSync(file, '{ not json');
    expect(() => readMachineConfig(file)).toThrow(/not valid JSON/);
  });

  it('takes the hospital update server over https only', () => {
    const file = join(dir, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({ autoUpdate: true, updateUrl: 'https://updates.ngh.example/wardline' }),
    );
    expect(readMachineConfig(file)).toMatchObject({
      autoUpdate: true,
      updateUrl: 'https://updates.ngh.example/wardline',
    });
    writeFileSync(file, JSON.stringify({ updateUrl: 'http://updates.ngh.example/wardline' }));
    expect(() => readMachineConfig(file)).toThrow(
      /\(updateUrl\)\. updateUrl:.*only over https:\/\//,
    );
  });

  it('refuses plain http:// to another computer, saying why, and finds the CA beside the file', () => {
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ serverUrl: 'http://10.20.30.40:8080' }));
    expect(() => readMachineConfig(file)).toThrow(MachineConfigError);
    expect(() => readMachineConfig(file)).toThrow(/serverUrl.*only over https:\/\//);
    writeFileSync(
      file,
      JSON.stringify({ serverUrl: 'https://wardline.ngh.example', caFile: 'hospital-ca.pem' }),
    );
    expect(readMachineConfig(file).caFile).toBe(join(dir, 'hospital-ca.pem'));
    writeFileSync(file, JSON.stringify({ serverUrl: 'http://127.0.0.1:8080' }));
    expect(readMachineConfig(file).serverUrl).toBe('http://127.0.0.1:8080');
  });

  it('finds the rescue public key beside the file', () => {
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ rescueKeyFile: 'rescue-public.pem' }));
    expect(readMachineConfig(file).rescueKeyFile).toBe(join(dir, 'rescue-public.pem'));
  });
});
