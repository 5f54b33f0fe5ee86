import type pg from 'pg';
import { inTransaction } from '../db/transaction';

/**
 * MRNs for one device's offline registrations: `<HOSPITAL CODE>-<number>`, numbered after every
 * MRN reserved or used so far in the hospital, and recorded against the device so no one else
 * is ever handed them. A per-hospital advisory lock serialises concurrent reservations.
 */
export async function reserveMrns(
  pool: pg.Pool,
  options: { hospitalId: string; deviceId: string; count: number },
): Promise<string[]> {
  return inTransaction(pool, async (client) => {
    await client.query("select pg_advisory_xact_lock(hashtext('mrn:' || $1))", [
      options.hospitalId,
    ]);
    const hospital = await client.query<{ code: string; highest: string | null }>(
      `select h.code, greatest(
          (select max(substring(value from '-(\\d+)$')::bigint) from id_reservations
            where hospital_id = h.id and kind = 'mrn'),
          (select max(substring(mrn from '-(\\d+)$')::bigint) from patients where hospital_id = h.id)
        )::text as highest
        from hospitals h where h.id = $1`,
      [options.hospitalId],
    );
    const { code, highest } = hospital.rows[0] ?? { code: 'MRN', highest: null };
    const first = Number(highest ?? 0) + 1;
    const values = Array.from(
      { length: options.count },
      (_, index) => `${code}-${String(first + index).padStart(6, '0')}`,
    );
    await client.query(
      `insert into id_reservations (hospital_id, kind, value, device_id)
       select $1, 'mrn', value, $2 from unnest($3::text[]) as value`,
      [options.hospitalId, options.deviceId, values],
    );
    return values;
  });
}
