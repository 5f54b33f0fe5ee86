/**
 * Feed retention, end to end (issue 14, "Done when"): a workstation away for 40 days with
 * changes it never sent comes back after the server compacted its feed, is told
 * `cursor_expired`, reads the record again from the start and loses nothing; what the other
 * workstations changed meanwhile all arrives. Real PostgreSQL, real replicas, real HTTP; the 40
 * days are the server's injected clock and compaction's `now`, never a wait.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, patients, visits, vitals } from '../../../db/local/schema';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { registerPatient } from '../../../main/services/patients';
import { recordVitals } from '../../../main/services/vitals';
import { writeClinical, type WriteContext } from '../../../main/services/write-path';
import { pullChanges } from '../../../main/sync/pull';
import { readReplicaScope } from '../../../main/sync/snapshot';
import { createSyncTransport } from '../../../main/sync/transport';
import { compactFeed } from '../../../server/sync/feed-compaction';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { replicaVersions, serverVersions } from '../../support/convergence';
import { enrolledWorkstation, type TestWorkstation } from '../../support/workstation';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('a workstation away for 40 days, past the feed horizon', () => {
  // The server's clock stamps each pull cursor it hands out; the database stamps feed entries
  // with its own clock, so both start at the same real time.
  const serverClock = { now: new Date() };
  let server: CentralServer;
  let away: TestWorkstation;
  let night: TestWorkstation;
  let desk: TestWorkstation;

  beforeAll(async () => {
    server = await startCentralServer({ now: () => serverClock.now });
    away = await enrolledWorkstation('away', server.url, await server.enrollmentCode());
    // "night" loads snapshots (docs/SYNC.md "Snapshot first sync"): its re-read is one too.
    night = await enrolledWorkstation('night', server.url, await server.enrollmentCode(), {
      replica: { snapshot: true, dischargedWithinDays: null, snapshotPageRows: 500 },
    });
    desk = await enrolledWorkstation('desk', server.url, await server.enrollmentCode());
  });
  afterAll(async () => {
    await away.close();
    await night.close();
    await desk.close();
    await server.close();
  });

  const editPatient = (
    context: WriteContext,
    id: string,
    changes: { phone?: string; address?: string },
  ) => writeClinical(context, (batch) => batch.update(patients, id, changes));

  const patientNamed = (ws: TestWorkstation, lastName: string) => {
    const row = ws.db.select().from(patients).where(eq(patients.lastName, lastName)).get();
    if (!row) throw new Error(`${ws.name} has no patient ${lastName}`);
    return row;
  };

  const admitted = (ws: TestWorkstation) =>
    ws.db.select().from(visits).where(eq(visits.status, 'admitted')).orderBy(visits.id).all();

  it('keeps its unsent changes through the re-pull, then sends them; everything made meanwhile arrives', async () => {
    // Everyone who writes has signed in online before the workstations part.
    const awayNurse = away.as('nurse@hass.example');
    const awayDesk = away.as('reception@hass.example');
    const nightNurse = night.as('nurse@hass.example');
    const deskReception = desk.as('reception@hass.example');
    const deskNurse = desk.as('nurse@hass.example');
    await Promise.all([away.ready(), night.ready(), desk.ready()]);
    const [firstVisit, secondVisit] = admitted(away);
    if (!firstVisit || !secondVisit) throw new Error('the demo hospital has two admitted visits');
    const shared = admitted(away)[0]?.patientId ?? '';

    // Day 0: "away" and "night" go quiet with changes they never send.
    editPatient(awayNurse, shared, { address: '12 Harbour Road (from away)' });
    recordVitals(awayNurse, { visitId: firstVisit.id, heartRate: 131, notes: 'unsent, away' });
    registerPatient(awayDesk, {
      firstName: 'Kept',
      lastName: 'Offline',
      dateOfBirth: '1961-03-02',
      sex: 'male',
    });
    recordVitals(nightNurse, { visitId: secondVisit.id, spo2: 91, notes: 'unsent, night' });
    const awayUnsent = away.engine.status().pending;
    expect(awayUnsent).toBe(3);

    // Meanwhile the desk works on: the shared patient's phone edited again and again (each
    // version superseding the last), new patients, vitals.
    for (let edit = 1; edit <= 6; edit += 1) {
      editPatient(deskReception, shared, { phone: `+44 7700 90010${edit}` });
      expect((await desk.sync()).ok).toBe(true);
    }
    for (const lastName of ['Meanwhile', 'Later']) {
      registerPatient(deskReception, {
        firstName: 'Arrived',
        lastName,
        dateOfBirth: '1975-06-15',
        sex: 'female',
      });
      recordVitals(deskNurse, { visitId: secondVisit.id, temperatureC: 38.4, notes: lastName });
      expect((await desk.sync()).ok).toBe(true);
    }

    // 40 days on, the server compacts its feed past the 30-day horizon.
    const later = new Date(Date.now() + 40 * DAY_MS);
    serverClock.now = later;
    const compacted = await compactFeed(server.database.db.$client, {
      horizonDays: 30,
      now: later,
    });
    expect(compacted.removed).toBeGreaterThanOrEqual(5);

    // "away" pulls before it pushes (as when its push fails): told cursor_expired, it reads
    // everything again from the start, over its unsent edits, which stay on top and queued.
    const transport = createSyncTransport({
      baseUrl: server.url,
      deviceToken: () => away.tokens.read(),
    });
    const pulled = await pullChanges(away.db, transport);
    expect(pulled.repulled).toBe(true);
    expect(away.engine.status().pending).toBe(awayUnsent);
    const merged = away.db.select().from(patients).where(eq(patients.id, shared)).get();
    expect(merged?.address).toBe('12 Harbour Road (from away)');
    expect(merged?.phone).toBe('+44 7700 900106');
    expect(patientNamed(away, 'Meanwhile').firstName).toBe('Arrived');
    expect(patientNamed(away, 'Offline').firstName).toBe('Kept');

    // Then it syncs as usual: everything unsent lands, and its replica is the server's.
    const synced = await away.sync();
    expect(synced).toMatchObject({ ok: true });
    expect(away.engine.status()).toMatchObject({ pending: 0, needsAttention: 0, conflicts: 0 });

    // "night" only ever syncs the usual way (push, then pull; the re-read is a snapshot).
    const snapshotBefore = readReplicaScope(night.db)?.snapshotDoneAt;
    expect(await night.sync()).toMatchObject({ ok: true });
    expect(readReplicaScope(night.db)?.snapshotDoneAt).not.toBe(snapshotBefore);
    expect(night.engine.status()).toMatchObject({ pending: 0, needsAttention: 0 });

    // The desk, which pulled within the horizon, pulls on as before; "away" hears of "night".
    expect(await desk.sync()).toMatchObject({ ok: true });
    expect(await away.sync()).toMatchObject({ ok: true });

    const expected = await serverVersions(server.database, DEMO_HOSPITAL_ID);
    for (const ws of [away, night, desk]) {
      expect(replicaVersions(ws.db, DEMO_HOSPITAL_ID), ws.name).toEqual(expected);
      const row = ws.db.select().from(patients).where(eq(patients.id, shared)).get();
      expect(row?.address, ws.name).toBe('12 Harbour Road (from away)');
      expect(row?.phone, ws.name).toBe('+44 7700 900106');
      expect(patientNamed(ws, 'Offline').firstName).toBe('Kept');
      expect(patientNamed(ws, 'Later').firstName).toBe('Arrived');
      for (const notes of ['unsent, away', 'unsent, night', 'Meanwhile', 'Later']) {
        expect(
          ws.db.select().from(vitals).where(eq(vitals.notes, notes)).all(),
          `${ws.name}: ${notes}`,
        ).toHaveLength(1);
      }
    }
    const stillQueued = away.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.status, 'pending')))
      .all();
    expect(stillQueued).toHaveLength(0);
  });
});
