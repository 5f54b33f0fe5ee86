/**
 * What every printed Wardline page shares: escaping, a plain black-on-white page, and the line
 * that says how fresh the data is. Printed pages outlive the screen they came from, so the time of
 * the last sync is on every sheet (a `position: fixed` footer repeats on each printed page).
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text from the replica goes into the page as text, never as markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

/** 2026-12-01T20:05:00.000Z → "01 Dec 2026 20:05" in the workstation's time zone offset given. */
export function formatPrintedTime(iso: string, utcOffsetMinutes: number): string {
  const at = new Date(Date.parse(iso) + utcOffsetMinutes * 60_000);
  const months = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
  ];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(at.getUTCDate())} ${months[at.getUTCMonth()] ?? ''} ${String(at.getUTCFullYear())} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}`;
}

/** "HH:MM" of an instant, in the given offset. */
export function formatClock(iso: string, utcOffsetMinutes: number): string {
  return formatPrintedTime(iso, utcOffsetMinutes).slice(-5);
}

/** The workstation's offset from UTC at `now`: printed times read as the ward's clocks. */
export const localUtcOffsetMinutes = (now: Date) => -now.getTimezoneOffset();

export function lastSyncLine(lastSyncAt: string | null, utcOffsetMinutes: number): string {
  return lastSyncAt
    ? `Last synced with the server: ${formatPrintedTime(lastSyncAt, utcOffsetMinutes)}`
    : 'Never synced with the server: this workstation holds only what was entered on it';
}

const BASE_STYLE = `
  @page { size: A4; margin: 14mm 12mm 18mm 12mm; }
  * { box-sizing: border-box; }
  body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 9.5pt; color: #000; background: #fff; margin: 0; }
  h1 { font-size: 15pt; margin: 0 0 2mm; }
  h2 { font-size: 12pt; margin: 5mm 0 2mm; border-bottom: 1px solid #000; }
  h3 { font-size: 10pt; margin: 3mm 0 1mm; }
  table { border-collapse: collapse; width: 100%; page-break-inside: auto; }
  th, td { border: 1px solid #555; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
  th { background: #eee; }
  tr { page-break-inside: avoid; }
  .section { page-break-before: always; }
  .keep { white-space: nowrap; }
  .tick { display: inline-block; width: 4mm; height: 4mm; border: 1px solid #000; }
  .muted { color: #333; }
  .sync-footer { position: fixed; bottom: -12mm; left: 0; right: 0; font-size: 8pt; border-top: 1px solid #000; padding-top: 1mm; }
`;

/** A whole printable document: the caller's body, the shared style and the sync footer. */
export function printDocument(options: {
  title: string;
  body: string;
  footer: string;
  style?: string;
}): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(options.title)}</title>`,
    `<style>${BASE_STYLE}${options.style ?? ''}</style>`,
    '</head><body>',
    `<div class="sync-footer">${escapeHtml(options.footer)}</div>`,
    options.body,
    '</body></html>',
  ].join('\n');
}
