import { describe, expect, it } from 'vitest';
import {
  SYNCED_TABLES as TABLES,
  findSyncedTable,
  type SyncedTable,
} from '../../../shared/catalog';
import { checksOf } from '../../../shared/catalog/constraints';
import { refuseInitialStatus, refuseTransition } from '../../../shared/catalog/status-machine';
import { requiredPermissions, type MutationChange } from '../../../shared/mutation-permissions';

/** The entries as the rules read them (the list's own type is a union of each entry's). */
const SYNCED_TABLES: readonly SyncedTable[] = TABLES;

const tableNamed = (name: string) => {
  const table = findSyncedTable(name);
  if (!table) throw new Error(`no catalog table ${name}`);
  return table;
};

describe('the catalog of synced tables', () => {
  it('lists every table after the tables its rows refer to', () => {
    const seen = new Set<string>();
    for (const table of SYNCED_TABLES) {
      const targets = Object.values(table.columns).flatMap((c) => c.spec.references?.table ?? []);
      if (table.hospitalId === 'required' || table.hospitalId === 'nullable') {
        targets.push('hospitals');
      }
      for (const target of targets) {
        if (target !== table.name)
          expect({ table: table.name, target, seen: seen.has(target) }).toEqual({
            table: table.name,
            target,
            seen: true,
          });
      }
      seen.add(table.name);
    }
  });

  it('refers only to columns that exist', () => {
    for (const table of SYNCED_TABLES) {
      for (const [key, column] of Object.entries(table.columns)) {
        const reference = column.spec.references;
        if (!reference) continue;
        const target = tableNamed(reference.table);
        expect({
          from: `${table.name}.${key}`,
          exists: reference.column === 'id' || Object.hasOwn(target.columns, reference.column),
        }).toEqual({ from: `${table.name}.${key}`, exists: true });
      }
    }
  });

  it('names every index, unique constraint and check once', () => {
    const names = SYNCED_TABLES.flatMap((table) => [
      ...[...table.indexes, ...table.sqlite.indexes, ...table.postgres.indexes].map((i) => i.name),
      ...Object.values(table.columns).flatMap((c) => c.spec.unique ?? []),
      ...checksOf(table).map((c) => c.name),
    ]);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it('names only its own columns in indexes and checks', () => {
    const sync = [
      'id',
      'hospitalId',
      'version',
      'createdAt',
      'updatedAt',
      'deletedAt',
      'updatedBy',
    ];
    for (const table of SYNCED_TABLES) {
      const known = new Set([...sync, ...Object.keys(table.columns)]);
      const fragments = [
        ...[...table.indexes, ...table.sqlite.indexes, ...table.postgres.indexes].flatMap((i) => [
          ...i.columns.map((c) => (/^\w+$/.test(c) ? `{${c}}` : c)),
          i.where ?? '',
        ]),
        ...checksOf(table).map((c) => c.sql),
      ];
      for (const fragment of fragments) {
        for (const [, column] of fragment.matchAll(/\{(\w+)\}/g)) {
          expect({ table: table.name, column, known: known.has(column ?? '') }).toEqual({
            table: table.name,
            column,
            known: true,
          });
        }
      }
    }
  });

  it('keeps each status machine within the values of its status column', () => {
    for (const table of SYNCED_TABLES) {
      const machine = table.statusMachine;
      if (!machine) continue;
      const values = table.columns[machine.field]?.spec.values ?? [];
      const named = [
        ...machine.initial,
        ...Object.keys(machine.transitions),
        ...Object.values(machine.transitions).flat(),
      ];
      expect(named.filter((status) => !values.includes(status))).toEqual([]);
      expect(Object.keys(machine.transitions).sort()).toEqual([...values].sort());
      const update = table.permissions.update;
      if (typeof update === 'object') {
        expect(Object.keys(update.statusTo ?? {}).filter((s) => !values.includes(s))).toEqual([]);
      }
    }
  });

  it('names only existing fields in its permission rules', () => {
    for (const table of SYNCED_TABLES) {
      const update = table.permissions.update;
      if (typeof update !== 'object') continue;
      const unknown = Object.keys(update.fields ?? {}).filter(
        (f) => !Object.hasOwn(table.columns, f),
      );
      expect({ table: table.name, unknown }).toEqual({ table: table.name, unknown: [] });
    }
  });
});

describe('the rules a catalog entry carries', () => {
  const visit = { status: 'admitted', wardId: 'w1', bedId: 'b1', dischargeSummary: null };
  const update = (
    table: string,
    changes: Record<string, unknown>,
    before: Record<string, unknown> = visit,
  ): MutationChange => ({
    table,
    op: 'update',
    before,
    changes,
  });

  it('ask for the permissions of what a visit update changes', () => {
    expect(requiredPermissions({ table: 'visits', op: 'insert', changes: visit })).toEqual([
      'visits:admit',
    ]);
    expect(
      requiredPermissions({ table: 'visits', op: 'delete', before: visit, changes: {} }),
    ).toEqual(['visits:admit']);
    expect(
      requiredPermissions(
        update('visits', { status: 'discharged', dischargedAt: 'now', dischargeSummary: 'ok' }),
      ),
    ).toEqual(['visits:discharge']);
    expect(requiredPermissions(update('visits', { status: 'cancelled' }))).toEqual([
      'visits:admit',
    ]);
    expect(requiredPermissions(update('visits', { wardId: 'w2', bedId: null }))).toEqual([
      'visits:transfer',
    ]);
    expect(requiredPermissions(update('visits', { bedId: 'b2', admissionReason: 'fall' }))).toEqual(
      ['visits:transfer', 'visits:admit'],
    );
    expect(requiredPermissions(update('visits', { wardId: 'w1' }))).toEqual(['visits:read']);
  });

  it('ask for the permission of the lab status a lab test reaches', () => {
    const lab = { status: 'pending', result: null };
    expect(requiredPermissions({ table: 'lab_tests', op: 'insert', changes: lab })).toEqual([
      'lab_tests:order',
    ]);
    expect(
      requiredPermissions({ table: 'lab_tests', op: 'delete', before: lab, changes: {} }),
    ).toEqual(['lab_tests:cancel']);
    for (const [status, permission] of [
      ['accepted', 'lab_tests:accept'],
      ['in_progress', 'lab_tests:start'],
      ['completed', 'lab_tests:complete'],
      ['cancelled', 'lab_tests:cancel'],
    ] as const) {
      expect(requiredPermissions(update('lab_tests', { status }, lab))).toEqual([permission]);
    }
    expect(requiredPermissions(update('lab_tests', { result: '4.2' }, lab))).toEqual([
      'lab_tests:complete',
    ]);
    // Editing an order's name is not a step of the lab workflow.
    expect(requiredPermissions(update('lab_tests', { testName: 'FBC' }, lab))).toEqual([
      'lab_tests:read',
    ]);
  });

  it('ask one permission per op elsewhere, and refuse reference data and unknown tables', () => {
    expect(
      requiredPermissions({ table: 'appointments', op: 'update', before: {}, changes: {} }),
    ).toEqual(['appointments:manage']);
    // A bed is occupied and freed by admissions, transfers and discharges; only taking it out of
    // use is managing it.
    const bed = { status: 'available' };
    expect(
      requiredPermissions({
        table: 'beds',
        op: 'update',
        before: bed,
        changes: { status: 'occupied' },
      }),
    ).toEqual(['visits:admit']);
    expect(
      requiredPermissions({
        table: 'beds',
        op: 'update',
        before: bed,
        changes: { status: 'reserved' },
      }),
    ).toEqual(['beds:manage']);
    expect(requiredPermissions({ table: 'beds', op: 'update', before: bed, changes: {} })).toEqual([
      'beds:read',
    ]);
    // Freed by a discharge is the ward's; back from maintenance or a reservation the manager's.
    const freed = (from: string) =>
      requiredPermissions({
        table: 'beds',
        op: 'update',
        before: { status: from },
        changes: { status: 'available' },
      });
    expect(freed('occupied')).toEqual(['visits:admit']);
    expect(freed('maintenance')).toEqual(['beds:manage']);
    expect(freed('reserved')).toEqual(['beds:manage']);
    expect(requiredPermissions({ table: 'vitals', op: 'insert', changes: {} })).toEqual([
      'vitals:create',
    ]);
    expect(
      requiredPermissions({ table: 'vitals', op: 'update', before: {}, changes: {} }),
    ).toBeNull();
    expect(requiredPermissions({ table: 'hospitals', op: 'insert', changes: {} })).toBeNull();
    expect(
      requiredPermissions({ table: 'roles', op: 'update', before: {}, changes: {} }),
    ).toBeNull();
    expect(requiredPermissions({ table: 'no_such_table', op: 'insert', changes: {} })).toBeNull();
  });

  it('enforce the status machine of visits and lab tests, and no other', () => {
    expect(refuseInitialStatus(tableNamed('visits'), { status: 'discharged' })).toBe(
      'A new visit starts as admitted, not discharged.',
    );
    expect(refuseInitialStatus(tableNamed('lab_tests'), { status: 'pending' })).toBeNull();
    expect(refuseTransition(tableNamed('lab_tests'), 'completed', 'pending')).toBe(
      'A lab test cannot go from completed to pending.',
    );
    expect(refuseTransition(tableNamed('visits'), 'admitted', 'discharged')).toBeNull();
    expect(refuseTransition(tableNamed('prescriptions'), 'completed', 'active')).toBeNull();
    expect(refuseInitialStatus(tableNamed('prescriptions'), { status: 'completed' })).toBeNull();
  });

  it('keep clinical entries, merges and stock movements append-only and say which join the global EMR', () => {
    expect(SYNCED_TABLES.filter((t) => t.appendOnly).map((t) => t.name)).toEqual([
      'patient_merges',
      'vitals',
      'nurse_logs',
      'medication_administrations',
      'inventory_movements',
    ]);
    expect(
      SYNCED_TABLES.filter((t) => t.globalEmr === 'entry')
        .map((t) => t.name)
        .sort(),
    ).toEqual([
      'emr_local',
      'lab_tests',
      'medication_administrations',
      'nurse_logs',
      'prescriptions',
      'vitals',
    ]);
  });

  it('derive an entry schema that holds rules over the whole entry', () => {
    const mar = tableNamed('medication_administrations');
    const dose = {
      prescriptionId: '0190f5d2-7c1a-7000-8000-000000000001',
      visitId: null,
      patientId: '0190f5d2-7c1a-7000-8000-000000000002',
      scheduledFor: '2026-11-23T08:00:00.000Z',
      status: 'held',
      reason: null,
      administeredAt: '2026-11-23T08:05:00.000Z',
      administeredBy: '0190f5d2-7c1a-7000-8000-000000000003',
      enteredInErrorId: null,
      wristbandCheck: null,
      wristbandSkipReason: null,
    };
    expect(mar.fields.safeParse(dose).success).toBe(true);
    const result = mar.entrySchema.safeParse(dose);
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error.issues[0]?.path).toEqual(['reason']);
      expect(result.error.issues[0]?.message).toBe('Say why the dose was held or refused');
    }
    expect(mar.entrySchema.safeParse({ ...dose, reason: 'asleep' }).success).toBe(true);
    // A skipped wristband scan says why (issue 17).
    const skipped = { ...dose, reason: 'asleep', wristbandCheck: 'skipped' };
    expect(mar.entrySchema.safeParse(skipped).success).toBe(false);
    expect(
      mar.entrySchema.safeParse({ ...skipped, wristbandSkipReason: 'band unreadable' }).success,
    ).toBe(true);
  });
});
