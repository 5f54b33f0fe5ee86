/**
 * Passwords across workstations (docs/SYNC.md "Passwords"), with the real server and real
 * replicas: an administrator's reset and a person's own change take effect online, and are
 * honoured offline afterwards: the new password opens the workstation where it was chosen, the
 * old one opens none that has synced since.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { cachedCredentials } from '../../../db/local/schema';
import { demoUserId } from '../../../db/seed/demo-data';
import { TEMPORARY_PASSWORD_VALID_HOURS } from '../../../shared/passwords';
import { createAppCaller } from '../../../main/api/router';
import type { ServerAuth } from '../../../main/auth/server-auth';
import type { ServerPasswords } from '../../../main/auth/server-passwords';
import { httpServerAuth } from '../../../main/sync/server-auth';
import { httpServerPasswords } from '../../../main/sync/server-passwords';
import { createWorkstation } from '../../../main/workstation';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { enrolledWorkstation, type TestWorkstation } from '../../support/workstation';

const admin = { email: 'admin@hass.example', password: 'admin123' };
const nurse = { email: 'nurse@hass.example', password: 'nurse123' };
const doctor = { email: 'doctor@hass.example', password: 'doctor123' };
const nurseId = demoUserId(nurse.email);

/** A workstation whose server can be cut off for sign-in and passwords (sync still runs). */
function deskOn(station: TestWorkstation) {
  const online = { value: true };
  const auth = httpServerAuth(() => station.engine.transport());
  const passwords = httpServerPasswords(() => station.engine.transport());
  const serverAuth: ServerAuth = {
    login: (email, password, key) =>
      online.value ? auth.login(email, password, key) : Promise.resolve({ status: 'unreachable' }),
  };
  const serverPasswords: ServerPasswords = {
    change: (email, current, next) =>
      online.value
        ? passwords.change(email, current, next)
        : Promise.resolve({ status: 'unreachable' }),
    reset: (userId, signer) =>
      online.value ? passwords.reset(userId, signer) : Promise.resolve({ status: 'unreachable' }),
  };
  const workstation = createWorkstation({
    db: station.db,
    serverAuth,
    serverPasswords,
    sync: station.engine,
  });
  return { station, workstation, caller: createAppCaller(workstation), online };
}
type Desk = ReturnType<typeof deskOn>;

const cachedFor = (desk: Desk, userId: string) =>
  desk.station.db
    .select()
    .from(cachedCredentials)
    .where(eq(cachedCredentials.userId, userId))
    .get();

