import { describe, expect, it } from 'vitest';
import {
  checkServerAddress,
  INSECURE_ADDRESS_MESSAGE,
  ServerUrlSchema,
} from '../../../shared/server-address';

const refusal = (address: string) => {
  const checked = checkServerAddress(address);
  return checked.ok ? null : checked.refusal;
};

describe('which server addresses a workstation may use', () => {
  it('takes any https:// address', () => {
    expect(refusal('https://wardline.ngh.example')).toBeNull();
    expect(refusal('https://10.1.2.3:8443/')).toBeNull();
    expect(refusal(' https://[2001:db8::1]:8443 ')).toBeNull();
  });

  it('takes plain http:// only for a server on this computer', () => {
    for (const loopback of [
      'http://127.0.0.1:8080',
      'http://127.255.0.9',
      'http://localhost:8080',
      'http://LOCALHOST',
      'http://[::1]:8080',
      'http://[0:0:0:0:0:0:0:1]/',
      'http://0x7f.1:8080',
    ])
      expect(refusal(loopback), loopback).toBeNull();
    for (const network of [
      'http://10.20.30.40:8080',
      'http://wardline.ngh.example',
      'http://128.0.0.1',
      'http://localhost.ngh.example',
      'http://127.0.0.1.nip.io',
      'http://[::2]',
      'http://[::ffff:10.0.0.1]',
    ])
      expect(refusal(network), network).toBe('insecure');
  });

  it('refuses what is not an address, other schemes, and credentials in the address', () => {
    expect(refusal('wardline.ngh.example')).toBe('malformed');
    expect(refusal('ftp://wardline.ngh.example')).toBe('malformed');
    expect(refusal('')).toBe('malformed');
    expect(refusal('https://it:secret@wardline.ngh.example')).toBe('credentials');
  });

  it('says why and what to do, as a schema for the config file and the enrollment form', () => {
    const parsed = ServerUrlSchema.safeParse('http://10.20.30.40:8080');
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(INSECURE_ADDRESS_MESSAGE);
    expect(INSECURE_ADDRESS_MESSAGE).toMatch(/https:\/\//);
    expect(ServerUrlSchema.parse(' https://wardline.ngh.example ')).toBe(
      'https://wardline.ngh.example',
    );
  });
});
