/**
 * The downtime pack (issue 17): what a ward needs on paper if every screen goes dark — the census,
 * the MAR of the next 24 hours with a tick box per scheduled dose, the last 24 hours of vitals,
 * pending labs and the handoff notes. Built from the replica (main/services/downtime-pack.ts) so
 * it prints offline; this file turns that data into one HTML document, the same for the app's
 * printToPDF and the tests' Chromium.
 */
import type { Allergy } from '../catalog/care';
import {
  escapeHtml,
  formatClock,
  formatPrintedTime,
  lastSyncLine,
  printDocument,
} from './print-html';

export interface DowntimePatient {
  visitId: string;
  bed: string | null;
  name: string;
  mrn: string;
  age: number | null;
  allergies: Allergy[];
  attending: string | null;
}

export interface DowntimeDose {
  visitId: string;
  drug: string;
  dose: string;
  route: string;
  scheduledFor: string;
  /** What is charted already for this time, e.g. "given" (a dose charted early). */
  charted: string | null;
}

export interface DowntimeVitals {
  visitId: string;
  recordedAt: string;
  temperatureC: number | null;
  heartRate: number | null;
  systolic: number | null;
  diastolic: number | null;
  respiratoryRate: number | null;
  spo2: number | null;
}

export interface DowntimeLab {
  visitId: string;
  testName: string;
  urgency: string;
  status: string;
  orderedAt: string;
}

export interface DowntimeNote {
  visitId: string;
  recordedAt: string;
  author: string | null;
  body: string;
}

export interface DowntimePack {
  ward: { code: string; name: string };
  generatedAt: string;
  lastSyncAt: string | null;
  /** The workstation's offset from UTC when the pack was made: times print as the ward reads them. */
  utcOffsetMinutes: number;
  patients: DowntimePatient[];
  doses: DowntimeDose[];
  vitals: DowntimeVitals[];
  labs: DowntimeLab[];
  handoffs: DowntimeNote[];
  /** Doses charted on the ward in the last 24 h, and how many of them after a wristband scan. */
  wristbandScans: { scanned: number; charted: number };
}

const cell = (value: string | number | null) =>
  `<td>${value === null ? '—' : escapeHtml(String(value))}</td>`;
/** A cell that must not wrap: a time, or the tick boxes a nurse fills in. */
const keep = (value: string) => `<td class="keep">${value}</td>`;
const head = (...names: string[]) =>
  `<tr>${names.map((name) => `<th>${escapeHtml(name)}</th>`).join('')}</tr>`;

function allergyText(allergies: Allergy[]): string {
  if (allergies.length === 0) return 'No known allergies';
  return allergies
    .map((a) => [a.substance, a.severity, a.reaction].filter(Boolean).join(' · '))
    .join('; ');
}

function census(pack: DowntimePack): string {
  const rows = pack.patients.map(
    (p) =>
      `<tr>${cell(p.bed ?? 'no bed')}${cell(p.name)}${cell(p.mrn)}${cell(p.age)}${cell(allergyText(p.allergies))}${cell(p.attending)}</tr>`,
  );
  return `<h2>Census</h2><table>${head('Bed', 'Patient', 'MRN', 'Age', 'Allergies', 'Attending')}${rows.join('')}</table>`;
}

/** One block per patient, so a sheet can be torn off and taken to the bed. */
function perPatient(
  pack: DowntimePack,
  title: string,
  render: (patient: DowntimePatient) => string,
): string {
  const blocks = pack.patients.map(
    (p) => `<h3>${escapeHtml(`${p.bed ?? 'No bed'} · ${p.name} · MRN ${p.mrn}`)}</h3>${render(p)}`,
  );
  return `<div class="section"><h2>${escapeHtml(title)}</h2>${blocks.join('')}</div>`;
}

