/**
 * A revoked workstation's rescue file (issue 14): its unsent entries, sealed to IT's public key,
 * replayed by an administrator on another workstation of the hospital. They reach the server
 * once, as the revoked workstation's own (its authors' signatures, its numbering); replaying again,
 * or the workstation enrolled again sending them itself, changes nothing. A refused entry is
 * listed; a wrong key or a changed byte opens nothing.
 */
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, visits } from '../../../db/local/schema';
import { DEMO_USERS } from '../../../db/seed/demo-data';
import { WardError } from '../../../main/errors';
import { registerPatient } from '../../../main/services/patients';
import { recordVitals } from '../../../main/services/vitals';
import { enrollWorkstation } from '../../../main/sync/enroll';
import { exportRescueFile } from '../../../main/sync/rescue-export';
import { createAppCaller } from '../../../main/api/router';
import { runRescueCli } from '../../../main/sync/rescue-cli';
import { httpServerAuth } from '../../../main/sync/server-auth';
import { createWorkstation } from '../../../main/workstation';
import { replayRescueFile } from '../../../main/sync/rescue-replay';
import { readSyncState } from '../../../main/sync/sync-state';
import { createSyncTransport } from '../../../main/sync/transport';
import { signWaitingChanges } from '../../../main/sync/waiting-signatures';
import { revokeDeviceFromConsole } from '../../../server/devices/revoke';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { enrolledWorkstation, type TestWorkstation } from '../../support/workstation';

const NURSE = 'nurse@hass.example';
const RECEPTION = 'reception@hass.example';
const MANAGER = 'manager@hass.example';
const PATIENT_SURNAME = 'Quillfeather';

