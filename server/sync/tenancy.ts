/**
 * A device acts for its hospital only (SYNC-PROTOCOL.md, Tenancy): a pushed change may neither
 * touch another hospital's row nor name one in a reference (`patientId`, `visitId`, `bedId`, …),
 * and a refusal never carries the other hospital's row back. Which columns are references comes
 * from the catalog (`Column.references`), so a reference added later is checked without a change
 * here.
 */
import { findSyncedTable, SYNCED_TABLES } from '../../shared/catalog';
import type { SyncedTable } from '../../shared/catalog/table';
import type { Reason } from '../../shared/protocol';
import type { PreparedMutation } from './prepare';
import type { WireRow } from './rows';

interface HospitalReference {
  field: string;
  /** A table whose rows belong to a hospital; references to shared reference data are free. */
  table: string;
}

function hospitalReferencesOf(table: SyncedTable): HospitalReference[] {
  return Object.entries(table.columns).flatMap(([field, column]) => {
    const reference = column.spec.references;
    const target = reference ? findSyncedTable(reference.table) : undefined;
    if (!reference || !target || target.scope !== 'hospital') return [];
    // Owners are looked up by id; a reference by another column would go unchecked.
    if (reference.column !== 'id') {
      throw new Error(
        `${table.name}.${field} refers to ${target.name}.${reference.column}: tenancy checks look rows up by id.`,
      );
    }
    return [{ field, table: target.name }];
  });
}

const REFERENCES = new Map<string, HospitalReference[]>(
  SYNCED_TABLES.map((table) => [table.name, hospitalReferencesOf(table)]),
);

/** The references of a table that name rows of a hospital, by field (catalog-derived). */
export const hospitalReferences = (table: string): readonly HospitalReference[] =>
  REFERENCES.get(table) ?? [];

/** The row a mutation leaves, as far as its references go: the current row with the changes. */
export function referencingValues(
  item: Extract<PreparedMutation, { ok: true }>,
  current: WireRow | undefined,
): Record<string, unknown> {
  if (item.mutation.op === 'delete') return {};
  return { ...current, ...item.data };
}

const refusal = (message: string): Reason => ({ code: 'forbidden', message });

/** An insert whose id is already another hospital's row: refused, and that row stays unseen. */
export const foreignIdRefusal = (table: string): Reason =>
  refusal(`id: this ${table} id belongs to a record this workstation's hospital cannot change.`);

/** An update or delete of a row of another hospital (or of none, such as a regional admin). */
export const foreignRowRefusal = (table: string): Reason =>
  refusal(
    `This ${table} record is not this hospital's; a workstation changes its own hospital's records only.`,
  );

/** A mutation id first sent by another hospital's workstation: its answer is not ours to see. */
export const foreignMutationRefusal = (): Reason =>
  refusal(
    "mutationId: this change id was already used by another hospital's workstation; send the change with a new id.",
  );

/**
 * The first reference of the row a change leaves that names another hospital's row, as a
 * refusal; null when every reference stays in the device's hospital (or names a person of no
 * hospital, such as a regional administrator, whom every hospital sees by name).
 */
export function refuseForeignReferences(
  hospitalId: string,
  table: SyncedTable,
  values: Record<string, unknown>,
  ownerOf: (table: string, id: string) => string | null | undefined,
): Reason | null {
  for (const reference of hospitalReferences(table.name)) {
    const value = values[reference.field];
    if (typeof value !== 'string') continue;
    const owner = ownerOf(reference.table, value);
    // An unknown row is the foreign key's to refuse ("refers to a record the server does not have").
    if (owner === undefined || owner === null || owner === hospitalId) continue;
    return refusal(
      `${reference.field}: names a record of another hospital; a workstation's changes stay within its own hospital.`,
    );
  }
  return null;
}
