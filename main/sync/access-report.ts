/**
 * The access report (issue 15) for a privacy officer or manager: who touched a patient's record,
 * when, where, as what, with what outcome. Online it is read from the server, whose trail holds
 * every workstation of the hospital (a signed read, itself audited there); offline, or without a
 * key to sign with, it is this workstation's own trail, and says it is partial. Reading it and
 * exporting it are events of this workstation's trail too.
 */
import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { auditLogs, users } from '../../db/local/schema';
import {
  AuditContextSchema,
  MAX_ACCESS_REPORT_ENTRIES,
  type AccessEntry,
} from '../../shared/protocol';
import { refuse } from '../errors';
import type { ReplicaReader } from '../services/replica-reader';
import { auditRead, type WriteContext } from '../services/write-path';
import { TransportError, type SyncTransport } from './transport';

export interface AccessReportInput {
  patientId: string;
  from?: string | undefined;
  to?: string | undefined;
}

export interface AccessReportAnswer {
  /** `server`: every workstation's events the server holds; `local`: this workstation's only. */
  scope: 'server' | 'local';
  /** Why the report is this workstation's only, in a sentence; null when it is the server's. */
  partialBecause: string | null;
  entries: AccessEntry[];
  truncated: boolean;
}

const OFFLINE =
  'The server cannot be reached: this report shows only what was done on this workstation. Open it again online for every workstation of the hospital.';
const NO_KEY =
  'You signed in offline, so the server cannot be asked in your name: this report shows only what was done on this workstation.';

export async function readAccessReport(
  context: WriteContext,
  transport: SyncTransport | null,
  input: AccessReportInput,
): Promise<AccessReportAnswer> {
  const answer = await fromServerOrHere(context, transport, input);
  auditRead(context, {
    action: 'audit.access_report.read',
    entity: 'patients',
    entityId: input.patientId,
    patientId: input.patientId,
    details: { scope: answer.scope, entries: answer.entries.length },
  });
  return answer;
}

async function fromServerOrHere(
  context: WriteContext,
  transport: SyncTransport | null,
  input: AccessReportInput,
): Promise<AccessReportAnswer> {
  const here = (why: string): AccessReportAnswer => ({
    scope: 'local',
    partialBecause: why,
    ...readLocalAccess(context.db, input),
  });
  if (!transport) return here(OFFLINE);
  const signer = context.actor.signer;
  if (!signer) return here(NO_KEY);
  try {
    const report = await transport.accessReport(
      {
        patientId: input.patientId,
        ...(input.from ? { from: input.from } : {}),
        ...(input.to ? { to: input.to } : {}),
      },
      signer,
    );
    return { scope: 'server', partialBecause: null, ...report };
  } catch (error) {
    if (!(error instanceof TransportError)) throw error;
    if (error.kind === 'unreachable') return here(OFFLINE);
    // Not on the server yet (registered here, not pushed): what this workstation knows.
    if (error.kind === 'not_found')
      return here(
        'The server does not know this patient yet: this report shows only this workstation.',
      );
    if (error.kind === 'forbidden' || error.kind === 'unauthorized')
      refuse('forbidden', `The server refused this report: ${error.message}`, 'forbidden');
    return refuse('server_unreachable', `The server could not answer: ${error.message}`);
  }
}

/** This workstation's own events about the patient, newest first, named as the server would. */
export function readLocalAccess(
  db: ReplicaReader,
  input: AccessReportInput,
): { entries: AccessEntry[]; truncated: boolean } {
  const conditions: SQL[] = [
    sql`json_extract(${auditLogs.after}, '$.patientId') = ${input.patientId}`,
  ];
  if (input.from) conditions.push(gte(auditLogs.at, new Date(input.from).toISOString()));
  if (input.to) conditions.push(lt(auditLogs.at, new Date(input.to).toISOString()));
  const rows = db
    .select({ event: auditLogs, userName: users.fullName })
    .from(auditLogs)
    .leftJoin(users, eq(users.id, auditLogs.userId))
    .where(and(...conditions))
    .orderBy(desc(auditLogs.deviceSeq))
    .limit(MAX_ACCESS_REPORT_ENTRIES + 1)
    .all();
  const entries = rows.slice(0, MAX_ACCESS_REPORT_ENTRIES).map(({ event, userName }) => {
    const context = AuditContextSchema.safeParse(event.after);
    return {
      at: event.at,
      userId: event.userId,
      userName,
      role: context.data?.role ?? null,
      action: event.action,
      entity: event.entity,
      entityId: event.entityId,
      patientId: input.patientId,
      outcome: context.data?.outcome ?? null,
      purpose: context.data?.purpose ?? null,
      workstation: 'This workstation',
      source: 'workstation' as const,
      integrity: null,
    };
  });
  return { entries, truncated: rows.length > MAX_ACCESS_REPORT_ENTRIES };
}

const CSV_COLUMNS: readonly [string, (entry: AccessEntry) => string | null][] = [
  ['time (UTC)', (entry) => entry.at],
  ['person', (entry) => entry.userName ?? entry.userId],
  ['role', (entry) => entry.role],
  ['action', (entry) => entry.action],
  ['record', (entry) => (entry.entityId ? `${entry.entity}/${entry.entityId}` : entry.entity)],
  ['outcome', (entry) => entry.outcome],
  ['purpose', (entry) => entry.purpose],
  ['workstation', (entry) => entry.workstation],
  ['source', (entry) => entry.source],
  ['integrity', (entry) => entry.integrity],
];

// A cell a spreadsheet would run as a formula is prefixed with a quote (CSV injection).
function csvCell(value: string | null): string {
  const text = value ?? '';
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The report as CSV; exporting it is itself an event of the trail (it leaves the workstation). */
export async function exportAccessReport(
  context: WriteContext,
  transport: SyncTransport | null,
  input: AccessReportInput,
): Promise<{ csv: string; scope: AccessReportAnswer['scope']; rows: number }> {
  const report = await fromServerOrHere(context, transport, input);
  const lines = [
    CSV_COLUMNS.map(([name]) => csvCell(name)).join(','),
    ...report.entries.map((entry) => CSV_COLUMNS.map(([, cell]) => csvCell(cell(entry))).join(',')),
  ];
  auditRead(context, {
    action: 'audit.access_report.export',
    entity: 'patients',
    entityId: input.patientId,
    patientId: input.patientId,
    details: { scope: report.scope, rows: report.entries.length, format: 'csv' },
  });
  return { csv: `${lines.join('\r\n')}\r\n`, scope: report.scope, rows: report.entries.length };
}