function rsaPair(): { publicKey: string; privateKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

function refusal(run: () => unknown): unknown {
  try {
    run();
    return null;
  } catch (error) {
    return error;
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return null;
  } catch (error) {
    return error;
  }
}

describe('the rescue file of a revoked workstation', () => {
  let server: CentralServer;
  let revoked: TestWorkstation;
  let relay: TestWorkstation;
  const it_ = rsaPair();

  beforeAll(async () => {
    server = await startCentralServer();
    revoked = await enrolledWorkstation(
      'rescue-revoked',
      server.url,
      await server.enrollmentCode(),
    );
    relay = await enrolledWorkstation('rescue-relay', server.url, await server.enrollmentCode());
  });
  afterAll(async () => {
    await revoked.close();
    await relay.close();
    await server.close();
  });

  const count = async (query: ReturnType<typeof sql>) =>
    (await server.database.db.execute<{ n: number }>(query)).rows[0]?.n;
  const notesOnServer = (prefix: string) =>
    count(sql`select count(*)::int as n from vitals where notes like ${`${prefix}%`}`);
  const patientsOnServer = () =>
    count(sql`select count(*)::int as n from patients where last_name = ${PATIENT_SURNAME}`);

  it('carries the unsent entries sealed, lands them once as the revoked workstation’s own, and lists the refused one', async () => {
    const nurse = revoked.as(NURSE);
    const reception = revoked.as(RECEPTION);
    await revoked.ready();
    const visit = revoked.db.select().from(visits).where(eq(visits.status, 'admitted')).get();
    if (!visit) throw new Error('no admitted visit');
    registerPatient(reception, {
      firstName: 'Ottilie',
      lastName: PATIENT_SURNAME,
      dateOfBirth: '1961-03-04',
      sex: 'female',
    });
    for (let i = 0; i < 3; i += 1)
      recordVitals(nurse, { visitId: visit.id, heartRate: 70 + i, notes: `rescued ${i}` });
    // A colleague with no signing key here yet (upgraded from protocol 1): stored unsigned.
    recordVitals(
      { ...nurse, actor: { ...nurse.actor, signer: null } },
      { visitId: visit.id, heartRate: 90, notes: 'rescued unsigned' },
    );
    const unsent = 5;

    const originId = readSyncState(revoked.db).deviceId ?? '';
    expect(
      await revokeDeviceFromConsole(server.database.db.$client, {
        deviceId: originId,
        now: new Date(),
      }),
    ).not.toBeNull();
    expect((await revoked.sync()).ok).toBe(false);
    expect(revoked.engine.status()).toMatchObject({ deviceRevoked: true, pending: unsent });

    // IT exports it (the CLI: no person signed in), sealed to the rescue key of its config.
    const exported = exportRescueFile(revoked.db, {
      publicKeyPem: it_.publicKey,
      exporter: { userId: null, role: null, signer: null },
      now: new Date(),
    });
    expect(exported).toMatchObject({ deviceId: originId, mutations: unsent, refusedKept: 0 });
    expect(exported.events).toBeGreaterThan(unsent);
    // No patient value in the clear: not the name, not a note.
    expect(exported.bytes.includes(PATIENT_SURNAME)).toBe(false);
    expect(exported.bytes.includes('Ottilie')).toBe(false);
    expect(exported.bytes.includes('rescued')).toBe(false);
    // Nothing unsent is removed by the export.
    expect(revoked.db.select().from(outbox).all()).toHaveLength(unsent);

    // A wrong key, or one byte changed, opens nothing and sends nothing.
    const admin = relay.as(MANAGER);
    await relay.ready();
    const transport = relay.engine.transport();
    const wrongKey = await rejection(
      replayRescueFile(admin, transport, {
        bytes: exported.bytes,
        privateKeyPem: rsaPair().privateKey,
      }),
    );
    expect(wrongKey).toBeInstanceOf(WardError);
    expect(wrongKey).toMatchObject({ code: 'rescue_key_wrong' });
    expect((wrongKey as Error).message).toMatch(/sealed to another key/);
    const tampered = Buffer.from(exported.bytes);
    const at = tampered.indexOf('"sealed":"') + 40;
    tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41;
    const damaged = await rejection(
      replayRescueFile(admin, transport, { bytes: tampered, privateKeyPem: it_.privateKey }),
    );
    expect(damaged).toMatchObject({ code: 'rescue_file_unreadable' });
    expect((damaged as Error).message).toMatch(/damaged or was altered/);
    expect(await notesOnServer('rescued')).toBe(0);

    // The administrator replays it on another workstation of the hospital.
    const replay = await replayRescueFile(admin, transport, {
      bytes: exported.bytes,
      privateKeyPem: it_.privateKey,
    });
    expect(replay).toMatchObject({ deviceId: originId, mutations: unsent, applied: unsent - 1 });
    expect(replay.refused).toMatchObject([
      { table: 'vitals', what: 'Vital signs recorded', code: 'bad_signature' },
    ]);
    expect(replay.events.accepted).toBe(exported.events);
    expect(await notesOnServer('rescued')).toBe(3);
    expect(await patientsOnServer()).toBe(1);
    // As the revoked workstation's own: its device id, its numbering; and the export is on record.
    expect(
      await count(
        sql`select count(*)::int as n from applied_mutations where device_id = ${originId} and status = 'applied'`,
      ),
    ).toBe(unsent - 1);
    expect(
      await count(
        sql`select count(*)::int as n from audit_logs where device_id = ${originId} and action = 'rescue.export'`,
      ),
    ).toBe(1);
    // Each relayed request is on record in the manager's name: one for the changes, one for the events.
    expect(
      await count(
        sql`select count(*)::int as n from signed_reads where action = 'devices.rescue' and entity_id = ${originId} and outcome = 'answered'`,
      ),
    ).toBe(2);

    // Replayed again: nothing changes.
    const again = await replayRescueFile(admin, transport, {
      bytes: exported.bytes,
      privateKeyPem: it_.privateKey,
    });
    expect(again).toMatchObject({ applied: 0, duplicates: unsent - 1 });
    expect(again.refused).toHaveLength(1);
    expect(again.events).toMatchObject({ accepted: 0, duplicates: exported.events });
    expect(await notesOnServer('rescued')).toBe(3);
    expect(await patientsOnServer()).toBe(1);

    // The revoked workstation enrolled again sends its kept outbox: the rescued entries answer
    // as duplicates, only the one the replay could not deliver lands.
    await enrollWorkstation(revoked.db, revoked.tokens, {
      serverUrl: server.url,
      code: await server.enrollmentCode(),
      deviceName: 'rescue-revoked again',
    });
    for (const email of [NURSE, RECEPTION]) {
      const signer = revoked.signerOf(email);
      const password = DEMO_USERS.find((user) => user.email === email)?.password ?? '';
      await createSyncTransport({
        baseUrl: server.url,
        deviceToken: () => revoked.tokens.read(),
      }).login(email, password, signer.publicKey);
      signWaitingChanges(revoked.db, signer);
    }
    expect((await revoked.sync()).ok).toBe(true);
    expect(revoked.engine.status()).toMatchObject({ pending: 0, needsAttention: 0 });
    expect(await notesOnServer('rescued')).toBe(4);
    expect(await patientsOnServer()).toBe(1);
  });

  it('IT’s command line rescues a workstation being retired (not revoked) the same way', async () => {
    const retired = await enrolledWorkstation(
      'rescue-retired',
      server.url,
      await server.enrollmentCode(),
    );
    try {
      const nurse = retired.as(NURSE);
      await retired.ready();
      const visit = retired.db.select().from(visits).where(eq(visits.status, 'admitted')).get();
      if (!visit) throw new Error('no admitted visit');
      for (let i = 0; i < 2; i += 1)
        recordVitals(nurse, { visitId: visit.id, heartRate: 60 + i, notes: `retired ${i}` });
      writeFileSync(join(retired.dir, 'rescue-public.pem'), it_.publicKey);
      writeFileSync(
        join(retired.dir, 'config.json'),
        JSON.stringify({ rescueKeyFile: 'rescue-public.pem' }),
      );
      writeFileSync(join(relay.dir, 'rescue-private.pem'), it_.privateKey);
      const file = join(relay.dir, 'retired.rescue');
      const lines: string[] = [];
      const io = {
        out: (line: string) => lines.push(line),
        password: () => Promise.resolve('manager123'),
      };

      await runRescueCli(
        [
          'export',
          '--replica',
          join(retired.dir, 'replica.db'),
          '--config',
          join(retired.dir, 'config.json'),
          '--out',
          file,
        ],
        io,
      );
      expect(lines.join('\n')).toMatch(/2 unsent changes .* Nothing was removed/);
      await runRescueCli(
        [
          'replay',
          '--replica',
          join(relay.dir, 'replica.db'),
          '--file',
          file,
          '--key',
          join(relay.dir, 'rescue-private.pem'),
          '--email',
          MANAGER,
        ],
        io,
      );
      expect(lines.at(-1)).toMatch(
        /2 changes — 2 applied, 0 applied with a conflict, 0 already on the server, 0 refused/,
      );
      expect(await notesOnServer('retired')).toBe(2);

      // The workstation still sends its own outbox: the server has it already.
      expect(retired.engine.status().pending).toBe(2);
      expect((await retired.sync()).ok).toBe(true);
      expect(retired.engine.status()).toMatchObject({ pending: 0, needsAttention: 0 });
      expect(await notesOnServer('retired')).toBe(2);

      // A person without devices:manage cannot replay it.
      const nurseTry = await rejection(
        runRescueCli(
          [
            'replay',
            '--replica',
            join(relay.dir, 'replica.db'),
            '--file',
            file,
            '--key',
            join(relay.dir, 'rescue-private.pem'),
            '--email',
            NURSE,
          ],
          { ...io, password: () => Promise.resolve('nurse123') },
        ),
      );
      expect(nurseTry).toMatchObject({ code: 'forbidden' });
    } finally {
      await retired.close();
    }
  });

  it('the app’s procedures export and replay it, each after the administrator’s password again', async () => {
    const desk = (station: TestWorkstation, rescueKeyFile: string | null) =>
      createAppCaller(
        createWorkstation({
          db: station.db,
          serverAuth: httpServerAuth(() => station.engine.transport()),
          sync: station.engine,
          rescueKeyFile,
        }),
      );
    const manager = { email: MANAGER, password: 'manager123' };
    const office = await enrolledWorkstation(
      'rescue-office',
      server.url,
      await server.enrollmentCode(),
    );
    try {
      const nurse = office.as(NURSE);
      await office.ready();
      const visit = office.db.select().from(visits).where(eq(visits.status, 'admitted')).get();
      if (!visit) throw new Error('no admitted visit');
      recordVitals(nurse, { visitId: visit.id, heartRate: 64, notes: 'procedure 0' });
      const keyFile = join(office.dir, 'rescue-public.pem');
      writeFileSync(keyFile, it_.publicKey);
      const origin = desk(office, keyFile);
      await origin.auth.login(manager);
      // A proof for another action does not do.
      const printProof = await origin.auth.reauthenticate({
        action: 'print',
        password: manager.password,
      });
      const wrongProof = await rejection(
        origin.sync.rescueExport({ reauthProof: printProof.proof }),
      );
      expect(wrongProof).toMatchObject({ code: 'FORBIDDEN' });
      expect((wrongProof as Error).message).toMatch(/password/i);
      const exportProof = await origin.auth.reauthenticate({
        action: 'devices.rescue',
        password: manager.password,
      });
      const exported = await origin.sync.rescueExport({ reauthProof: exportProof.proof });
      expect(exported).toMatchObject({ mutations: 1 });
      expect(exported.fileName).toMatch(/^wardline-rescue-.*\.json$/);

      const relayDesk = desk(relay, null);
      await relayDesk.auth.login(manager);
      const replayProof = await relayDesk.auth.reauthenticate({
        action: 'devices.rescue',
        password: manager.password,
      });
      const replay = await relayDesk.sync.rescueReplay({
        content: exported.content,
        privateKey: it_.privateKey,
        reauthProof: replayProof.proof,
      });
      expect(replay).toMatchObject({ mutations: 1, applied: 1, refused: [] });
      expect(await notesOnServer('procedure')).toBe(1);
      await relayDesk.auth.logout();
    } finally {
      await office.close();
    }
  });

  it('refuses to export without a rescue key in the config, and writes nothing', () => {
    const before = revoked.db.select().from(outbox).all().length;
    const error = refusal(() =>
      exportRescueFile(revoked.db, {
        publicKeyPem: null,
        exporter: { userId: null, role: null, signer: null },
        now: new Date(),
      }),
    );
    expect(error).toMatchObject({ code: 'rescue_key_not_configured' });
    expect(revoked.db.select().from(outbox).all()).toHaveLength(before);
  });
});
