/**
 * What sync could not settle, and what still waits to be sent, in clinical words for the Sync
 * screen: whose record (patient, ward and bed), which field by its label, both values as people
 * read them, who made each and when, and what the person may choose. Never an id or JSON: every
 * reference is named from the replica (services/record-lookup.ts), every value is worded by its
 * column in the catalog (shared/record-words.ts).
 */
import { and, asc, count, eq } from 'drizzle-orm';
import { outbox } from '../../db/local/schema';
import { isPermission, PERMISSIONS } from '../../shared/permissions';
import {
  describeChange,
  fieldWords,
  humanise,
  recordNoun,
  valueWords,
  waitedFor,
} from '../../shared/record-words';
import { createRecordLookup, type RecordLookup } from '../services/record-lookup';
import type { ReplicaReader } from '../services/replica-reader';
import { listNeedsAttention, listOpenConflicts } from './conflicts';

export type ConflictChoice = 'server' | 'local' | 'merged';

/** Why a conflict happened and what a person may do about it, by the server's reason code. */
const CONFLICT_REASONS: Readonly<
  Record<string, { title: string; explanation: string; choices: readonly ConflictChoice[] }>
> = {
  concurrent_edit: {
    title: 'Changed on two workstations',
    explanation:
      'Someone else changed the same field while this workstation was offline. The server kept their value; choose which value the record should have.',
    choices: ['server', 'local', 'merged'],
  },
  bed_unavailable: {
    title: 'Bed already taken',
    explanation:
      'Another admitted patient already holds this bed, so the stay was kept without a bed. Choose another bed from the chart’s Stay tab; sending this bed again would clash again.',
    choices: ['server'],
  },
};

const OTHER_REASON = {
  title: 'The server kept other values',
  explanation: 'The server kept different values for these fields; choose which to keep.',
  choices: ['server', 'local', 'merged'] as readonly ConflictChoice[],
};

/**
 * A reason as people read it: "visitId: Invalid UUID" → "Stay: Invalid UUID" (a field by its
 * label), "the permission vitals:create" → "the permission “Record vital signs …”".
 */
function reasonWords(table: string, message: string): string {
  return message
    .replace(/\b[a-z_]+:[a-z_]+\b/g, (key) => (isPermission(key) ? `“${PERMISSIONS[key]}”` : key))
    .split('; ')
    .map((part) => {
      const match = /^([A-Za-z0-9_]+)(?:\.[A-Za-z0-9_.]+)?: (.*)$/.exec(part);
      if (!match) return part;
      const [, field = '', rest = ''] = match;
      return `${fieldWords(table, field).label}: ${rest}`;
    })
    .join('; ');
}

function subjectOf(
  lookup: RecordLookup,
  table: string,
  rowId: string,
  data: Record<string, unknown>,
) {
  const row = lookup.row(table, rowId) ?? { id: rowId, ...data };
  const patientId = lookup.patientOfRow(table, { ...row, ...data });
  const patient = lookup.patient(patientId);
  const visitId = typeof row.visitId === 'string' ? row.visitId : undefined;
  return {
    record: humanise(recordNoun(table)),
    patient: patient?.name ?? null,
    place: lookup.place(patient?.id ?? null, visitId),
  };
}

/** Fields already said by the record's subject line (its patient and stay) are not repeated. */
const SAID_BY_SUBJECT = new Set(['patientId', 'visitId']);

export function describeConflicts(db: ReplicaReader) {
  const lookup = createRecordLookup(db);
  return listOpenConflicts(db).map((conflict) => {
    const local: Record<string, unknown> = conflict.localValues;
    const server: Record<string, unknown> = conflict.serverValues;
    const reason = CONFLICT_REASONS[conflict.reasonCode] ?? OTHER_REASON;
    const table = conflict.tableName;
    return {
      id: conflict.id,
      reasonTitle: reason.title,
      explanation: reason.explanation,
      choices: reason.choices,
      ...subjectOf(lookup, table, conflict.rowId, {}),
      fields: Object.keys(local).map((field) => ({
        field,
        label: fieldWords(table, field).label,
        local: valueWords(table, field, local[field], lookup.nameOf),
        server: valueWords(table, field, server[field], lookup.nameOf),
      })),
      localBy: lookup.alert.person(conflict.localUserId ?? undefined),
      localAt: conflict.localTime,
      serverBy: lookup.alert.person(conflict.serverUpdatedBy ?? undefined),
      serverAt: conflict.serverUpdatedAt,
      detectedAt: conflict.detectedAt,
    };
  });
}

export function describeRefusedChanges(db: ReplicaReader) {
  const lookup = createRecordLookup(db);
  return listNeedsAttention(db).map((item) => {
    const data: Record<string, unknown> = item.data;
    const table = item.tableName;
    return {
      mutationId: item.mutationId,
      what: describeChange(table, item.op),
      ...subjectOf(lookup, table, item.rowId, data),
      fields: Object.entries(data)
        .filter(([field, value]) => !SAID_BY_SUBJECT.has(field) && value !== null && value !== '')
        .filter(([, value]) => !(Array.isArray(value) && value.length === 0))
        .map(([field, value]) => ({
          label: fieldWords(table, field).label,
          value: valueWords(table, field, value, lookup.nameOf),
        })),
      by: lookup.alert.person(item.userId),
      madeAt: item.clientTime,
      reason: reasonWords(table, item.reasonMessage ?? 'The server refused this change.'),
    };
  });
}

/** At most this many waiting changes are listed; the count says how many there are in all. */
const OUTBOX_PAGE = 200;

/** What waits to be sent, oldest first: what, whose record, who, when, and for how long. */
export function describeOutbox(db: ReplicaReader, now: Date) {
  const lookup = createRecordLookup(db);
  const total =
    db.select({ n: count() }).from(outbox).where(eq(outbox.status, 'pending')).get()?.n ?? 0;
  const waiting = db
    .select()
    .from(outbox)
    .where(and(eq(outbox.status, 'pending')))
    .orderBy(asc(outbox.deviceSeq))
    .limit(OUTBOX_PAGE)
    .all();
  return {
    total,
    items: waiting.map((item) => {
      const data: Record<string, unknown> = item.data;
      const subject = subjectOf(lookup, item.tableName, item.rowId, data);
      return {
        mutationId: item.mutationId,
        what: describeChange(item.tableName, item.op),
        patient: subject.patient,
        place: subject.place,
        by: lookup.alert.person(item.userId),
        madeAt: item.clientTime,
        waited: waitedFor(now.getTime() - Date.parse(item.clientTime)),
      };
    }),
  };
}
