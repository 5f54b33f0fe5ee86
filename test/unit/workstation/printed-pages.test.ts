/**
 * The printed pages' text rules (issue 17): what comes from the records is text, never markup;
 * ages as a census counts them; the last sync said on the page whatever it was.
 */
import { describe, expect, it } from 'vitest';
import { ageOn } from '../../../main/services/downtime-pack';
import { renderDowntimePackHtml, type DowntimePack } from '../../../shared/print/downtime-pack';
import { escapeHtml, lastSyncLine } from '../../../shared/print/print-html';
import { renderWristbandHtml } from '../../../shared/print/wristband';

const pack: DowntimePack = {
  ward: { code: 'MED-A', name: 'Medical <Ward> A' },
  generatedAt: '2026-11-23T08:00:00.000Z',
  lastSyncAt: '2026-11-23T07:58:00.000Z',
  utcOffsetMinutes: 60,
  patients: [
    {
      visitId: 'v1',
      bed: 'A-01',
      name: 'O’BRIEN, <b>Seán</b>',
      mrn: 'NGH-000009',
      age: 54,
      allergies: [{ substance: 'Penicillin <script>alert(1)</script>', severity: 'severe' }],
      attending: null,
    },
  ],
  doses: [],
  vitals: [],
  labs: [],
  handoffs: [
    { visitId: 'v1', recordedAt: '2026-11-23T06:00:00.000Z', author: 'Nina', body: 'a & b' },
  ],
  wristbandScans: { scanned: 0, charted: 0 },
};

describe('printed pages', () => {
  it('print what the records hold as text, never as markup', () => {
    const html = renderDowntimePackHtml(pack);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>Seán</b>');
    expect(html).toContain('Penicillin &lt;script&gt;alert(1)&lt;/script&gt; · severe');
    expect(html).toContain('a &amp; b');
    expect(escapeHtml(`"'<>&`)).toBe('&quot;&#39;&lt;&gt;&amp;');
  });

  it('print times in the workstation’s offset and the last sync on the page footer', () => {
    const html = renderDowntimePackHtml(pack);
    expect(html).toContain('Printed 23 Nov 2026 09:00');
    expect(html).toMatch(/class="sync-footer">[^<]*Last synced with the server: 23 Nov 2026 08:58/);
    expect(lastSyncLine(null, 0)).toMatch(/^Never synced/);
  });

  it('count a census age in whole years, the birthday itself included', () => {
    const now = new Date('2026-11-23T08:00:00.000Z');
    expect(ageOn('1961-11-23', now)).toBe(65);
    expect(ageOn('1961-11-24', now)).toBe(64);
    expect(ageOn(null, now)).toBeNull();
  });

  it('draw a wristband with the MRN as a Code 128 and a QR code, and the labels asked for', () => {
    const html = renderWristbandHtml({
      patient: {
        mrn: 'NGH-000009',
        name: 'DOE, Jane',
        dateOfBirth: '1970-01-01',
        sex: 'female',
        allergies: [],
        ward: 'Medical Ward A',
        bed: 'A-01',
      },
      printedAt: '2026-11-23T08:00:00.000Z',
      lastSyncAt: null,
      utcOffsetMinutes: 0,
      labels: 3,
    });
    expect(html.match(/data-print="specimen-label"/g)).toHaveLength(3);
    expect(html).toMatch(/data-barcode="code128"><svg/);
    expect(html).toMatch(/data-barcode="qr"><svg/);
  });
});
