/**
 * Two hospitals on one server (SYNC-PROTOCOL.md, Tenancy): a workstation of South General (SGH)
 * and one of North General (NGH), enrolled against the real server, each charting and syncing.
 * SGH's replica never receives an NGH patient, visit or entry, nor NGH's staff; people outside
 * SGH (the region's administrators) it knows by name and role only, without email, login
 * counters or lock times. And the other way round.
 */
import { eq, isNull, ne, or, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users, visits } from '../../../db/local/schema';
import { DEMO_HOSPITAL_ID, demoUserId, SECOND_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { recordVitals } from '../../../main/services/vitals';
import { outsiderEmail } from '../../../shared/catalog/access';
import { SYNCED_TABLES } from '../../../shared/synced-tables';
import type { LocalDb } from '../../../db/local/open';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { replicaVersions, serverVersions } from '../../support/convergence';
import { enrolledWorkstation, type TestWorkstation } from '../../support/workstation';

/** Rows of hospital tables in a replica that belong to another hospital than `own`. */
function foreignRows(db: LocalDb, own: string): string[] {
  return SYNCED_TABLES.filter((table) => table.scope === 'hospital').flatMap((table) =>
    db
      .all<{ id: string }>(
        sql`select id from ${sql.identifier(table.name)} where hospital_id is not null and hospital_id <> ${own}`,
      )
      .map((row) => `${table.name}:${row.id}`),
  );
}

/** Who a replica knows that does not belong to its hospital, and what it knows of them. */
function outsiders(db: LocalDb, own: string) {
  return db
    .select()
    .from(users)
    .where(or(isNull(users.hospitalId), ne(users.hospitalId, own)))
    .all();
}

describe('two hospitals on one server', () => {
  let server: CentralServer;
  let south: TestWorkstation;
  let north: TestWorkstation;

  beforeAll(async () => {
    server = await startCentralServer();
    south = await enrolledWorkstation('sgh-ward', server.url, await server.enrollmentCode('SGH'));
    north = await enrolledWorkstation('ngh-ward', server.url, await server.enrollmentCode('NGH'));
  });
  afterAll(async () => {
    await south.close();
    await north.close();
    await server.close();
  });

  const admitted = (ws: TestWorkstation) => {
    const visit = ws.db.select().from(visits).where(eq(visits.status, 'admitted')).get();
    if (!visit) throw new Error(`no admitted visit in ${ws.name}'s replica`);
    return visit;
  };

  it('each pulls its own hospital whole, and nothing of the other', async () => {
    expect(replicaVersions(south.db, SECOND_HOSPITAL_ID)).toEqual(
      await serverVersions(server.database, SECOND_HOSPITAL_ID),
    );
    expect(replicaVersions(north.db, DEMO_HOSPITAL_ID)).toEqual(
      await serverVersions(server.database, DEMO_HOSPITAL_ID),
    );
    expect(foreignRows(south.db, SECOND_HOSPITAL_ID)).toEqual([]);
    expect(foreignRows(north.db, DEMO_HOSPITAL_ID)).toEqual([]);
  });

  it('both chart and sync; still neither receives the other’s rows', async () => {
    recordVitals(south.as('nurse.sgh@hass.example'), {
      visitId: admitted(south).id,
      heartRate: 88,
      spo2: 95,
    });
    recordVitals(north.as('nurse@hass.example'), {
      visitId: admitted(north).id,
      heartRate: 72,
      spo2: 98,
    });
    // A wrong password for the region's administrator rewrites their row on the server.
    await server.database.db.$client.query(
      `update users set failed_login_count = 3, locked_until = now(), last_login_at = now()
        where id = $1`,
      [demoUserId('regional@hass.example')],
    );
    for (const ws of [south, north, south, north]) expect((await ws.sync()).ok).toBe(true);
    expect(foreignRows(south.db, SECOND_HOSPITAL_ID)).toEqual([]);
    expect(foreignRows(north.db, DEMO_HOSPITAL_ID)).toEqual([]);
    expect(replicaVersions(south.db, SECOND_HOSPITAL_ID)).toEqual(
      await serverVersions(server.database, SECOND_HOSPITAL_ID),
    );
  });

  it('SGH knows NGH’s staff not at all, and the region’s administrators by name and role only', () => {
    const known = outsiders(south.db, SECOND_HOSPITAL_ID);
    expect(known.map((user) => user.id)).not.toContain(demoUserId('nurse@hass.example'));
    expect(known.map((user) => user.id).sort()).toEqual(
      [demoUserId('admin@hass.example'), demoUserId('regional@hass.example')].sort(),
    );
    for (const user of known) {
      expect(user).toMatchObject({
        hospitalId: null,
        email: outsiderEmail(user.id),
        regionId: null,
        failedLoginCount: 0,
        lockedUntil: null,
        lastLoginAt: null,
      });
    }
    expect(known.find((user) => user.id === demoUserId('regional@hass.example'))).toMatchObject({
      fullName: 'Rhea Lindqvist',
      role: 'regional_admin',
    });
    const everything = JSON.stringify(
      SYNCED_TABLES.map((table) => south.db.all(sql`select * from ${sql.identifier(table.name)}`)),
    );
    const emails = new Set(everything.match(/[\w.]+@hass\.example/g) ?? []);
    expect([...emails]).toEqual(['nurse.sgh@hass.example']);
  });
});