describe('password reset and change, online then offline', () => {
  let server: CentralServer;
  let ward: Desk;
  let office: Desk;

  beforeAll(async () => {
    server = await startCentralServer();
    ward = deskOn(await enrolledWorkstation('pw-ward', server.url, await server.enrollmentCode()));
    office = deskOn(
      await enrolledWorkstation('pw-office', server.url, await server.enrollmentCode()),
    );
  });
  afterAll(async () => {
    await ward.station.close();
    await office.station.close();
    await server.close();
  });

  /** The administrator resets a person's password on the office workstation: its temporary one. */
  async function resetOnTheOffice(userId: string): Promise<string> {
    await office.caller.auth.login(admin);
    const { proof } = await office.caller.auth.reauthenticate({
      action: 'staff.reset_password',
      password: admin.password,
    });
    const { temporaryPassword } = await office.caller.staff.resetPassword({
      userId,
      reauthProof: proof,
    });
    await office.caller.auth.logout();
    return temporaryPassword;
  }

  async function offlineSignIn(desk: Desk, email: string, password: string) {
    desk.online.value = false;
    try {
      await desk.caller.auth.login({ email, password });
      await desk.caller.auth.logout();
    } finally {
      desk.online.value = true;
    }
  }

  it('a reset password must be changed at the next online sign-in, and only the new one opens a workstation offline', async () => {
    // The nurse has signed in on the ward before: it could let her in offline.
    await ward.caller.auth.login(nurse);
    await ward.caller.auth.logout();
    expect(cachedFor(ward, nurseId)).toBeDefined();

    const temporaryPassword = await resetOnTheOffice(nurseId);

    // Online, the old password is refused and the temporary one asks for a new one.
    await expect(ward.caller.auth.login(nurse)).rejects.toThrow(/not right/);
    await expect(
      ward.caller.auth.login({ email: nurse.email, password: temporaryPassword }),
    ).rejects.toThrow(/Choose a new password/);
    await expect(
      ward.caller.auth.replaceTemporaryPassword({
        email: nurse.email,
        currentPassword: temporaryPassword,
        newPassword: 'nurse-new-789',
        repeatPassword: 'nurse-new-78',
      }),
    ).rejects.toThrow(/not the same/);
    const session = await ward.caller.auth.replaceTemporaryPassword({
      email: nurse.email,
      currentPassword: temporaryPassword,
      newPassword: 'nurse-new-789',
      repeatPassword: 'nurse-new-789',
    });
    expect(session.user.id).toBe(nurseId);
    expect(session.mode).toBe('online');
    await ward.caller.auth.logout();

    // Offline afterwards, on the ward, where the pull of her raised version must not undo it.
    expect(await ward.station.sync()).toMatchObject({ ok: true });
    await expect(offlineSignIn(ward, nurse.email, nurse.password)).rejects.toThrow(/not right/);
    await expect(offlineSignIn(ward, nurse.email, temporaryPassword)).rejects.toThrow(/not right/);
    await offlineSignIn(ward, nurse.email, 'nurse-new-789');
  });

  it('a change of one’s own password renews the key here and retires the old password on the other workstation at its next sync', async () => {
    await office.caller.auth.login(doctor);
    await office.caller.auth.logout();
    await ward.caller.auth.login(doctor);
    const oldKey = ward.workstation.sessions.signer()?.publicKey;

    ward.online.value = false;
    await expect(
      ward.caller.auth.changePassword({
        currentPassword: doctor.password,
        newPassword: 'doctor-new-456',
        repeatPassword: 'doctor-new-456',
      }),
    ).rejects.toThrow(/needs the server/);
    ward.online.value = true;
    await expect(
      ward.caller.auth.changePassword({
        currentPassword: 'not-my-password',
        newPassword: 'doctor-new-456',
        repeatPassword: 'doctor-new-456',
      }),
    ).rejects.toThrow(/current password is not right/);
    await ward.caller.auth.changePassword({
      currentPassword: doctor.password,
      newPassword: 'doctor-new-456',
      repeatPassword: 'doctor-new-456',
    });
    expect(ward.workstation.sessions.signer()?.publicKey).not.toBe(oldKey);
    await ward.caller.auth.logout();
    expect(await ward.station.sync()).toMatchObject({ ok: true });
    await expect(offlineSignIn(ward, doctor.email, doctor.password)).rejects.toThrow(/not right/);
    await offlineSignIn(ward, doctor.email, 'doctor-new-456');

    // The office has not synced yet; once it has, the old password no longer opens it offline.
    expect(await office.station.sync()).toMatchObject({ ok: true });
    await expect(offlineSignIn(office, doctor.email, doctor.password)).rejects.toThrow(
      /not signed in on this workstation before/,
    );
  });

  it('a workstation that missed the pull still refuses a verifier older than the users row', async () => {
    // The pull retired it; a verifier left from before (an older build, a copied replica) is
    // refused at sign-in all the same and dropped.
    await ward.caller.auth.login({ email: nurse.email, password: 'nurse-new-789' });
    await ward.caller.auth.logout();
    ward.station.db
      .update(cachedCredentials)
      .set({ credentialVersion: 0 })
      .where(eq(cachedCredentials.userId, nurseId))
      .run();
    await expect(offlineSignIn(ward, nurse.email, 'nurse-new-789')).rejects.toThrow(
      /changed or reset since you last signed in/,
    );
    expect(cachedFor(ward, nurseId)).toBeUndefined();
  });

  it('the staff drawer shows this workstation’s sign-ins of a person', async () => {
    await ward.caller.auth.login(admin);
    const { entries } = await ward.caller.staff.loginHistory({ userId: demoUserId(doctor.email) });
    expect(entries.map((entry) => `${entry.mode} ${entry.outcome}`)).toEqual(
      expect.arrayContaining(['online success', 'offline wrong_password', 'offline success']),
    );
    // Newest first.
    expect(entries.map((entry) => entry.at)).toEqual(
      [...entries.map((entry) => entry.at)].sort().reverse(),
    );
    await ward.caller.auth.logout();
  });

  it('a temporary password left unused past its hours is refused in words, at sign-in and at the change', async () => {
    const labtech = demoUserId('labtech@hass.example');
    const temporaryPassword = await resetOnTheOffice(labtech);
    await server.database.db.$client.query(
      `update user_credentials set password_changed_at = now() - $2::integer * interval '1 hour'
        where user_id = $1`,
      [labtech, TEMPORARY_PASSWORD_VALID_HOURS + 1],
    );

    const expired = /This temporary password has expired.*reset the password again/;
    await expect(
      ward.caller.auth.login({ email: 'labtech@hass.example', password: temporaryPassword }),
    ).rejects.toThrow(expired);
    await expect(
      ward.caller.auth.replaceTemporaryPassword({
        email: 'labtech@hass.example',
        currentPassword: temporaryPassword,
        newPassword: 'labtech-new-456',
        repeatPassword: 'labtech-new-456',
      }),
    ).rejects.toThrow(expired);
    await expect(ward.caller.auth.session()).resolves.toMatchObject({ state: 'signed_out' });
  });
});
