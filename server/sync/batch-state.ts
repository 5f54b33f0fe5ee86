import type pg from 'pg';
import type { ServerCheckName } from '../../shared/catalog/table';
import type { Role } from '../../shared/roles';
import type { PreparedMutation } from './prepare';
import { accountTargets } from './account-targets';
import { FirstOutcomeSchema, type FirstOutcome } from './first-outcome';
import { loadMergeState } from './merge-state';
import { loadStockOnHand } from './stock-on-hand';
import { loadBookings, type Bookings } from './doctor-bookings';
import { rowKey, selectRows, type WireRow } from './rows';
import type { TableShapes } from './table-shapes';
import { foreignMutationRefusal, hospitalReferences, referencingValues } from './tenancy';

export interface StaffMember {
  id: string;
  hospitalId: string | null;
  role: Role;
  active: boolean;
  deleted: boolean;
  grants: { permission: string; expiresAt: string | null }[];
  /** Effective permissions, worked out once per batch on first use. */
  held?: ReadonlySet<string>;
}

export interface HistoryEntry {
  version: number;
  changedFields: string[];
  /** The workstation whose mutation made this version; null when the server made it. */
  deviceId: string | null;
}

/**
 * Everything a batch's decisions read, loaded with one query per kind before any decision, so
 * that a 500-mutation push costs a handful of round trips rather than thousands.
 */
export interface BatchState {
  /** Mutation id → its first outcome, for the ids the server has seen (this batch's included). */
  seen: Map<string, FirstOutcome>;
  staff: Map<string, StaffMember>;
  /** `table:id` → the current row (updated in memory as the batch's decisions are taken). */
  rows: Map<string, WireRow>;
  /** rowId → changed fields per version, for field-level merge. */
  history: Map<string, HistoryEntry[]>;
  /** bedId → id of the admitted visit holding it. */
  bedHolders: Map<string, string>;
  /** `prescriptionId|scheduledFor` of doses already charted as given → that dose. */
  givenDoses: Map<string, GivenDose>;
  /** `first|last|dob|sex` (lowercase names) → patient id, for duplicate registrations. */
  patientIdentities: Map<string, string>;
  /** Merged patient id → the record it lives on in, for the patients the batch names. */
  mergedInto: Map<string, string>;
  /** Active appointments of the doctors the batch books (server/sync/slot-taken.ts). */
  bookings: Bookings;
  /** itemId → quantity on hand, for the stock items the batch moves. */
  stockOnHand: Map<string, number>;
  /** `table:id` → hospitalId of the rows the batch's changes refer to (server/sync/tenancy.ts). */
  owners: Map<string, string | null>;
  /**
   * Stays and patients of this hospital that clinical entries of the batch name, so an alert
   * about an entry refers only to records that exist here (late entries, refused changes).
   */
  stays: Map<string, KnownStay>;
  patients: Set<string>;
}

export interface GivenDose {
  administrationId: string;
  /** The workstation it was charted on, as named at enrollment; null when unknown. */
  deviceName: string | null;
}

export interface KnownStay {
  patientId: string;
  status: string;
  dischargedAt: string | null;
}

export { rowKey };
export const doseKey = (prescriptionId: unknown, scheduledFor: unknown) =>
  `${String(prescriptionId)}|${String(scheduledFor)}`;
export const identityKey = (row: Record<string, unknown>) =>
  [row.firstName, row.lastName, row.dateOfBirth, row.sex]
    .map((part) => String(part).toLowerCase())
    .join('|');

/** Whether a well-formed mutation's table has the server run this check on it. */
export const runs = (
  item: PreparedMutation,
  check: ServerCheckName,
): item is Extract<PreparedMutation, { ok: true }> =>
  item.ok && item.shape.table.serverChecks.includes(check);

