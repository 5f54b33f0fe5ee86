/**
 * The hospital's own certificate authority (the machine config's `caFile`): read and checked at
 * start, and asked whether a certificate chain the OS did not trust was issued by it for the host
 * asked for, and is valid now. The Electron app asks that of every certificate Chromium refused
 * on the server's connection (main/app/server-fetch.ts); kept apart from Electron so it is tested
 * with real certificates.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { MachineConfigError } from '../config';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM bundle, each parsed (a malformed one throws). */
export function parseCertificates(pem: string): X509Certificate[] {
  return (pem.match(PEM_CERTIFICATE) ?? []).map((block) => new X509Certificate(block));
}

/** The CA file IT named, read and checked: a file that is not a certificate stops the start. */
export function readHospitalCa(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch {
    throw new MachineConfigError(
      `The hospital CA file ${path} named in the Wardline configuration (caFile) cannot be read. Ask IT to fix it.`,
    );
  }
  let certificates: X509Certificate[] = [];
  try {
    certificates = parseCertificates(pem);
  } catch {
    certificates = [];
  }
  if (certificates.length === 0) {
    throw new MachineConfigError(
      `The hospital CA file ${path} named in the Wardline configuration (caFile) holds no PEM certificate. Ask IT to fix it.`,
    );
  }
  return pem;
}

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
