/**
 * Records and their fields as people on the ward call them, for every screen that shows a change
 * rather than a form: the reconciliation inbox (conflicts, refused changes), the outbox list and
 * the clinical alerts. A field without a label here is read from its camelCase name ("dateOfBirth"
 * → "Date of birth"), so a new column is never shown raw; a test holds that every label names a
 * real column of the catalog.
 */
import { findSyncedTable } from './catalog';
import type { ColumnSpec } from './catalog/columns';

export interface FieldWords {
  label: string;
  /** Written after a number: "128 /min". */
  unit?: string;
}

export interface RecordWords {
  /** One record, as in "a ___ was changed": "vital signs", "dose record". */
  noun: string;
  /** What a new record of this kind means: "Vital signs recorded". */
  inserted: string;
  fields: Readonly<Record<string, FieldWords>>;
}

const SYNC_FIELDS: Readonly<Record<string, FieldWords>> = {
  updatedBy: { label: 'Last changed by' },
  updatedAt: { label: 'Last changed' },
  createdAt: { label: 'Created' },
  deletedAt: { label: 'Removed' },
};

export const RECORD_WORDS: Readonly<Record<string, RecordWords>> = {
  patients: {
    noun: 'patient details',
    inserted: 'Patient registered',
    fields: {
      mrn: { label: 'MRN' },
      firstName: { label: 'First name' },
      lastName: { label: 'Last name' },
      dateOfBirth: { label: 'Date of birth' },
      emergencyContactName: { label: 'Emergency contact' },
      emergencyContactPhone: { label: 'Emergency contact phone' },
    },
  },
  visits: {
    noun: 'stay',
    inserted: 'Patient admitted',
    fields: {
      patientId: { label: 'Patient' },
      wardId: { label: 'Ward' },
      bedId: { label: 'Bed' },
      attendingDoctorId: { label: 'Attending doctor' },
      status: { label: 'Status of the stay' },
      admissionReason: { label: 'Reason for admission' },
      admittedAt: { label: 'Admitted' },
      dischargedAt: { label: 'Discharged' },
      dischargeSummary: { label: 'Discharge summary' },
    },
  },
  vitals: {
    noun: 'vital signs',
    inserted: 'Vital signs recorded',
    fields: {
      recordedAt: { label: 'Taken' },
      temperatureC: { label: 'Temperature', unit: '°C' },
      heartRate: { label: 'Heart rate', unit: '/min' },
      systolic: { label: 'Systolic blood pressure', unit: 'mmHg' },
      diastolic: { label: 'Diastolic blood pressure', unit: 'mmHg' },
      respiratoryRate: { label: 'Respiratory rate', unit: '/min' },
      spo2: { label: 'SpO₂', unit: '%' },
      weightKg: { label: 'Weight', unit: 'kg' },
      heightCm: { label: 'Height', unit: 'cm' },
      bmi: { label: 'BMI', unit: 'kg/m²' },
      abnormal: { label: 'Outside the normal range' },
      recordedBy: { label: 'Recorded by' },
      enteredInErrorId: { label: 'Corrects an earlier entry' },
    },
  },
  nurse_logs: {
    noun: 'nurse log',
    inserted: 'Nurse log written',
    fields: {
      kind: { label: 'Kind of entry' },
      body: { label: 'Note' },
      recordedAt: { label: 'Written' },
      recordedBy: { label: 'Written by' },
      enteredInErrorId: { label: 'Corrects an earlier entry' },
    },
  },
  lab_tests: {
    noun: 'lab test',
    inserted: 'Lab test ordered',
    fields: {
      testCode: { label: 'Test code' },
      testName: { label: 'Test' },
      status: { label: 'Status of the test' },
      orderedBy: { label: 'Ordered by' },
      orderedAt: { label: 'Ordered' },
      acceptedBy: { label: 'Accepted by' },
      acceptedAt: { label: 'Accepted' },
      startedAt: { label: 'Started' },
      completedAt: { label: 'Completed' },
      reportAttachment: { label: 'Report' },
      cancellationReason: { label: 'Reason for cancelling' },
    },
  },
  prescriptions: {
    noun: 'prescription',
    inserted: 'Medication prescribed',
    fields: {
      durationDays: { label: 'Duration', unit: 'days' },
      startsAt: { label: 'Starts' },
      endsAt: { label: 'Ends' },
      status: { label: 'Status of the prescription' },
      prescribedBy: { label: 'Prescribed by' },
    },
  },
  medication_administrations: {
    noun: 'dose record',
    inserted: 'Dose charted',
    fields: {
      prescriptionId: { label: 'Medication' },
      scheduledFor: { label: 'Due' },
      status: { label: 'Given, held or refused' },
      reason: { label: 'Why' },
      administeredAt: { label: 'Charted' },
      administeredBy: { label: 'Charted by' },
      enteredInErrorId: { label: 'Corrects an earlier entry' },
    },
  },
  appointments: {
    noun: 'appointment',
    inserted: 'Appointment booked',
    fields: {
      doctorId: { label: 'Doctor' },
      scheduledAt: { label: 'Time' },
      durationMinutes: { label: 'Length', unit: 'min' },
      checkedInAt: { label: 'Checked in' },
      cancellationReason: { label: 'Reason for cancelling' },
    },
  },
  inventory: {
    noun: 'stock item',
    inserted: 'Stock item added',
    fields: {
      itemType: { label: 'Type of item' },
      sku: { label: 'Stock code' },
      threshold: { label: 'Reorder level' },
      expiresOn: { label: 'Expires' },
    },
  },
  inventory_movements: {
    noun: 'stock movement',
    inserted: 'Stock movement recorded',
    fields: {
      itemId: { label: 'Stock item' },
      kind: { label: 'Received, dispensed, adjusted or expired' },
      quantity: { label: 'Change of stock' },
      recordedBy: { label: 'Recorded by' },
      recordedAt: { label: 'Recorded' },
    },
  },
  patient_merges: {
    noun: 'patient merge',
    inserted: 'Patient records merged',
    fields: {
      survivorPatientId: { label: 'Record kept' },
      mergedPatientId: { label: 'Record merged into it' },
      mergedBy: { label: 'Merged by' },
      mergedAt: { label: 'Merged' },
      reason: { label: 'Why they are the same person' },
    },
  },
  emr_local: {
    noun: 'EMR record entry',
    inserted: 'EMR record entry added',
    fields: { kind: { label: 'Kind of entry' }, body: { label: 'Entry' } },
  },
  clinical_alerts: {
    noun: 'clinical alert',
    inserted: 'Clinical alert raised',
    fields: {
      kind: { label: 'Alert' },
      acknowledgedBy: { label: 'Acknowledged by' },
      acknowledgedAt: { label: 'Acknowledged' },
      acknowledgementNote: { label: 'Acknowledgement note' },
    },
  },
  users: {
    noun: 'staff account',
    inserted: 'Staff account created',
    fields: {
      fullName: { label: 'Name' },
      regionId: { label: 'Region' },
      failedLoginCount: { label: 'Failed sign-ins' },
      lockedUntil: { label: 'Locked until' },
      lastLoginAt: { label: 'Last sign-in' },
    },
  },
  user_permissions: {
    noun: 'direct grant',
    inserted: 'Permission granted',
    fields: {
      userId: { label: 'Staff member' },
      permissionId: { label: 'Permission' },
      expiresAt: { label: 'Until' },
      grantedBy: { label: 'Granted by' },
    },
  },
  beds: { noun: 'bed', inserted: 'Bed added', fields: { wardId: { label: 'Ward' } } },
};

