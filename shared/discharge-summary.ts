/**
 * The first draft of a discharge summary, written from the stay's records (issue 17). A draft
 * generator turns what the replica holds about one stay into text a doctor then edits and
 * approves; nothing it writes reaches a record unreviewed (ai_drafts). Today's generator is
 * deterministic: the same records give the same text, and the text says so in its first line. A
 * language model can be plugged in behind the same interface and the same review.
 */

export interface StayVitals {
  recordedAt: string;
  temperatureC: number | null;
  heartRate: number | null;
  systolic: number | null;
  diastolic: number | null;
  respiratoryRate: number | null;
  spo2: number | null;
}

/** What the replica holds about one stay, already read and in time order. */
export interface StayRecords {
  patient: { name: string; mrn: string; dateOfBirth: string | null };
  admittedAt: string;
  ward: string | null;
  attending: string | null;
  admissionReason: string | null;
  /** emr_local entries: kind and their headed sections (diagnoses, procedures, notes). */
  entries: { kind: string; createdAt: string; sections: Record<string, unknown> }[];
  /** Handoff and care notes of the nurses. */
  nurseNotes: { kind: string; recordedAt: string; body: string }[];
  /** Every prescription of the stay, with how many doses were charted as given. */
  medications: {
    drug: string;
    dose: string;
    frequency: string;
    route: string;
    status: string;
    dosesGiven: number;
  }[];
  /** Oldest first. */
  vitals: StayVitals[];
  pendingLabs: { testName: string; status: string; orderedAt: string }[];
  followUps: { scheduledAt: string; doctor: string | null; reason: string | null }[];
}

export interface DischargeSummaryGenerator {
  /** Stored with the draft (`ai_drafts.generator`) so a reviewer knows what wrote it. */
  readonly name: string;
  draft(records: StayRecords): string;
}

export const DETERMINISTIC_GENERATOR_NAME = 'wardline-records-v1';

const NONE = '(none recorded)';

const day = (iso: string) => iso.slice(0, 10);
const minute = (iso: string) => iso.slice(0, 16).replace('T', ' ');

function section(heading: string, lines: readonly string[]): string {
  return `${heading}\n${lines.length === 0 ? NONE : lines.join('\n')}`;
}

/** An EMR section's key as a reader says it: `presentingComplaint` → "Presenting complaint". */
function inWords(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function entryLines(entries: StayRecords['entries'], kinds: readonly string[]): string[] {
  return entries
    .filter((entry) => kinds.includes(entry.kind))
    .flatMap((entry) =>
      Object.entries(entry.sections).map(
        ([heading, text]) => `- ${day(entry.createdAt)} ${inWords(heading)}: ${String(text)}`,
      ),
    );
}

const MEASURES: readonly { key: keyof StayVitals; label: string; unit: string }[] = [
  { key: 'temperatureC', label: 'Temperature', unit: '°C' },
  { key: 'heartRate', label: 'Heart rate', unit: '/min' },
  { key: 'respiratoryRate', label: 'Respiratory rate', unit: '/min' },
  { key: 'spo2', label: 'SpO2', unit: '%' },
];

/** Each measure's last value and, where it was measured more than once, where it started. */
function vitalsLines(vitals: readonly StayVitals[]): string[] {
  const last = vitals.at(-1);
  if (!last) return [];
  const lines = [`Last set ${minute(last.recordedAt)}:`];
  const trend = (values: (number | null)[]) => values.filter((v): v is number => v !== null);
  for (const { key, label, unit } of MEASURES) {
    const values = trend(vitals.map((v) => v[key] as number | null));
    const final = values.at(-1);
    if (final === undefined) continue;
    const first = values[0];
    const from = values.length > 1 && first !== final ? ` (from ${first}${unit} at admission)` : '';
    lines.push(`- ${label} ${final}${unit}${from}`);
  }
  const pressures = vitals.filter((v) => v.systolic !== null && v.diastolic !== null);
  const lastBp = pressures.at(-1);
  const firstBp = pressures[0];
  if (lastBp && firstBp) {
    const from =
      pressures.length > 1 && firstBp !== lastBp
        ? ` (from ${firstBp.systolic}/${firstBp.diastolic})`
        : '';
    lines.push(`- Blood pressure ${lastBp.systolic}/${lastBp.diastolic} mmHg${from}`);
  }
  lines.push(`(${vitals.length} set${vitals.length === 1 ? '' : 's'} recorded during the stay)`);
  return lines;
}

function medicationLine(m: StayRecords['medications'][number]): string {
  return `- ${m.drug} ${m.dose} ${m.frequency} ${m.route}`;
}

/** The deterministic generator: the stay's records under the headings of a discharge summary. */
export const recordsGenerator: DischargeSummaryGenerator = {
  name: DETERMINISTIC_GENERATOR_NAME,
  draft(records) {
    const continuing = records.medications.filter((m) => m.status === 'active');
    return [
      'Draft assembled by Wardline from the stay’s records (deterministic; no language model). Check and edit every section before approving.',
      `Patient: ${records.patient.name}, MRN ${records.patient.mrn}${records.patient.dateOfBirth ? `, born ${records.patient.dateOfBirth}` : ''}`,
      `Admitted ${minute(records.admittedAt)}${records.ward ? ` to ${records.ward}` : ''}${records.attending ? `, under ${records.attending}` : ''}`,
      section('Reason for admission', records.admissionReason ? [records.admissionReason] : []),
      section(
        'Diagnoses and assessments',
        entryLines(records.entries, ['assessment', 'visit_record']),
      ),
      section('Procedures and imaging', entryLines(records.entries, ['procedure', 'imaging'])),
      section('Notes', [
        ...entryLines(records.entries, ['other']),
        ...records.nurseNotes
          .filter((note) => note.kind === 'handoff')
          .slice(-3)
          .map((note) => `- ${minute(note.recordedAt)} handoff: ${note.body}`),
      ]),
      section(
        'Medication given during the stay',
        records.medications.map(
          (m) => `${medicationLine(m)}: ${m.dosesGiven} dose${m.dosesGiven === 1 ? '' : 's'} given`,
        ),
      ),
      section('Medication to continue', continuing.map(medicationLine)),
      section('Last vital signs and trends', vitalsLines(records.vitals)),
      section(
        'Results pending',
        records.pendingLabs.map(
          (lab) =>
            `- ${lab.testName} (${lab.status.replace('_', ' ')}, ordered ${day(lab.orderedAt)})`,
        ),
      ),
      section(
        'Follow-up',
        records.followUps.map(
          (f) =>
            `- ${minute(f.scheduledAt)}${f.doctor ? ` with ${f.doctor}` : ''}${f.reason ? `: ${f.reason}` : ''}`,
        ),
      ),
    ].join('\n\n');
  },
};
