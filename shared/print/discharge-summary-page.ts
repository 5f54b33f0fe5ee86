/**
 * The printable discharge summary: one self-contained HTML page, written in plain code (no
 * template engine, no scripts, no outside resources), printed by Electron's printToPDF in the app
 * and by Chromium's page.pdf() in the tests. A draft prints marked as not approved on every page.
 */

export interface PrintableDischargeSummary {
  hospital: string;
  patient: { name: string; mrn: string; dateOfBirth: string | null };
  admittedAt: string;
  dischargedAt: string | null;
  ward: string | null;
  text: string;
  status: 'draft' | 'reviewed' | 'approved' | 'rejected';
  /** Who approved (or last reviewed) it, and when. */
  reviewedBy: string | null;
  reviewedAt: string | null;
  generator: string;
  printedAt: string;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const minute = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** Paragraphs split on blank lines; the first line of a paragraph of several is its heading. */
function bodyHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((paragraph) => {
      const lines = paragraph.split('\n').map(escapeHtml);
      if (lines.length > 1 && !lines[0]?.startsWith('-'))
        return `<section><h2>${lines[0]}</h2><p>${lines.slice(1).join('<br>')}</p></section>`;
      return `<p>${lines.join('<br>')}</p>`;
    })
    .join('\n');
}

export function dischargeSummaryPage(summary: PrintableDischargeSummary): string {
  const approved = summary.status === 'approved';
  const state = approved
    ? `Approved by ${escapeHtml(summary.reviewedBy ?? 'unknown')}${summary.reviewedAt ? ` on ${minute(summary.reviewedAt)}` : ''}`
    : `NOT APPROVED — ${escapeHtml(summary.status)} draft; not part of the patient's record`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Discharge summary — ${escapeHtml(summary.patient.name)}</title>
<style>
  @page { size: A4; margin: 18mm 16mm; }
  body { font: 11pt/1.4 system-ui, sans-serif; color: #000; }
  header { border-bottom: 2px solid #000; margin-bottom: 8mm; }
  h1 { font-size: 16pt; margin: 0 0 2mm; }
  h2 { font-size: 12pt; margin: 5mm 0 1mm; }
  p { margin: 0 0 2mm; white-space: normal; }
  .state { font-weight: bold; ${approved ? '' : 'color: #b00000; border: 2px solid #b00000; padding: 2mm;'} }
  .meta { font-size: 9pt; }
  footer { margin-top: 8mm; font-size: 8pt; border-top: 1px solid #000; }
</style></head>
<body>
<header>
  <h1>Discharge summary</h1>
  <div>${escapeHtml(summary.hospital)}</div>
  <div><strong>${escapeHtml(summary.patient.name)}</strong> · MRN ${escapeHtml(summary.patient.mrn)}${summary.patient.dateOfBirth ? ` · born ${escapeHtml(summary.patient.dateOfBirth)}` : ''}</div>
  <div class="meta">Admitted ${minute(summary.admittedAt)}${summary.ward ? ` · ${escapeHtml(summary.ward)}` : ''}${summary.dischargedAt ? ` · discharged ${minute(summary.dischargedAt)}` : ''}</div>
  <p class="state">${state}</p>
</header>
<main>
${bodyHtml(summary.text)}
</main>
<footer>First draft written by ${escapeHtml(summary.generator)}; reviewed and edited by a doctor before approval. Printed ${minute(summary.printedAt)}.</footer>
</body></html>
`;
}
