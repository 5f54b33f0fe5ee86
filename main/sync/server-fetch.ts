/**
 * How the workstation reaches its server outside Electron (tests, the browser harness, the web
 * demo): Node's fetch, trusting the hospital's own certificate authority (the machine config's
 * `caFile`) besides Node's usual roots, on this one connection only: nothing else in the process
 * learns to trust that CA. The Electron app uses net.fetch instead (main/app/server-fetch.ts).
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';
import { MachineConfigError } from '../config';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM bundle, each parsed, so a broken file is named at start. */
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

/** Node's fetch for the server's connection; with `ca`, that CA is trusted there too. */
export function nodeServerFetch(ca: string | null): typeof fetch {
  if (ca === null) return fetch;
  const dispatcher = new Agent({ connect: { ca: [...rootCertificates, ca] } });
  return (input, init) => {
    // Node's fetch takes undici's `dispatcher`; the DOM's RequestInit type does not list it.
    const throughHospitalCa: RequestInit & { dispatcher: Agent } = { ...init, dispatcher };
    return fetch(input, throughHospitalCa);
  };
}