const strings = (values: unknown[]) => [
  ...new Set(values.filter((v): v is string => typeof v === 'string')),
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids as a refused mutation sent them: anything that is not a UUID never reaches a query. */
const uuids = (values: unknown[]) => strings(values).filter((value) => UUID.test(value));

/** Whether the table of a mutation (well-formed or not) has the server run this check on it. */
const tableRuns = (shapes: TableShapes, item: PreparedMutation, check: ServerCheckName) =>
  shapes.get(item.mutation.table)?.table.serverChecks.includes(check) ?? false;

async function loadSeen(
  client: pg.PoolClient,
  hospitalId: string,
  prepared: PreparedMutation[],
): Promise<Map<string, FirstOutcome>> {
  const result = await client.query<{
    mutation_id: string;
    status: string;
    result: unknown;
    hospital_id: string | null;
  }>(
    `select a.mutation_id, a.status, a.result, d.hospital_id
       from applied_mutations a left join devices d on d.id = a.device_id
      where a.mutation_id = any($1::uuid[])`,
    [strings(prepared.map((item) => item.mutation.mutationId))],
  );
  return new Map(
    result.rows.map((row) => {
      // Another hospital's mutation id: its outcome is not this device's to learn.
      if (row.hospital_id !== hospitalId)
        return [row.mutation_id, { status: 'rejected', reason: foreignMutationRefusal() }];
      // The status column is the first status (checked by the table); the JSON keeps the rest.
      const outcome = FirstOutcomeSchema.parse({
        ...(typeof row.result === 'object' ? row.result : {}),
        status: row.status,
      });
      return [row.mutation_id, outcome];
    }),
  );
}

async function loadStaff(client: pg.PoolClient, ids: string[]): Promise<Map<string, StaffMember>> {
  const users = await client.query<{
    id: string;
    hospital_id: string | null;
    role: Role;
    active: boolean;
    deleted: boolean;
  }>(
    `select id, hospital_id, role, active, deleted_at is not null as deleted
       from users where id = any($1::uuid[])`,
    [ids],
  );
  const grants = await client.query<{ user_id: string; key: string; expires_at: string | null }>(
    `select g.user_id, p.key, to_char(g.expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as expires_at
       from user_permissions g join permissions p on p.id = g.permission_id
      where g.user_id = any($1::uuid[]) and g.deleted_at is null`,
    [ids],
  );
  const staff = new Map<string, StaffMember>();
  for (const user of users.rows) {
    staff.set(user.id, {
      id: user.id,
      hospitalId: user.hospital_id,
      role: user.role,
      active: user.active,
      deleted: user.deleted,
      grants: grants.rows
        .filter((grant) => grant.user_id === user.id)
        .map((grant) => ({ permission: grant.key, expiresAt: grant.expires_at })),
    });
  }
  return staff;
}

async function loadRows(
  client: pg.PoolClient,
  shapes: TableShapes,
  prepared: PreparedMutation[],
): Promise<Map<string, WireRow>> {
  const idsByTable = new Map<string, Set<string>>();
  // Malformed mutations of a known table too: a resend of a refused one answers with the row.
  for (const { mutation } of prepared) {
    const ids = idsByTable.get(mutation.table) ?? new Set<string>();
    ids.add(mutation.id);
    idsByTable.set(mutation.table, ids);
  }
  const rows = new Map<string, WireRow>();
  for (const [table, ids] of idsByTable) {
    const shape = shapes.get(table);
    if (!shape) continue;
    // Rows an update will rewrite are locked, so no concurrent push can change them meanwhile.
    const found = await selectRows(client, shape, [...ids].sort(), { forUpdate: true });
    for (const [id, row] of found) rows.set(rowKey(table, id), row);
  }
  return rows;
}

async function loadHistory(
  client: pg.PoolClient,
  prepared: PreparedMutation[],
  rows: Map<string, WireRow>,
): Promise<Map<string, HistoryEntry[]>> {
  const stale = prepared.filter((item) => {
    if (!item.ok || item.mutation.op !== 'update') return false;
    const row = rows.get(rowKey(item.shape.table.name, item.mutation.id));
    return row !== undefined && (item.mutation.baseVersion ?? 0) < row.version;
  });
  const history = new Map<string, HistoryEntry[]>();
  if (stale.length === 0) return history;
  // (table_name, row_id) pairs, so the lookup uses row_history's (table, row, version) index.
  const result = await client.query<{
    row_id: string;
    version: number;
    changed_fields: string[];
    device_id: string | null;
  }>(
    `select h.row_id, h.version, h.changed_fields, h.device_id from row_history h
      join unnest($1::text[], $2::uuid[]) as wanted(table_name, row_id)
        on h.table_name = wanted.table_name and h.row_id = wanted.row_id`,
    [stale.map((item) => item.mutation.table), stale.map((item) => item.mutation.id)],
  );
  for (const entry of result.rows) {
    const list = history.get(entry.row_id) ?? [];
    list.push({
      version: entry.version,
      changedFields: entry.changed_fields,
      deviceId: entry.device_id,
    });
    history.set(entry.row_id, list);
  }
  return history;
}

async function loadBedHolders(
  client: pg.PoolClient,
  prepared: PreparedMutation[],
): Promise<Map<string, string>> {
  const bedIds = strings(
    prepared.map((item) => (runs(item, 'bed_clash') ? item.data.bedId : null)),
  );
  if (bedIds.length === 0) return new Map();
  const result = await client.query<{ id: string; bed_id: string }>(
    `select id, bed_id from visits
      where bed_id = any($1::uuid[]) and status = 'admitted' and deleted_at is null`,
    [bedIds],
  );
  return new Map(result.rows.map((row) => [row.bed_id, row.id]));
}

async function loadGivenDoses(
  client: pg.PoolClient,
  prepared: PreparedMutation[],
): Promise<Map<string, GivenDose>> {
  const prescriptionIds = strings(
    prepared.map((item) =>
      runs(item, 'double_dose') && item.data.status === 'given' ? item.data.prescriptionId : null,
    ),
  );
  if (prescriptionIds.length === 0) return new Map();
  // The first version of a dose record names the workstation it was charted on.
  const result = await client.query<{
    id: string;
    prescription_id: string;
    scheduled_for: string;
    device_name: string | null;
  }>(
    `select m.id, m.prescription_id,
            to_char(m.scheduled_for at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as scheduled_for,
            d.name as device_name
       from medication_administrations m
       left join row_history h
         on h.table_name = 'medication_administrations' and h.row_id = m.id and h.version = 1
       left join devices d on d.id = h.device_id
      where m.prescription_id = any($1::uuid[]) and m.status = 'given' and m.deleted_at is null
      order by m.created_at`,
    [prescriptionIds],
  );
  const doses = new Map<string, GivenDose>();
  for (const row of result.rows) {
    const key = doseKey(row.prescription_id, row.scheduled_for);
    if (!doses.has(key)) doses.set(key, { administrationId: row.id, deviceName: row.device_name });
  }
  return doses;
}

/**
 * The stays and patients that entries of the batch name, when they are this hospital's. Read for
 * every mutation of a table with a late-entry or refused-change check, well-formed or not: a
 * refused change still says whose chart it was for.
 */
async function loadNamedRecords(
  client: pg.PoolClient,
  shapes: TableShapes,
  hospitalId: string,
  prepared: PreparedMutation[],
): Promise<{ stays: Map<string, KnownStay>; patients: Set<string> }> {
  const named = prepared.filter(
    (item) =>
      tableRuns(shapes, item, 'late_entry_after_discharge') ||
      tableRuns(shapes, item, 'refused_clinical_change'),
  );
  const visitIds = uuids(named.map((item) => item.mutation.data.visitId));
  const patientIds = uuids(named.map((item) => item.mutation.data.patientId));
  const stays = new Map<string, KnownStay>();
  const patients = new Set<string>();
  if (visitIds.length > 0) {
    const found = await client.query<{
      id: string;
      patient_id: string;
      status: string;
      discharged_at: string | null;
    }>(
      `select id, patient_id, status,
              to_char(discharged_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as discharged_at
         from visits where id = any($1::uuid[]) and hospital_id = $2`,
      [visitIds, hospitalId],
    );
    for (const row of found.rows) {
      stays.set(row.id, {
        patientId: row.patient_id,
        status: row.status,
        dischargedAt: row.discharged_at,
      });
    }
  }
  if (patientIds.length > 0) {
    const found = await client.query<{ id: string }>(
      'select id from patients where id = any($1::uuid[]) and hospital_id = $2',
      [patientIds, hospitalId],
    );
    for (const row of found.rows) patients.add(row.id);
  }
  return { stays, patients };
}

async function loadPatientIdentities(
  client: pg.PoolClient,
  hospitalId: string,
  prepared: PreparedMutation[],
): Promise<Map<string, string>> {
  const births = strings(
    prepared.map((item) =>
      runs(item, 'duplicate_patient') && item.mutation.op === 'insert'
        ? item.data.dateOfBirth
        : null,
    ),
  );
  if (births.length === 0) return new Map();
  const result = await client.query<{
    id: string;
    first_name: string;
    last_name: string;
    date_of_birth: string;
    sex: string;
  }>(
    `select id, first_name, last_name, to_char(date_of_birth, 'YYYY-MM-DD') as date_of_birth, sex
       from patients
      where hospital_id = $1 and date_of_birth = any($2::date[]) and deleted_at is null
        and merged_into_id is null`,
    [hospitalId, births],
  );
  return new Map(
    result.rows.map((row) => [
      identityKey({
        firstName: row.first_name,
        lastName: row.last_name,
        dateOfBirth: row.date_of_birth,
        sex: row.sex,
      }),
      row.id,
    ]),
  );
}

/**
 * Who owns each row the batch's changes name (for updates, as the row will be), one query per
 * referenced table. Rows the batch itself creates are not found here; the decisions read those
 * from the batch's rows.
 */
async function loadOwners(
  client: pg.PoolClient,
  prepared: PreparedMutation[],
  rows: Map<string, WireRow>,
): Promise<Map<string, string | null>> {
  const wanted = new Map<string, Set<string>>();
  for (const item of prepared) {
    if (!item.ok) continue;
    const table = item.shape.table.name;
    const values = referencingValues(item, rows.get(rowKey(table, item.mutation.id)));
    for (const reference of hospitalReferences(table)) {
      const value = values[reference.field];
      if (typeof value !== 'string') continue;
      const ids = wanted.get(reference.table) ?? new Set<string>();
      ids.add(value);
      wanted.set(reference.table, ids);
    }
  }
  const owners = new Map<string, string | null>();
  for (const [table, ids] of wanted) {
    const found = await client.query<{ id: string; hospital_id: string | null }>(
      `select id, hospital_id from "${table}" where id = any($1::uuid[])`,
      [[...ids]],
    );
    for (const row of found.rows) owners.set(rowKey(table, row.id), row.hospital_id);
  }
  return owners;
}

export async function loadBatchState(
  client: pg.PoolClient,
  shapes: TableShapes,
  hospitalId: string,
  prepared: PreparedMutation[],
): Promise<BatchState> {
  const seen = await loadSeen(client, hospitalId, prepared);
  const rows = await loadRows(client, shapes, prepared);
  // The accounts a change touches are judged too (server/sync/account-rules.ts).
  const staff = await loadStaff(
    client,
    strings([
      ...prepared.map((item) => item.mutation.userId),
      ...accountTargets(prepared, (table, id) => rows.get(rowKey(table, id))),
    ]),
  );
  // Before the history: the rows a merge moves join `rows`.
  const mergedInto = await loadMergeState(client, shapes, prepared, rows);
  const checked = (check: ServerCheckName) =>
    prepared.filter((item): item is Extract<PreparedMutation, { ok: true }> => runs(item, check));
  return {
    seen,
    staff,
    rows,
    mergedInto,
    bookings: await loadBookings(client, checked('slot_taken'), rows),
    stockOnHand: await loadStockOnHand(
      client,
      checked('negative_stock').filter((item) => item.mutation.op === 'insert'),
    ),
    history: await loadHistory(client, prepared, rows),
    bedHolders: await loadBedHolders(client, prepared),
    givenDoses: await loadGivenDoses(client, prepared),
    patientIdentities: await loadPatientIdentities(client, hospitalId, prepared),
    owners: await loadOwners(client, prepared, rows),
    ...(await loadNamedRecords(client, shapes, hospitalId, prepared)),
  };
}
