/**
 * Which central-server addresses a workstation may talk to. Device tokens, passwords and charts
 * cross the ward network, so plain `http://` is refused unless the server runs on this very
 * computer (a loopback address: 127.0.0.0/8, ::1, localhost), where nothing crosses a network.
 * One rule for the machine config file, the enrollment screen and the sync engine alike.
 */
import { z } from 'zod';

export type ServerAddressRefusal = 'malformed' | 'credentials' | 'insecure';

export type ServerAddressCheck =
  { ok: true; url: URL } | { ok: false; refusal: ServerAddressRefusal; message: string };

export const INSECURE_ADDRESS_MESSAGE =
  'Wardline connects to its server only over https://, so that passwords and patient data are encrypted on the network. Use the https:// address of the server; plain http:// is accepted only for a server on this computer.';

const MESSAGES: Record<ServerAddressRefusal, string> = {
  malformed: 'Enter the server address, starting with https://',
  credentials: 'Leave the user name and password out of the server address',
  insecure: INSECURE_ADDRESS_MESSAGE,
};

/** The URL parser has already normalised the host: `0x7f.1` is `127.0.0.1`, `[0::1]` is `[::1]`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function checkServerAddress(address: string): ServerAddressCheck {
  const refuse = (refusal: ServerAddressRefusal): ServerAddressCheck => ({
    ok: false,
    refusal,
    message: MESSAGES[refusal],
  });
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    return refuse('malformed');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return refuse('malformed');
  if (url.hostname === '') return refuse('malformed');
  if (url.username !== '' || url.password !== '') return refuse('credentials');
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) return refuse('insecure');
  return { ok: true, url };
}

/** A server address as typed or configured: trimmed, and allowed by {@link checkServerAddress}. */
export const ServerUrlSchema = z
  .string()
  .trim()
  .superRefine((address, ctx) => {
    const checked = checkServerAddress(address);
    if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.message });
  });