/** "dateOfBirth" → "Date of birth"; "spo2" → "Spo2" (a label above says SpO₂). */
export function humanise(name: string): string {
  const words = name
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function fieldWords(table: string, field: string): FieldWords {
  return RECORD_WORDS[table]?.fields[field] ?? SYNC_FIELDS[field] ?? { label: humanise(field) };
}

export function recordNoun(table: string): string {
  return RECORD_WORDS[table]?.noun ?? humanise(table).toLowerCase();
}

/** What a pushed change did, in words: "Vital signs recorded", "Stay changed". */
export function describeChange(table: string, op: 'insert' | 'update' | 'delete'): string {
  const noun = recordNoun(table);
  if (op === 'insert') return RECORD_WORDS[table]?.inserted ?? `${humanise(noun)} added`;
  return `${humanise(noun)} ${op === 'update' ? 'changed' : 'removed'}`;
}

/** The catalog's description of a field, or null for a sync column or a name it lacks. */
export function columnOf(table: string, field: string): ColumnSpec | null {
  return findSyncedTable(table)?.columns[field]?.spec ?? null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/**
 * "08:04": the ward's wall clock, i.e. this computer's time zone (docs/SCREENS.md, Clock). An
 * invalid time is shown as written rather than as "NaN".
 */
export function clockTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return `${two(at.getHours())}:${two(at.getMinutes())}`;
}

/** "23 Nov 08:04", as the rest of the screens write a moment. */
export function dayAndTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return `${String(at.getDate())} ${MONTHS[at.getMonth()] ?? ''} ${clockTime(iso)}`;
}

