import { z } from 'zod';
import { code, date, email, enumOf, json, text, timestamp, uuid } from './columns';
import { check, ginIndex, index, syncedTable, uniqueIndex } from './table';

const AREA = 'care';

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;

export const AllergySchema = z.object({
  substance: z.string().trim().min(1).max(120),
  reaction: z.string().trim().max(200).optional(),
  severity: z.enum(['mild', 'moderate', 'severe']).optional(),
});
export type Allergy = z.infer<typeof AllergySchema>;

export const patients = syncedTable('patients', {
  area: AREA,
  description: 'A patient of one hospital; the MRN is unique in the hospital.',
  columns: {
    mrn: code(/^[A-Z0-9-]{3,32}$/, 'An MRN is 3–32 capital letters, digits or dashes'),
    firstName: text({ max: 80 }),
    lastName: text({ max: 80 }),
    dateOfBirth: date({
      min: '1900-01-01',
      max: 'today',
      message: 'Date of birth must be between 1900 and today',
    }),
    sex: enumOf(SEXES),
    phone: text({ max: 40 }).nullable(),
    email: email({ max: 254 }).nullable(),
    address: text({ max: 300 }).nullable(),
    emergencyContactName: text({ max: 160 }).nullable(),
    emergencyContactPhone: text({ max: 40 }).nullable(),
    allergies: json(z.array(AllergySchema).max(100)).default([]),
    /**
     * Set by the server alone when a merge folds this record into another (patient_merges): the
     * record stays, so its MRN still finds the survivor, and late changes naming it are redirected.
     */
    mergedIntoId: uuid().nullable().references('patients', { onDelete: 'no action' }),
  },
  indexes: [
    uniqueIndex('patients_hospital_mrn_unique', ['hospitalId', 'mrn']),
    index('patients_merged_into_idx', ['mergedIntoId'], {
      where: '{mergedIntoId} is not null',
      why: 'The MRNs merged into a record ("also known as") are looked up by its id.',
    }),
    index('patients_hospital_name_idx', ['hospitalId', 'lastName', 'firstName']),
    index('patients_hospital_dob_idx', ['hospitalId', 'dateOfBirth']),
  ],
  sqlite: {
    indexes: [
      index(
        'patients_hospital_last_lower_idx',
        ['hospitalId', 'lower({lastName})', 'lower({firstName})'],
        { why: 'Name search is case-insensitive prefix search (main/services/patient-search.ts).' },
      ),
      index('patients_hospital_first_lower_idx', [
        'hospitalId',
        'lower({firstName})',
        'lower({lastName})',
      ]),
    ],
  },
  postgres: { indexes: [ginIndex('patients_allergies_gin', 'allergies')] },
  permissions: { insert: 'patients:create', update: 'patients:update', delete: 'patients:update' },
  serverChecks: ['duplicate_patient', 'merged_record'],
});

/**
 * Two records of one person become one: the person with `patients:merge` picks the survivor.
 * The server moves everything that belongs to the other record (server/sync/patient-merge.ts)
 * and marks it `mergedIntoId`; the merge syncs like any entry, so one made offline is carried
 * out when the workstation returns.
 */
export const patientMerges = syncedTable('patient_merges', {
  area: AREA,
  description: 'A merge of a duplicate patient record into the record that survives. Append-only.',
  columns: {
    survivorPatientId: uuid().references('patients', { onDelete: 'restrict' }),
    mergedPatientId: uuid().references('patients', { onDelete: 'restrict' }),
    mergedBy: uuid().references('users', { onDelete: 'restrict' }),
    mergedAt: timestamp(),
    reason: text({ max: 500 }).nullable(),
  },
  indexes: [
    index('patient_merges_survivor_idx', ['survivorPatientId']),
    index('patient_merges_merged_idx', ['mergedPatientId']),
  ],
  checks: [
    check(
      'patient_merges_distinct_check',
      '{survivorPatientId} <> {mergedPatientId}',
      'A record is never merged into itself.',
    ),
  ],
  entryRules: [
    {
      holds: (entry) => entry.survivorPatientId !== entry.mergedPatientId,
      message: 'Choose two different patient records',
      field: 'mergedPatientId',
    },
  ],
  appendOnly: true,
  permissions: { insert: 'patients:merge' },
  serverChecks: ['patient_merge'],
});

export const VISIT_STATUSES = ['admitted', 'discharged', 'cancelled'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];

/** Allowed status changes of a visit. A discharge or cancellation is final. */
export const VISIT_TRANSITIONS: Record<VisitStatus, readonly VisitStatus[]> = {
  admitted: ['discharged', 'cancelled'],
  discharged: [],
  cancelled: [],
};

export const visits = syncedTable('visits', {
  area: AREA,
  description: 'A stay: admitted to a ward (and perhaps a bed), then discharged or cancelled.',
  columns: {
    patientId: uuid().references('patients', { onDelete: 'restrict' }),
    wardId: uuid().references('wards', { onDelete: 'restrict' }),
    bedId: uuid().nullable().references('beds', { onDelete: 'set null' }),
    attendingDoctorId: uuid().nullable().references('users', { onDelete: 'set null' }),
    status: enumOf(VISIT_STATUSES).default('admitted'),
    admissionReason: text({ max: 1000 }).nullable(),
    admittedAt: timestamp(),
    dischargedAt: timestamp().nullable(),
    dischargeSummary: text({ max: 20_000 }).nullable(),
  },
  indexes: [
    index('visits_patient_status_idx', ['patientId', 'status']),
    index('visits_ward_status_idx', ['wardId', 'status']),
    index('visits_status_created_idx', ['status', 'createdAt']),
    uniqueIndex('visits_active_bed_unique', ['bedId'], {
      where: "{status} = 'admitted' and {deletedAt} is null and {bedId} is not null",
      why: 'A bed holds one active visit; two offline admissions to it must surface as a conflict.',
    }),
  ],
  checks: [
    check('visits_discharged_at_check', "{status} <> 'discharged' or {dischargedAt} is not null"),
  ],
  statusMachine: {
    field: 'status',
    noun: 'visit',
    initial: ['admitted'],
    transitions: VISIT_TRANSITIONS,
  },
  permissions: {
    insert: 'visits:admit',
    delete: 'visits:admit',
    update: {
      statusTo: { discharged: 'visits:discharge', cancelled: 'visits:admit' },
      fields: {
        dischargeSummary: 'visits:discharge',
        dischargedAt: 'visits:discharge',
        wardId: 'visits:transfer',
        bedId: 'visits:transfer',
      },
      otherFields: 'visits:admit',
      otherwise: 'visits:read',
    },
  },
  globalEmr: 'visit',
  serverChecks: ['bed_clash', 'refused_clinical_change'],
});

/** Why a patient's record is restricted (issue 15): opening it then needs break-glass. */
export const RESTRICTION_REASONS = ['staff_member', 'public_figure', 'patient_request'] as const;
export type RestrictionReason = (typeof RESTRICTION_REASONS)[number];

export const patientRestrictions = syncedTable('patient_restrictions', {
  area: AREA,
  description:
    'A patient whose chart opens only by break-glass (a staff member, a public figure, at their request); lifted by a soft delete.',
  columns: {
    patientId: uuid().references('patients', { onDelete: 'cascade' }),
    reason: enumOf(RESTRICTION_REASONS),
    restrictedBy: uuid().nullable().references('users', { onDelete: 'set null' }),
  },
  indexes: [index('patient_restrictions_patient_idx', ['patientId'])],
  permissions: {
    insert: 'patients:restrict',
    update: 'patients:restrict',
    delete: 'patients:restrict',
  },
});
