/**
 * How the workstation reaches its server outside Electron (tests, the browser harness, the web
 * demo): Node's fetch, trusting the hospital's own certificate authority (the machine config's
 * `caFile`) besides Node's usual roots, on this one connection only: nothing else in the process
 * learns to trust that CA. The Electron app uses net.fetch instead (main/app/server-fetch.ts).
 */
import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';

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
