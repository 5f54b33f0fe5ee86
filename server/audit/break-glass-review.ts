/**
 * The Break-glass review (issue 15): every break-glass started at the device's hospital, from
 * the events its workstations pushed, newest first, with how many chart reads ran under each and
 * the first manager's sign-off (a `break_glass.review` event naming the start event), if any.
 */
import type pg from 'pg';
import type { BreakGlassEntry, BreakGlassReview } from '../../shared/break-glass';
import type { AuthenticatedDevice } from '../devices/enrollment';

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const MAX_ENTRIES = 500;

interface Row {
  id: string;
  at: string;
  user_id: string | null;
  user_name: string | null;
  role: string | null;
  patient_id: string | null;
  purpose: string | null;
  cause: string | null;
  workstation: string | null;
  reads: string;
  reviewed_at: string | null;
  reviewed_by: string | null;
}

export async function readBreakGlassReview(
  pool: pg.Pool,
  device: AuthenticatedDevice,
): Promise<BreakGlassReview> {
  const rows = await pool.query<Row>(
    `select a.id, to_char(a.at at time zone 'UTC', ${ISO}) as at, a.user_id, u.full_name as user_name,
            a.role, a.patient_id, a.after->>'purpose' as purpose,
            a.after->'details'->>'cause' as cause, d.name as workstation,
            (select count(*) from audit_logs r
              where r.hospital_id = a.hospital_id and r.patient_id = a.patient_id
                and r.action = 'chart.read'
                and r.after->'details'->>'breakGlassId' = a.id::text) as reads,
            to_char(rv.at at time zone 'UTC', ${ISO}) as reviewed_at, rvu.full_name as reviewed_by
       from audit_logs a
       join devices d on d.id = a.device_id
       left join users u on u.id = a.user_id
       left join lateral (
         select r.at, r.user_id from audit_logs r
          where r.hospital_id = a.hospital_id and r.action = 'break_glass.review'
            and r.entity_id = a.id::text and r.outcome = 'done'
          order by r.at limit 1) rv on true
       left join users rvu on rvu.id = rv.user_id
      where a.hospital_id = $1 and a.action = 'break_glass.start' and a.outcome = 'done'
      order by a.at desc
      limit $2`,
    [device.hospitalId, MAX_ENTRIES],
  );
  return { entries: rows.rows.map(toEntry) };
}

function toEntry(row: Row): BreakGlassEntry {
  return {
    id: row.id,
    at: row.at,
    userId: row.user_id,
    userName: row.user_name,
    role: row.role,
    patientId: row.patient_id,
    purpose: row.purpose,
    cause: row.cause,
    workstation: row.workstation,
    reads: Number(row.reads),
    reviewedAt: row.reviewed_at,
    reviewedBy: row.reviewed_by,
  };
}
