/**
 * Clinical alerts on the workstation: the server raises them, pull brings them, and here they are
 * read in clinical words (shared/clinical-alerts.ts) for the Alerts inbox, the chart's banner and
 * the ward board, and acknowledged through the write path, so the acknowledgement syncs to every
 * workstation of the hospital and is audited.
 */
import { z } from 'zod';
import { clinicalAlerts } from '../../db/local/schema';
import { ALERT_KINDS, isForRole, type AlertKind } from '../../shared/clinical-alerts';
import { CLINICAL_ALERT_KINDS, type ClinicalAlertKind } from '../../shared/catalog/records';
import type { Role } from '../../shared/roles';
import { IdSchema } from '../../shared/schemas/common';
import { refuse } from '../errors';
import { createRecordLookup, type RecordLookup } from './record-lookup';
import type { ReplicaReader } from './replica-reader';
import { parseInput } from './validate';
import { writeClinical, type WriteContext } from './write-path';

export const AcknowledgeAlertInput = z.object({
  id: IdSchema,
  /** What the person found or did: "Patient checked, only one dose given; Dr Okafor told." */
  note: z.string().trim().min(3, 'Write a short note: what you found or did').max(500),
});
export type AcknowledgeAlertInput = z.input<typeof AcknowledgeAlertInput>;

export const ListAlertsInput = z.object({
  /** The chart's banner: every open alert about this patient, whatever its kind. */
  patientId: IdSchema.optional(),
});

interface AlertRow {
  id: string;
  kind: string;
  visit_id: string | null;
  patient_id: string | null;
  details: string;
  created_at: string;
  updated_by: string | null;
}

const isKind = (kind: string): kind is ClinicalAlertKind =>
  (CLINICAL_ALERT_KINDS as readonly string[]).includes(kind);

// The inbox, the board and the banner ask all shift: prepared once per connection. Both lists
// use clinical_alerts_open_idx (partial: only open alerts are in it).
function prepareAlerts(db: ReplicaReader) {
  const columns = 'id, kind, visit_id, patient_id, details, created_at, updated_by';
  const open = 'acknowledged_at is null and deleted_at is null';
  return {
    open: db.$client.prepare<[], AlertRow>(
      `select ${columns} from clinical_alerts where ${open} order by created_at desc limit 500`,
    ),
    ofPatient: db.$client.prepare<[string], AlertRow>(
      `select ${columns} from clinical_alerts where patient_id = ? and ${open} order by created_at desc`,
    ),
    byMutation: db.$client.prepare<[string], AlertRow>(
      `select ${columns} from clinical_alerts
        where json_extract(details, '$.mutationId') = ? and deleted_at is null limit 1`,
    ),
  };
}

const prepared = new WeakMap<object, ReturnType<typeof prepareAlerts>>();

function alertStatements(db: ReplicaReader) {
  let statements = prepared.get(db.$client);
  if (!statements) {
    statements = prepareAlerts(db);
    prepared.set(db.$client, statements);
  }
  return statements;
}

export type AlertView = ReturnType<typeof describeAlert>;

function parseDetails(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return {};
  }
}

/** One alert as the screens show it: what, about whom and where, who, when, what to do. */
function describeAlert(lookup: RecordLookup, row: AlertRow, kind: AlertKind) {
  const words = kind.words(parseDetails(row.details), lookup.alert);
  const patient = lookup.patient(row.patient_id);
  return {
    id: row.id,
    kind: kind.kind,
    title: kind.title,
    urgency: kind.urgency,
    whatToDo: kind.whatToDo,
    actions: kind.actions,
    summary: words.summary,
    notice: words.notice,
    facts: words.facts,
    patient,
    otherPatientId: words.otherPatientId ?? null,
    place: lookup.place(patient?.id ?? null, row.visit_id),
    visitId: row.visit_id,
    raisedAt: row.created_at,
    raisedBy: lookup.alert.person(row.updated_by ?? undefined),
  };
}

function describeRows(db: ReplicaReader, rows: AlertRow[], role?: Role): AlertView[] {
  const lookup = createRecordLookup(db);
  return rows.flatMap((row) => {
    // A kind this build does not know came from a newer server: the inbox cannot say it in
    // words yet, and the chart's banner skips it rather than show raw details.
    if (!isKind(row.kind)) return [];
    const kind = ALERT_KINDS[row.kind];
    if (role && !isForRole(kind, role)) return [];
    return [describeAlert(lookup, row, kind)];
  });
}

/** The Alerts inbox: open alerts of the kinds this role sorts out, newest first. */
export function listInboxAlerts(db: ReplicaReader, role: Role): AlertView[] {
  return describeRows(db, alertStatements(db).open.all(), role);
}

/** The chart's banner: every open alert about this patient. */
export function listPatientAlerts(db: ReplicaReader, patientId: string): AlertView[] {
  return describeRows(db, alertStatements(db).ofPatient.all(patientId));
}

/** The alert a change of this workstation raised on the server, once pulled. */
export function findAlertRaisedBy(db: ReplicaReader, mutationId: string): AlertView | null {
  const row = alertStatements(db).byMutation.get(mutationId);
  return row ? (describeRows(db, [row])[0] ?? null) : null;
}

/**
 * A person has seen to the alert and says what they found. The acknowledgement is an edit like
 * any other (row, outbox, audit in one transaction): it syncs, and every workstation clears it.
 */
export function acknowledgeAlert(context: WriteContext, input: AcknowledgeAlertInput) {
  const fields = parseInput(AcknowledgeAlertInput, input);
  return writeClinical(context, (batch) => {
    const alert = batch.read(clinicalAlerts, fields.id);
    if (alert.acknowledgedAt !== null) {
      const who = createRecordLookup(batch.db).alert.person(alert.acknowledgedBy ?? undefined);
      refuse(
        'already_acknowledged',
        `${who ?? 'Someone'} already acknowledged this alert.`,
        'conflict',
      );
    }
    const updated = batch.update(
      clinicalAlerts,
      alert.id,
      {
        acknowledgedBy: batch.actor.userId,
        acknowledgedAt: batch.now,
        acknowledgementNote: fields.note,
      },
      { action: 'clinical_alert.acknowledge' },
    );
    return { id: updated.id, acknowledgedAt: updated.acknowledgedAt };
  });
}
