/**
 * How the Electron app reaches its server: Chromium's network stack (net.fetch) on a session of
 * its own, so the OS's proxy settings and trust store apply. With a hospital CA in the machine
 * config, a certificate the OS refuses is accepted on this session only when that CA issued it
 * for the server's host (main/sync/hospital-ca.ts); the window's session never trusts it.
 */
import { session, type Certificate } from 'electron';
import { issuedByHospitalCa } from '../sync/hospital-ca';

/** Chromium's verdicts for setCertificateVerifyProc: 0 trusts, -3 keeps Chromium's own. */
const TRUSTED = 0;
const CHROMIUM_DECIDES = -3;

/**
 * The presented chain as PEM, the server's own first. A self-signed root names itself as its
 * issuer, and Electron leaves `issuerCert` out at the end of some chains.
 */
function chainOf(certificate: Partial<Certificate> | undefined, chain: string[] = []): string[] {
  const pem = certificate?.data;
  if (pem === undefined || chain.length >= 8 || chain.includes(pem)) return chain;
  chain.push(pem);
  return chainOf(certificate?.issuerCert, chain);
}

export function electronServerFetch(caPem: string | null): typeof fetch {
  const serverSession = session.fromPartition('wardline-server');
  if (caPem !== null) {
    serverSession.setCertificateVerifyProc((request, callback) => {
      if (request.errorCode === 0) {
        callback(CHROMIUM_DECIDES);
        return;
      }
      const trusted = issuedByHospitalCa(caPem, {
        hostname: request.hostname,
        chain: chainOf(request.certificate),
        now: new Date(),
      });
      callback(trusted ? TRUSTED : CHROMIUM_DECIDES);
    });
  }
  return (input, init) => serverSession.fetch(input instanceof URL ? input.href : input, init);
}
