/**
 * The decision the Electron app makes for a server certificate the OS does not trust, with real
 * certificates made by openssl: the hospital CA's own, for the host asked, valid today.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issuedByHospitalCa, readHospitalCa } from '../../../main/sync/hospital-ca';
import { MachineConfigError } from '../../../main/config';
import { makeTestCertificates, type TestCertificates } from '../../support/certificates';

let hospital: TestCertificates;
let stranger: TestCertificates;

beforeAll(() => {
  hospital = makeTestCertificates();
  stranger = makeTestCertificates();
});
afterAll(() => {
  hospital.remove();
  stranger.remove();
});

const now = () => new Date();

describe("a certificate the OS refused, judged against the hospital's CA", () => {
  it("trusts the CA's certificate for the server's address, with or without the CA in the chain", () => {
    for (const hostname of ['127.0.0.1', 'localhost'])
      expect(
        issuedByHospitalCa(hospital.caPem, { hostname, chain: [hospital.cert], now: now() }),
      ).toBe(true);
    expect(
      issuedByHospitalCa(hospital.caPem, {
        hostname: '127.0.0.1',
        chain: [hospital.cert, hospital.caPem],
        now: now(),
      }),
    ).toBe(true);
  });

  it('refuses another host, another CA, an expired certificate and the CA posing as a server', () => {
    const judge = (caPem: string, hostname: string, chain: string[], at = now()) =>
      issuedByHospitalCa(caPem, { hostname, chain, now: at });
    expect(judge(hospital.caPem, 'wardline.ngh.example', [hospital.cert])).toBe(false);
    expect(judge(hospital.caPem, '10.0.0.1', [hospital.cert])).toBe(false);
    expect(judge(hospital.caPem, '127.0.0.1', [stranger.cert])).toBe(false);
    expect(judge(hospital.caPem, '127.0.0.1', [stranger.cert, hospital.caPem])).toBe(false);
    expect(judge(stranger.caPem, '127.0.0.1', [hospital.cert])).toBe(false);
    const inThreeDays = new Date(Date.now() + 3 * 86_400_000);
    expect(judge(hospital.caPem, '127.0.0.1', [hospital.cert], inThreeDays)).toBe(false);
    expect(judge(hospital.caPem, '127.0.0.1', [])).toBe(false);
    expect(judge(hospital.caPem, '127.0.0.1', [hospital.caPem])).toBe(false);
    // A server certificate given as the CA signs nothing.
    expect(judge(hospital.cert, '127.0.0.1', [hospital.cert])).toBe(false);
  });

  it('stops the start when caFile is not a certificate', () => {
    expect(readHospitalCa(hospital.caFile)).toContain('BEGIN CERTIFICATE');
    expect(() => readHospitalCa(hospital.keyFile)).toThrow(MachineConfigError);
    expect(() => readHospitalCa(`${hospital.dir}/missing.pem`)).toThrow(/cannot be read/);
  });
});