/** "14 Mar 1948" for a calendar day `YYYY-MM-DD` (no time zone: a day is a day). */
export function calendarDay(day: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return day;
  const [, year, month, date] = match;
  return `${String(Number(date))} ${MONTHS[Number(month) - 1] ?? ''} ${year ?? ''}`;
}

/** How long something has waited: "3 min", "2 h 5 min", "4 days". */
export function waitedFor(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${String(minutes)} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48)
    return minutes % 60 === 0
      ? `${String(hours)} h`
      : `${String(hours)} h ${String(minutes % 60)} min`;
  return `${String(Math.floor(hours / 24))} days`;
}

/** Names of the records a value refers to, found by the caller (the replica is not shared code). */
export type ReferenceName = (table: string, id: string) => string | null;

const EMPTY = '(empty)';

function jsonWords(value: unknown): string {
  if (value === null || value === undefined) return EMPTY;
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    return value.map(jsonWords).join('; ');
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // An allergy reads "Penicillin (rash, moderate)"; an abnormal flag "heart rate high".
    if (typeof record.substance === 'string') {
      const more = [record.reaction, record.severity].filter((v) => typeof v === 'string');
      return more.length > 0 ? `${record.substance} (${more.join(', ')})` : record.substance;
    }
    if (typeof record.sign === 'string' && typeof record.direction === 'string') {
      return `${fieldWords('vitals', record.sign).label.toLowerCase()} ${record.direction}`;
    }
    return Object.entries(record)
      .map(([key, inner]) => `${humanise(key)}: ${jsonWords(inner)}`)
      .join('; ');
  }
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return typeof value === 'string' || typeof value === 'number' ? String(value) : EMPTY;
}

/**
 * A field's value as people read it: times on the ward's clock, days as days, numbers with their
 * unit, choices in words, references by the name of what they point at, lists as lists. Never
 * an id or JSON: a reference whose record this workstation lacks reads "a record not on this
 * workstation".
 */
export function valueWords(
  table: string,
  field: string,
  value: unknown,
  nameOf: ReferenceName,
): string {
  const column = columnOf(table, field);
  // A reference left empty means there is none: "Bed: none", not "(empty)".
  if (value === null || value === undefined || value === '')
    return column?.references ? 'none' : EMPTY;
  const kind = column?.kind ?? (field.endsWith('At') ? 'timestamp' : null);
  if (column?.references && typeof value === 'string') {
    return nameOf(column.references.table, value) ?? 'a record not on this workstation';
  }
  if (field === 'updatedBy' && typeof value === 'string') {
    return nameOf('users', value) ?? 'someone not on this workstation';
  }
  switch (kind) {
    case 'timestamp':
      return typeof value === 'string' ? dayAndTime(value) : jsonWords(value);
    case 'date':
      return typeof value === 'string' ? calendarDay(value) : jsonWords(value);
    case 'boolean':
      return value === true || value === 1 ? 'Yes' : 'No';
    case 'enum':
      return typeof value === 'string' ? value.replace(/_/g, ' ') : jsonWords(value);
    case 'integer':
    case 'real': {
      const unit = fieldWords(table, field).unit;
      const number = jsonWords(value);
      return unit ? `${number} ${unit}` : number;
    }
    default:
      return jsonWords(value);
  }
}
