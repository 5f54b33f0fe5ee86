import type pg from 'pg';
import type { GlobalEmr } from '../../shared/protocol';
import type { AuthenticatedDevice } from '../devices/enrollment';

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * A patient's cross-facility record. A device reads it for a patient of its own hospital, or for
 * any patient who has promoted entries: the global EMR exists so that the next facility can read
 * what happened elsewhere. Anyone else's patient id answers null (404), revealing nothing. A
 * record merged into another reads as its survivor's: the merge moved its entries there.
 */
export async function readGlobalEmr(
  pool: pg.Pool,
  device: AuthenticatedDevice,
  patientId: string,
): Promise<GlobalEmr | null> {
  const entries = await pool.query<{
    visit_id: string;
    source_hospital_id: string;
    admitted_at: string;
    discharged_at: string | null;
    record: Record<string, unknown>;
  }>(
    `select visit_id, source_hospital_id, to_char(admitted_at at time zone 'UTC', ${ISO}) as admitted_at,
            to_char(discharged_at at time zone 'UTC', ${ISO}) as discharged_at, record
       from emr_global
      where patient_id = coalesce((select merged_into_id from patients where id = $1), $1)
      order by admitted_at, visit_id`,
    [patientId],
  );
  if (entries.rows.length === 0) {
    const own = await pool.query('select 1 from patients where id = $1 and hospital_id = $2', [
      patientId,
      device.hospitalId,
    ]);
    if (own.rowCount === 0) return null;
  }
  return {
    patientId,
    entries: entries.rows.map((row) => ({
      visitId: row.visit_id,
      sourceHospitalId: row.source_hospital_id,
      admittedAt: row.admitted_at,
      dischargedAt: row.discharged_at,
      record: row.record,
    })),
  };
}
