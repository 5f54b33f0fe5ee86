/**
 * A revoked workstation (issue 14): on the server's 401 for its revoked token it stops taking new
 * clinical entries and says why, while charts can still be read; enrolled again, it keeps its
 * unsent entries and sends them. Nothing unsent is deleted.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visits } from '../../../db/local/schema';
import { DEMO_USERS } from '../../../db/seed/demo-data';
import { createAppCaller } from '../../../main/api/router';
import { WardError } from '../../../main/errors';
import { openChart } from '../../../main/services/chart';
import { recordVitals } from '../../../main/services/vitals';
import { enrollWorkstation } from '../../../main/sync/enroll';
import { createSyncTransport } from '../../../main/sync/transport';
import {
  listWaitingForSignatures,
  signWaitingChanges,
} from '../../../main/sync/waiting-signatures';
import { DEVICE_REVOKED_MESSAGE } from '../../../main/sync/sync-failure';
import { httpServerAuth } from '../../../main/sync/server-auth';
import { readSyncState } from '../../../main/sync/sync-state';
import { createWorkstation } from '../../../main/workstation';
import { revokeDeviceFromConsole } from '../../../server/devices/revoke';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { enrolledWorkstation, type TestWorkstation } from '../../support/workstation';

const NURSE = 'nurse@hass.example';

function demoPassword(email: string): string {
  const user = DEMO_USERS.find((candidate) => candidate.email === email);
  if (!user) throw new Error(`${email} is not a demo user`);
  return user.password;
}

describe('a workstation IT revoked', () => {
  let server: CentralServer;
  let ward: TestWorkstation;

  beforeAll(async () => {
    server = await startCentralServer();
    ward = await enrolledWorkstation('revoked-ward', server.url, await server.enrollmentCode());
  });
  afterAll(async () => {
    await ward.close();
    await server.close();
  });

  const serverCount = async (note: string) =>
    (
      await server.database.db.execute<{ n: number }>(
        sql`select count(*)::int as n from vitals where notes = ${note}`,
      )
    ).rows[0]?.n;

  it('stops new entries and says why, keeps reading and its unsent entries, and sends them once enrolled again', async () => {
    const nurse = ward.as(NURSE);
    await ward.ready();
    const visit = ward.db.select().from(visits).where(eq(visits.status, 'admitted')).get();
    if (!visit) throw new Error('no admitted visit');
    recordVitals(nurse, { visitId: visit.id, heartRate: 80, notes: 'before revocation' });

    const deviceId = readSyncState(ward.db).deviceId ?? '';
    expect(
      await revokeDeviceFromConsole(server.database.db.$client, { deviceId, now: new Date() }),
    ).not.toBeNull();
    const run = await ward.sync();
    expect(run.ok).toBe(false);
    expect(run.error).toBe(DEVICE_REVOKED_MESSAGE);
    expect(ward.engine.status()).toMatchObject({ deviceRevoked: true, pending: 1 });

    const refused = (() => {
      try {
        recordVitals(nurse, { visitId: visit.id, heartRate: 81, notes: 'after revocation' });
        return null;
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(WardError);
    expect(refused).toMatchObject({ code: 'device_revoked' });
    expect((refused as WardError).message).toMatch(/withdrawn by IT.*can still be read/);
    // Reading goes on, and is audited as always.
    expect(openChart(nurse, { patientId: visit.patientId }).patient.id).toBe(visit.patientId);
    expect(ward.engine.status().pending).toBe(1);

    await enrollWorkstation(ward.db, ward.tokens, {
      serverUrl: server.url,
      code: await server.enrollmentCode(),
      deviceName: 'revoked-ward again',
    });
    expect(readSyncState(ward.db).deviceId).not.toBe(deviceId);
    // The nurse's key is not registered from the new enrollment yet: her entry waits for her.
    expect((await ward.sync()).ok).toBe(true);
    expect(ward.engine.status()).toMatchObject({ deviceRevoked: false, pending: 1 });
    expect(listWaitingForSignatures(ward.db).people).toMatchObject([{ changes: 1 }]);
    expect(await serverCount('before revocation')).toBe(0);

    // Her next online sign-in here registers her key for this enrollment and signs it again.
    const signer = ward.signerOf(NURSE);
    const login = createSyncTransport({
      baseUrl: server.url,
      deviceToken: () => ward.tokens.read(),
    });
    await login.login(NURSE, demoPassword(NURSE), signer.publicKey);
    signWaitingChanges(ward.db, signer);
    expect((await ward.sync()).ok).toBe(true);
    expect(ward.engine.status()).toMatchObject({ pending: 0, needsAttention: 0 });
    expect(await serverCount('before revocation')).toBe(1);
    recordVitals(nurse, { visitId: visit.id, heartRate: 82, notes: 'enrolled again' });
    expect((await ward.sync()).ok).toBe(true);
    expect(await serverCount('enrolled again')).toBe(1);
  });

  it('lets a person who signed in there before sign in again, checking the password on the workstation', async () => {
    const station = await enrolledWorkstation(
      'revoked-sign-in',
      server.url,
      await server.enrollmentCode(),
    );
    try {
      const app = createAppCaller(
        createWorkstation({
          db: station.db,
          serverAuth: httpServerAuth(() => station.engine.transport()),
          sync: station.engine,
        }),
      );
      const manager = { email: 'manager@hass.example', password: 'manager123' };
      await expect(app.auth.login(manager)).resolves.toMatchObject({ mode: 'online' });
      await app.auth.logout();
      const deviceId = readSyncState(station.db).deviceId ?? '';
      expect(
        await revokeDeviceFromConsole(server.database.db.$client, { deviceId, now: new Date() }),
      ).not.toBeNull();
      expect((await station.sync()).ok).toBe(false);
      expect(readSyncState(station.db).deviceRevokedAt).not.toBeNull();

      // The server refuses the revoked token before any password: the password is checked here.
      await expect(app.auth.login(manager)).resolves.toMatchObject({ mode: 'offline' });
      await app.auth.logout();
      await expect(app.auth.login({ ...manager, password: 'not-it' })).rejects.toThrow(
        /password is not right/,
      );
      // Someone who never signed in on it cannot: nothing here knows their password.
      await expect(app.auth.login({ email: NURSE, password: demoPassword(NURSE) })).rejects.toThrow(
        /has not signed in on this workstation/,
      );
    } finally {
      await station.close();
    }
  });
});
