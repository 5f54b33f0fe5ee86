import { z } from 'zod';
import { enumOf, integer, json, real, text, timestamp, uuid } from './columns';
import { ginIndex, index, syncedTable } from './table';

const AREA = 'clinical';

/**
 * Bounds of what a measurement can physically be. They catch typos (a temperature of 375),
 * not illness: abnormal-but-possible values are accepted and flagged, never refused.
 */
export const VITAL_BOUNDS = {
  temperatureC: { min: 25, max: 45 },
  heartRate: { min: 20, max: 300 },
  systolic: { min: 40, max: 300 },
  diastolic: { min: 20, max: 200 },
  respiratoryRate: { min: 2, max: 80 },
  spo2: { min: 50, max: 100 },
  weightKg: { min: 0.3, max: 500 },
  heightCm: { min: 20, max: 280 },
} as const;

export type VitalSign = keyof typeof VITAL_BOUNDS;

export const AbnormalFlagSchema = z.object({
  sign: z.enum(Object.keys(VITAL_BOUNDS) as [VitalSign, ...VitalSign[]]),
  direction: z.enum(['low', 'high']),
});
export type AbnormalFlag = z.infer<typeof AbnormalFlagSchema>;

/** A measurement within its physical bounds, which the database checks too. */
const measurement = (sign: VitalSign, kind: 'integer' | 'real', check?: string) => {
  const bounds = { ...VITAL_BOUNDS[sign], ...(check ? { check } : {}) };
  return (kind === 'integer' ? integer(bounds) : real(bounds)).nullable();
};

/** A correction names the entry it replaces; the replaced entry itself never changes. */
const correctionOf = (table: string) =>
  uuid().nullable().references(table, { onDelete: 'restrict' });

export const vitals = syncedTable('vitals', {
  area: AREA,
  description:
    'Append-only: a correction is a new row whose enteredInErrorId names the row it replaces.',
  columns: {
    visitId: uuid().references('visits', { onDelete: 'restrict' }),
    patientId: uuid().references('patients', { onDelete: 'restrict' }),
    recordedAt: timestamp(),
    temperatureC: measurement('temperatureC', 'real', 'vitals_temperature_check'),
    heartRate: measurement('heartRate', 'integer'),
    systolic: measurement('systolic', 'integer'),
    diastolic: measurement('diastolic', 'integer'),
    respiratoryRate: measurement('respiratoryRate', 'integer'),
    spo2: measurement('spo2', 'integer'),
    weightKg: measurement('weightKg', 'real', 'vitals_weight_check'),
    heightCm: measurement('heightCm', 'real', 'vitals_height_check'),
    bmi: real({ min: 5, max: 150, check: false }).nullable(),
    abnormal: json(z.array(AbnormalFlagSchema)).default([]),
    recordedBy: uuid().references('users', { onDelete: 'restrict' }),
    notes: text({ max: 2000 }).nullable(),
    enteredInErrorId: correctionOf('vitals'),
  },
  indexes: [
    index('vitals_visit_recorded_idx', ['visitId', 'recordedAt']),
    index('vitals_patient_recorded_idx', ['patientId', 'recordedAt']),
  ],
  sqlite: {
    indexes: [
      index('vitals_entered_in_error_idx', ['enteredInErrorId'], {
        where: '{enteredInErrorId} is not null',
        why:
          '"Was this entry replaced?" is asked for every row the board and the chart show. ' +
          'Partial: nearly every row is null, and a full index on it makes the planner expect a scan.',
      }),
    ],
  },
  postgres: { indexes: [ginIndex('vitals_abnormal_gin', 'abnormal')] },
  appendOnly: true,
  permissions: { insert: 'vitals:create' },
  globalEmr: 'entry',
  serverChecks: ['late_entry_after_discharge', 'refused_clinical_change'],
});

export const NURSE_LOG_KINDS = [
  'observation',
  'care_activity',
  'incident',
  'note',
  'handoff',
] as const;

export const nurseLogs = syncedTable('nurse_logs', {
  area: AREA,
  description: 'Nursing notes and handoffs. Append-only, corrected like vitals.',
  columns: {
    visitId: uuid().references('visits', { onDelete: 'restrict' }),
    patientId: uuid().references('patients', { onDelete: 'restrict' }),
    kind: enumOf(NURSE_LOG_KINDS),
    body: text({ max: 10_000 }),
    recordedAt: timestamp(),
    recordedBy: uuid().references('users', { onDelete: 'restrict' }),
    enteredInErrorId: correctionOf('nurse_logs'),
  },
  indexes: [
    index('nurse_logs_visit_recorded_idx', ['visitId', 'recordedAt']),
    index('nurse_logs_kind_created_idx', ['kind', 'createdAt']),
  ],
  sqlite: {
    indexes: [
      index('nurse_logs_entered_in_error_idx', ['enteredInErrorId'], {
        where: '{enteredInErrorId} is not null',
      }),
    ],
  },
  appendOnly: true,
  permissions: { insert: 'nurse_logs:create' },
  globalEmr: 'entry',
  serverChecks: ['late_entry_after_discharge', 'refused_clinical_change'],
});
