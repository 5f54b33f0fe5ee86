/**
 * Whether a certificate chain the OS did not trust was issued by the hospital's own CA (the
 * machine config's `caFile`) for the host asked for, and is valid now. The Electron app asks this
 * of every certificate Chromium refused on the server's connection (main/app/server-fetch.ts);
 * kept apart from Electron so it is tested with real certificates.
 */
import type { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { parseCertificates } from './server-fetch';

export interface PresentedChain {
  /** The host the connection was made to, as in the server address. */
  hostname: string;
  /** PEM of each certificate the server presented, the server's own first. */
  chain: readonly string[];
  now: Date;
}

const validAt = (certificate: X509Certificate, now: Date) =>
  Date.parse(certificate.validFrom) <= now.getTime() &&
  now.getTime() <= Date.parse(certificate.validTo);

const issued = (issuer: X509Certificate, subject: X509Certificate) =>
  subject.checkIssued(issuer) && subject.verify(issuer.publicKey);

function namesHost(certificate: X509Certificate, hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) !== 0
    ? certificate.checkIP(host) !== undefined
    : certificate.checkHost(host) !== undefined;
}

export function issuedByHospitalCa(caPem: string, presented: PresentedChain): boolean {
  const authorities = parseCertificates(caPem).filter((ca) => ca.ca);
  const chain = presented.chain.flatMap((pem) => parseCertificates(pem));
  const [leaf] = chain;
  if (!leaf || !namesHost(leaf, presented.hostname)) return false;
  // Walk up from the server's certificate until one is signed by the hospital CA; every link
  // must be signed by the next and valid today.
  for (const [index, certificate] of chain.entries()) {
    if (!validAt(certificate, presented.now)) return false;
    if (authorities.some((ca) => validAt(ca, presented.now) && issued(ca, certificate)))
      return true;
    const issuer = chain[index + 1];
    if (!issuer || !issuer.ca || !issued(issuer, certificate)) return false;
  }
  return false;
}
