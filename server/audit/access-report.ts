/**
 * The access report (issue 15): for a patient of the device's hospital, every access the server
 * knows of — the events every workstation of the hospital pushed, and the signed reads the
 * server answered itself (the global EMR, from any hospital) — or, for a person, what they did
 * at this hospital. Newest first; an event whose chain or signature did not hold says so.
 */
import type pg from 'pg';
import {
  MAX_ACCESS_REPORT_ENTRIES,
  type AccessEntry,
  type AccessReport,
  type AccessReportQuery,
} from '../../shared/protocol';
import type { AuthenticatedDevice } from '../devices/enrollment';

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

interface EntryRow {
  at: string;
  user_id: string | null;
  user_name: string | null;
  role: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  patient_id: string | null;
  outcome: string | null;
  purpose: string | null;
  workstation: string | null;
  source: 'workstation' | 'server';
  integrity: string | null;
}

// A signed read's outcome in the trail's words: a read that found nothing still happened.
const SIGNED_READ_OUTCOME = `case s.outcome when 'forbidden' then 'refused' else 'done' end`;

/** Null when the patient is not one of the device's hospital: nothing to report, nothing said. */
export async function readAccessReport(
  pool: pg.Pool,
  device: AuthenticatedDevice,
  query: AccessReportQuery,
): Promise<AccessReport | null> {
  if (query.patientId !== undefined) {
    const own = await pool.query('select 1 from patients where id = $1 and hospital_id = $2', [
      query.patientId,
      device.hospitalId,
    ]);
    if (own.rowCount === 0) return null;
  }
  const rows = await pool.query<EntryRow>(
    `select * from (
       select to_char(a.at at time zone 'UTC', ${ISO}) as at, a.at as sort_at, a.user_id,
              u.full_name as user_name, a.role, a.action, a.entity, a.entity_id, a.patient_id,
              a.outcome, a.after->>'purpose' as purpose, d.name as workstation,
              'workstation' as source, coalesce(a.chain_issue, a.signature_issue) as integrity
         from audit_logs a
         join devices d on d.id = a.device_id
         left join users u on u.id = a.user_id
        where a.hospital_id = $1
          and (($2::uuid is not null and a.patient_id = $2) or ($3::uuid is not null and a.user_id = $3))
          and ($4::timestamptz is null or a.at >= $4) and ($5::timestamptz is null or a.at < $5)
       union all
       select to_char(s.at at time zone 'UTC', ${ISO}), s.at, s.user_id, u.full_name, null,
              s.action, s.entity, s.entity_id,
              case when s.entity = 'patients' then s.entity_id::uuid end,
              ${SIGNED_READ_OUTCOME}, null, d.name, 'server', null
         from signed_reads s
         join devices d on d.id = s.device_id
         left join users u on u.id = s.user_id
        where (($2::uuid is not null and s.entity = 'patients' and s.entity_id = $2::text)
               or ($3::uuid is not null and s.user_id = $3 and s.hospital_id = $1))
          and ($4::timestamptz is null or s.at >= $4) and ($5::timestamptz is null or s.at < $5)
     ) trail
     order by sort_at desc
     limit $6`,
    [
      device.hospitalId,
      query.patientId ?? null,
      query.userId ?? null,
      query.from ?? null,
      query.to ?? null,
      MAX_ACCESS_REPORT_ENTRIES + 1,
    ],
  );
  const entries = rows.rows.slice(0, MAX_ACCESS_REPORT_ENTRIES).map(toEntry);
  return { entries, truncated: rows.rows.length > MAX_ACCESS_REPORT_ENTRIES };
}

function toEntry(row: EntryRow): AccessEntry {
  return {
    at: row.at,
    userId: row.user_id,
    userName: row.user_name,
    role: row.role,
    action: row.action,
    entity: row.entity,
    entityId: row.entity_id,
    patientId: row.patient_id,
    outcome: row.outcome,
    purpose: row.purpose,
    workstation: row.workstation,
    source: row.source,
    integrity: row.integrity,
  };
}