function mar(pack: DowntimePack, patient: DowntimePatient): string {
  const doses = pack.doses.filter((d) => d.visitId === patient.visitId);
  if (doses.length === 0) return '<p class="muted">No scheduled doses in the next 24 hours.</p>';
  const at = (iso: string) => formatPrintedTime(iso, pack.utcOffsetMinutes);
  const rows = doses.map(
    (d) =>
      `<tr>${keep(escapeHtml(at(d.scheduledFor)))}${cell(d.drug)}${cell(`${d.dose} ${d.route}`)}${cell(d.charted ? `charted: ${d.charted}` : null)}${keep('<span class="tick"></span> given <span class="tick"></span> held <span class="tick"></span> refused')}<td></td></tr>`,
  );
  return `<table>${head('Due', 'Drug', 'Dose', 'Already charted', 'Tick', 'Initials / time')}${rows.join('')}</table>`;
}

function vitals(pack: DowntimePack, patient: DowntimePatient): string {
  const readings = pack.vitals.filter((v) => v.visitId === patient.visitId);
  if (readings.length === 0) return '<p class="muted">No vitals in the last 24 hours.</p>';
  const bp = (v: DowntimeVitals) =>
    v.systolic === null || v.diastolic === null ? null : `${v.systolic}/${v.diastolic}`;
  const rows = readings.map(
    (v) =>
      `<tr>${keep(escapeHtml(formatPrintedTime(v.recordedAt, pack.utcOffsetMinutes)))}${cell(v.temperatureC === null ? null : v.temperatureC.toFixed(1))}${cell(v.heartRate)}${cell(bp(v))}${cell(v.respiratoryRate)}${cell(v.spo2)}</tr>`,
  );
  return `<table>${head('Time', 'Temp °C', 'HR /min', 'BP mmHg', 'RR /min', 'SpO₂ %')}${rows.join('')}</table>`;
}

function labsAndHandoffs(pack: DowntimePack, patient: DowntimePatient): string {
  const labs = pack.labs.filter((l) => l.visitId === patient.visitId);
  const notes = pack.handoffs.filter((n) => n.visitId === patient.visitId);
  const labText =
    labs.length === 0
      ? '<p class="muted">No pending labs.</p>'
      : `<table>${head('Test', 'Urgency', 'Status', 'Ordered')}${labs
          .map(
            (l) =>
              `<tr>${cell(l.testName)}${cell(l.urgency)}${cell(l.status)}${cell(formatPrintedTime(l.orderedAt, pack.utcOffsetMinutes))}</tr>`,
          )
          .join('')}</table>`;
  const noteText =
    notes.length === 0
      ? '<p class="muted">No handoff notes in the last 24 hours.</p>'
      : notes
          .map(
            (n) =>
              `<p><strong>${escapeHtml(`${formatClock(n.recordedAt, pack.utcOffsetMinutes)} ${n.author ?? ''}`)}</strong> ${escapeHtml(n.body)}</p>`,
          )
          .join('');
  return `<p><strong>Pending labs</strong></p>${labText}<p><strong>Handoff notes</strong></p>${noteText}`;
}

export function downtimePackTitle(pack: Pick<DowntimePack, 'ward'>): string {
  return `Downtime pack ${pack.ward.code} ${pack.ward.name}`;
}

export function renderDowntimePackHtml(pack: DowntimePack): string {
  const { scanned, charted } = pack.wristbandScans;
  const body = [
    `<h1>${escapeHtml(downtimePackTitle(pack))}</h1>`,
    `<p>Printed ${escapeHtml(formatPrintedTime(pack.generatedAt, pack.utcOffsetMinutes))} from this workstation's copy of the records. ${escapeHtml(lastSyncLine(pack.lastSyncAt, pack.utcOffsetMinutes))}. Anything charted elsewhere since then is not on these pages.</p>`,
    `<p>Wristband scanned before ${String(scanned)} of ${String(charted)} doses charted on this ward in the last 24 hours.</p>`,
    census(pack),
    perPatient(pack, 'Medication administration record: next 24 hours', (p) => mar(pack, p)),
    perPatient(pack, 'Vitals: last 24 hours', (p) => vitals(pack, p)),
    perPatient(pack, 'Pending labs and handoff notes', (p) => labsAndHandoffs(pack, p)),
  ].join('\n');
  return printDocument({
    title: downtimePackTitle(pack),
    body,
    footer: `${downtimePackTitle(pack)} · ${lastSyncLine(pack.lastSyncAt, pack.utcOffsetMinutes)}`,
  });
}
