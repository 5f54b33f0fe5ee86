import { code, enumOf, integer, text, timestamp, uuid } from './columns';
import { check, index, syncedTable } from './table';

const AREA = 'orders';

export const LAB_TEST_STATUSES = [
  'pending',
  'accepted',
  'in_progress',
  'completed',
  'cancelled',
] as const;
export type LabTestStatus = (typeof LAB_TEST_STATUSES)[number];
export const LAB_URGENCIES = ['routine', 'urgent', 'stat'] as const;

/** The lab workflow. Completed and cancelled are final: a result is corrected by a new order. */
export const LAB_TEST_TRANSITIONS: Record<LabTestStatus, readonly LabTestStatus[]> = {
  pending: ['accepted', 'cancelled'],
  accepted: ['in_progress', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

export const labTests = syncedTable('lab_tests', {
  area: AREA,
  description: 'A lab order, worked through the lab workflow to its result.',
  columns: {
    visitId: uuid().nullable().references('visits', { onDelete: 'restrict' }),
    patientId: uuid().references('patients', { onDelete: 'restrict' }),
    testCode: code(/^[A-Z0-9_-]{2,24}$/, 'Use 2–24 capital letters, digits, - or _'),
    testName: text({ max: 160 }),
    urgency: enumOf(LAB_URGENCIES).default('routine'),
    status: enumOf(LAB_TEST_STATUSES).default('pending'),
    orderedBy: uuid().references('users', { onDelete: 'restrict' }),
    orderedAt: timestamp(),
    acceptedBy: uuid().nullable().references('users', { onDelete: 'set null' }),
    acceptedAt: timestamp().nullable(),
    startedAt: timestamp().nullable(),
    completedAt: timestamp().nullable(),
    result: text({ max: 20_000 }).nullable(),
    reportAttachment: text({ max: 500 }).nullable(),
    cancellationReason: text({ max: 500 }).nullable(),
  },
  indexes: [
    index('lab_tests_patient_status_idx', ['patientId', 'status']),
    index('lab_tests_status_created_idx', ['status', 'createdAt']),
    index('lab_tests_visit_idx', ['visitId']),
  ],
  checks: [check('lab_tests_result_check', "{status} <> 'completed' or {result} is not null")],
  statusMachine: {
    field: 'status',
    noun: 'lab test',
    initial: ['pending'],
    transitions: LAB_TEST_TRANSITIONS,
  },
  permissions: {
    insert: 'lab_tests:order',
    delete: 'lab_tests:cancel',
    update: {
      statusTo: {
        pending: 'lab_tests:order',
        accepted: 'lab_tests:accept',
        in_progress: 'lab_tests:start',
        completed: 'lab_tests:complete',
        cancelled: 'lab_tests:cancel',
      },
      fields: { result: 'lab_tests:complete', reportAttachment: 'lab_tests:complete' },
      otherwise: 'lab_tests:read',
    },
  },
  globalEmr: 'entry',
  serverChecks: ['refused_clinical_change'],
});

export const ROUTES = ['oral', 'iv', 'im', 'sc', 'topical', 'inhaled', 'rectal', 'other'] as const;
export const PRESCRIPTION_STATUSES = ['active', 'completed', 'discontinued'] as const;
export const ADMINISTRATION_STATUSES = ['given', 'held', 'refused'] as const;
/**
 * Whether the nurse scanned the patient's wristband before charting the dose (issue 17). Null on
 * doses charted before the check existed, or by a workstation built before it.
 */
export const WRISTBAND_CHECKS = ['scanned', 'skipped'] as const;
export type WristbandCheck = (typeof WRISTBAND_CHECKS)[number];

export const prescriptions = syncedTable('prescriptions', {
  area: AREA,
  description: 'A medication order; the MAR charts each dose given against it.',
  columns: {
    visitId: uuid().nullable().references('visits', { onDelete: 'restrict' }),
    patientId: uuid().references('patients', { onDelete: 'restrict' }),
    drug: text({ max: 160 }),
    dose: text({ max: 60 }),
    frequency: text({ max: 60 }),
    route: enumOf(ROUTES),
    durationDays: integer({ min: 1, max: 365, check: 'prescriptions_duration_check' }).nullable(),
    startsAt: timestamp(),
    endsAt: timestamp().nullable(),
    status: enumOf(PRESCRIPTION_STATUSES).default('active'),
    prescribedBy: uuid().references('users', { onDelete: 'restrict' }),
    notes: text({ max: 2000 }).nullable(),
  },
  indexes: [
    index('prescriptions_patient_status_idx', ['patientId', 'status']),
    index('prescriptions_status_created_idx', ['status', 'createdAt']),
    index('prescriptions_visit_idx', ['visitId']),
  ],
  permissions: {
    insert: 'prescriptions:create',
    update: 'prescriptions:update',
    delete: 'prescriptions:update',
  },
  globalEmr: 'entry',
  serverChecks: ['refused_clinical_change'],
});

export const medicationAdministrations = syncedTable('medication_administrations', {
  area: AREA,
  description:
    'The MAR. Append-only: a correction is a new row whose enteredInErrorId names the old one.',
  columns: {
    prescriptionId: uuid().references('prescriptions', { onDelete: 'restrict' }),
    visitId: uuid().nullable().references('visits', { onDelete: 'restrict' }),
    patientId: uuid().references('patients', { onDelete: 'restrict' }),
    scheduledFor: timestamp(),
    status: enumOf(ADMINISTRATION_STATUSES, { check: 'mar_status_check' }),
    reason: text({ max: 500 }).nullable(),
    administeredAt: timestamp(),
    administeredBy: uuid().references('users', { onDelete: 'restrict' }),
    enteredInErrorId: uuid()
      .nullable()
      .references('medication_administrations', { onDelete: 'restrict' }),
    wristbandCheck: enumOf(WRISTBAND_CHECKS, { check: 'mar_wristband_check_check' }).nullable(),
    wristbandSkipReason: text({ max: 300 }).nullable(),
  },
  indexes: [
    index('mar_prescription_scheduled_idx', ['prescriptionId', 'scheduledFor']),
    index('mar_visit_scheduled_idx', ['visitId', 'scheduledFor']),
  ],
  sqlite: {
    indexes: [
      index('mar_entered_in_error_idx', ['enteredInErrorId'], {
        where: '{enteredInErrorId} is not null',
      }),
    ],
  },
  checks: [
    check('mar_reason_check', "{status} = 'given' or {reason} is not null"),
    check(
      'mar_wristband_skip_reason_check',
      "{wristbandCheck} is null or {wristbandCheck} <> 'skipped' or {wristbandSkipReason} is not null",
    ),
  ],
  entryRules: [
    {
      // A skipped wristband scan is a safety step left out: the record says why.
      holds: (entry) =>
        entry.wristbandCheck !== 'skipped' || (entry.wristbandSkipReason ?? '') !== '',
      message: 'Say why the wristband was not scanned',
      field: 'wristbandSkipReason',
    },
    {
      // The next shift needs to know why a dose was not given.
      holds: (entry) => entry.status === 'given' || (entry.reason ?? '') !== '',
      message: 'Say why the dose was held or refused',
      field: 'reason',
    },
  ],
  appendOnly: true,
  permissions: { insert: 'mar:administer' },
  globalEmr: 'entry',
  serverChecks: ['double_dose', 'late_entry_after_discharge', 'refused_clinical_change'],
});
