/**
 * The patient's wristband and specimen labels (issue 17): the MRN as a Code 128 barcode and as a
 * QR code, drawn as SVG by bwip-js (pure JavaScript, so the same markup comes out of the app and
 * the tests). A bedside scanner types what it reads followed by Enter, like a keyboard: the MRN
 * alone, so patient search and the dose modal take it as typed.
 */
import { toSVG } from 'bwip-js/generic';
import type { Allergy } from '../catalog/care';
import { escapeHtml, formatPrintedTime, lastSyncLine, printDocument } from './print-html';

export interface WristbandPatient {
  mrn: string;
  name: string;
  dateOfBirth: string;
  sex: string;
  allergies: Allergy[];
  ward: string | null;
  bed: string | null;
}

export interface WristbandPrint {
  patient: WristbandPatient;
  printedAt: string;
  lastSyncAt: string | null;
  utcOffsetMinutes: number;
  /** Specimen labels printed with the band. */
  labels: number;
}

// A quiet zone either side: a scanner does not find the first bar without one.
export function mrnBarcodeSvg(mrn: string): string {
  return toSVG({
    bcid: 'code128',
    text: mrn,
    height: 9,
    scale: 2,
    paddingwidth: 10,
    paddingheight: 2,
    backgroundcolor: 'FFFFFF',
    includetext: true,
    textxalign: 'center',
  });
}

export function mrnQrSvg(mrn: string): string {
  return toSVG({ bcid: 'qrcode', text: mrn, scale: 2, paddingwidth: 2, paddingheight: 2 });
}

const STYLE = `
  .band { border: 1px dashed #000; width: 190mm; height: 28mm; display: flex; align-items: center; gap: 4mm; padding: 2mm 4mm; margin-bottom: 6mm; }
  .band .who { flex: 1; }
  .band .name { font-size: 13pt; font-weight: bold; }
  .code128 svg { height: 18mm; width: auto; }
  .qr svg { height: 22mm; width: 22mm; }
  .labels { display: flex; flex-wrap: wrap; gap: 3mm; }
  .label { border: 1px dashed #000; width: 62mm; height: 30mm; padding: 1.5mm; font-size: 8pt; overflow: hidden; }
  .label .code128 svg { height: 12mm; }
`;

export function renderWristbandHtml(print: WristbandPrint): string {
  const { patient } = print;
  const barcode = mrnBarcodeSvg(patient.mrn);
  const allergies =
    patient.allergies.length === 0
      ? 'No known allergies'
      : `ALLERGIES: ${patient.allergies.map((a) => a.substance).join(', ')}`;
  const who = `<div class="name">${escapeHtml(patient.name)}</div><div>MRN ${escapeHtml(patient.mrn)} · born ${escapeHtml(patient.dateOfBirth)} · ${escapeHtml(patient.sex)}</div><div><strong>${escapeHtml(allergies)}</strong></div>`;
  const band = `<div class="band" data-print="wristband"><div class="who">${who}</div><div class="code128" data-barcode="code128">${barcode}</div><div class="qr" data-barcode="qr">${mrnQrSvg(patient.mrn)}</div></div>`;
  const label = `<div class="label" data-print="specimen-label"><div><strong>${escapeHtml(patient.name)}</strong></div><div>MRN ${escapeHtml(patient.mrn)} · born ${escapeHtml(patient.dateOfBirth)}</div><div>${escapeHtml([patient.ward, patient.bed].filter(Boolean).join(' · '))}</div><div class="code128">${barcode}</div></div>`;
  const title = `Wristband ${patient.mrn}`;
  return printDocument({
    title,
    style: STYLE,
    body: `<h1>${escapeHtml(title)}</h1>${band}<h2>Specimen labels</h2><div class="labels">${label.repeat(print.labels)}</div>`,
    footer: `Printed ${formatPrintedTime(print.printedAt, print.utcOffsetMinutes)} · ${lastSyncLine(print.lastSyncAt, print.utcOffsetMinutes)}`,
  });
}
