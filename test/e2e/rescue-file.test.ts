/**
 * A rescue through the screens (issue 14), in a real browser against two workstations enrolled
 * with the real central server: Ward A's desk holds three sets of vitals it could not send when
 * IT revokes it. The manager, on Ward A's Devices screen, saves them to a rescue file sealed to
 * the rescue public key of its machine config (after their password again), and the file is
 * captured as the browser saves it. On Ward B's Devices screen they replay it with IT's private
 * key: a wrong key, a damaged file and the server out of reach are each refused in words; then
 * the screen says the three landed, and the server holds them, as Ward A's.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { outbox, users } from '../../db/local/schema';
import { newSigningKey } from '../../main/auth/signing-keys';
import { readSyncState } from '../../main/sync/sync-state';
import { revokeDeviceFromConsole } from '../../server/devices/revoke';
import { startSyncedHarness, type SyncedHarness } from '../harness/synced-harness';
import { startCentralServer, type CentralServer } from '../support/central-server';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { chartManyVitals } from '../support/workstation';
import {
  confirmPassword,
  launchBrowser,
  screenshot,
  seriousViolations,
  signIn,
  type E2eBrowser,
} from './support/browser';
import { buildRenderer } from './support/renderer-build';

const MANAGER = { email: 'manager@hass.example', password: 'manager123' };
const NURSE = { email: 'nurse@hass.example', password: 'nurse123' };
const NOTES = 'rescued from ward A';

function rsaKeyPair() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

let server: CentralServer;
let proxyA: FaultProxy;
let proxyB: FaultProxy;
let wardA: SyncedHarness;
let wardB: SyncedHarness;
let dirs: string[];
let browser: E2eBrowser;
let pageA: Page;
let pageB: Page;
const itKey = rsaKeyPair();
let rescueFile: Buffer;

beforeAll(async () => {
  const staticDir = await buildRenderer();
  server = await startCentralServer();
  proxyA = await startFaultProxy(server.url, { seed: 141 });
  proxyB = await startFaultProxy(server.url, { seed: 142 });
  dirs = ['a', 'b', 'keys'].map((name) =>
    mkdtempSync(join(tmpdir(), `wardline-e2e-rescue-${name}-`)),
  );
  const [dirA = '', dirB = '', keys = ''] = dirs;
  // IT's rescue public key, deployed beside Ward A's config.json as its `rescueKeyFile`.
  const rescueKeyFile = join(keys, 'rescue-public.pem');
  writeFileSync(rescueKeyFile, itKey.publicKey);
  wardA = await startSyncedHarness({
    dataDir: dirA,
    serverUrl: proxyA.url,
    enrollmentCode: () => server.enrollmentCode(),
    deviceName: 'Ward A desk',
    staticDir,
    intervalMs: 1_000,
    rescueKeyFile,
  });
  wardB = await startSyncedHarness({
    dataDir: dirB,
    serverUrl: proxyB.url,
    enrollmentCode: () => server.enrollmentCode(),
    deviceName: 'Ward B desk',
    staticDir,
    intervalMs: 1_000,
  });
  // axe is injected as a script, which only this browser's CSP bypass allows.
  browser = await launchBrowser({ injectsScripts: true });
  pageA = await browser.newPage(wardA.url);
  pageB = await browser.newPage(wardB.url);
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail') {
    const name = context.task.name.replace(/\W+/g, '-');
    await screenshot(pageA, `failed-${name}-ward-a`);
    await screenshot(pageB, `failed-${name}-ward-b`);
  }
});

afterAll(async () => {
  await browser.close();
  for (const ward of [wardA, wardB]) {
    await ward.engine.stop();
    await ward.close();
  }
  await proxyA.close();
  await proxyB.close();
  await server.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function openDevices(page: Page) {
  await page.getByRole('button', { name: /^Devices/ }).click();
  await page.getByRole('heading', { name: 'Devices', exact: true }).waitFor();
}

const pendingOnA = () =>
  wardA.workstation.db.select().from(outbox).where(eq(outbox.status, 'pending')).all().length;

/** The nurse's vitals on the server, and which device the server took each change from. */
const vitalsOnServer = async () => {
  const answer = await server.database.db.$client.query<{ n: number; devices: string[] | null }>(
    `select count(*)::int as n, array_agg(distinct m.device_id::text) filter (where m.device_id is not null) as devices
       from vitals v left join applied_mutations m on m.row_id = v.id and m.table_name = 'vitals'
      where v.notes like $1`,
    [`${NOTES}%`],
  );
  return answer.rows[0];
};

describe('rescuing a revoked workstation through its screens', () => {
  it('saves Ward A’s unsent changes to a rescue file after the revocation, removing nothing', async () => {
    // The manager has signed in on Ward A while it was enrolled (it keeps their offline verifier).
    await signIn(pageA, MANAGER.email, MANAGER.password);
    // The nurse's key is registered by an online sign-in; then the network goes and three sets
    // of vitals are charted through the write path: they wait in Ward A's outbox.
    const transport = wardA.engine.transport();
    const nurse = wardA.workstation.db
      .select()
      .from(users)
      .where(eq(users.email, NURSE.email))
      .get();
    if (!transport || !nurse) throw new Error('Ward A is not enrolled with the demo nurse');
    const signer = newSigningKey(nurse.id).signer;
    await transport.login(NURSE.email, NURSE.password, signer.publicKey);
    proxyA.setDown(true);
    const asNurse = {
      db: wardA.workstation.db,
      clock: { now: () => new Date() },
      actor: { userId: nurse.id, hospitalId: nurse.hospitalId ?? '', signer },
    };
    chartManyVitals(asNurse, 3, NOTES);
    // A fourth, stored unsigned (a colleague upgraded from protocol 1): the server refuses it.
    chartManyVitals({ ...asNurse, actor: { ...asNurse.actor, signer: null } }, 1, NOTES);
    expect(pendingOnA()).toBe(4);

    // IT revokes Ward A; when the network is back its next sync learns it.
    const originId = readSyncState(wardA.workstation.db).deviceId ?? '';
    expect(
      await revokeDeviceFromConsole(server.database.db.$client, {
        deviceId: originId,
        now: new Date(),
      }),
    ).not.toBeNull();
    proxyA.setDown(false);
    await pageA.getByText('This workstation is no longer enrolled').waitFor();
    await expect(pageA.getByTestId('sync-state').textContent()).resolves.toBe('Revoked');
    await expect(vitalsOnServer()).resolves.toMatchObject({ n: 0 });
    // IT comes to the revoked workstation later: the server refuses its token before looking at
    // any password, so the manager's password is checked on the workstation, as offline.
    await pageA.getByRole('button', { name: 'Sign out' }).click();
    await pageA.getByLabel('Email').waitFor();
    await signIn(pageA, MANAGER.email, MANAGER.password);

    await openDevices(pageA);
    await pageA.getByRole('button', { name: 'Save unsent changes to a rescue file' }).click();
    await confirmPassword(pageA, MANAGER.password);
    const exported = pageA.getByTestId('rescue-exported');
    await exported.waitFor();
    await expect(pageA.getByTestId('rescue-exported-changes').textContent()).resolves.toBe(
      '4 unsent changes',
    );
    await expect(pageA.getByTestId('rescue-exported-refused').textContent()).resolves.toMatch(
      /^0 changes the server refused earlier stay on this workstation/,
    );
    await expect(exported.textContent()).resolves.toContain('Nothing was removed');
    expect(pendingOnA()).toBe(4);

    const [download] = await Promise.all([
      pageA.waitForEvent('download'),
      // From the keyboard, as the link is reached by Tab.
      pageA.getByRole('link', { name: 'Save the rescue file' }).press('Enter'),
    ]);
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^wardline-rescue-${originId}-.*\\.json$`),
    );
    rescueFile = readFileSync(await download.path());
    // Sealed: no note of the nurse's in the clear.
    expect(rescueFile.includes(NOTES)).toBe(false);
    expect(JSON.parse(rescueFile.toString('utf8'))).toMatchObject({ format: 'wardline-rescue-v1' });
    expect(await seriousViolations(pageA)).toEqual([]);
    await screenshot(pageA, 'rescue-01-ward-a-saved-rescue-file');
  });

  it('replays it on Ward B with IT’s private key, refusing a wrong key, a damaged file and no network in words', async () => {
    await signIn(pageB, MANAGER.email, MANAGER.password);
    await openDevices(pageB);
    // Ward B's config names no rescue key: it cannot make a rescue file, and says why.
    await pageB.getByRole('button', { name: 'Save unsent changes to a rescue file' }).click();
    await confirmPassword(pageB, MANAGER.password);
    await expect(
      pageB.getByRole('alert').filter({ hasText: 'No rescue file was made' }).textContent(),
    ).resolves.toMatch(/No rescue key is configured on this workstation/);
    const [fileInput, keyInput] = [0, 1].map((n) => pageB.locator('input[type="file"]').nth(n));
    if (!fileInput || !keyInput) throw new Error('the replay has no file inputs');
    const chooseFile = (buffer: Buffer) =>
      fileInput.setInputFiles({ name: 'rescue.json', mimeType: 'application/json', buffer });
    const chooseKey = (pem: string) =>
      keyInput.setInputFiles({
        name: 'rescue-private.pem',
        mimeType: 'application/x-pem-file',
        buffer: Buffer.from(pem),
      });
    const replay = async () => {
      await pageB.getByRole('button', { name: 'Replay the rescue file' }).click();
      await confirmPassword(pageB, MANAGER.password);
    };
    const failed = pageB.getByTestId('rescue-replay-failed');

    // Another key opens nothing.
    await chooseFile(rescueFile);
    await chooseKey(rsaKeyPair().privateKey);
    await replay();
    await expect(failed.textContent()).resolves.toMatch(/sealed to another key/);
    // One byte changed in the sealed contents opens nothing either.
    const damaged = Buffer.from(rescueFile);
    const at = damaged.length - 40;
    damaged[at] = (damaged[at] ?? 0) === 0x41 ? 0x42 : 0x41;
    await chooseFile(damaged);
    await chooseKey(itKey.privateKey);
    await replay();
    await expect(failed.textContent()).resolves.toMatch(/damaged or was altered/);
    // The right file and key, but the server out of reach.
    await chooseFile(rescueFile);
    proxyB.setDown(true);
    await replay();
    await expect(failed.textContent()).resolves.toMatch(/needs the central server/);
    proxyB.setDown(false);
    await expect(vitalsOnServer()).resolves.toMatchObject({ n: 0 });

    await replay();
    await pageB.getByTestId('rescue-replayed').waitFor();
    await expect(pageB.getByTestId('rescue-landed').textContent()).resolves.toBe(
      '3 changes of 4 landed on the server',
    );
    await expect(pageB.getByTestId('rescue-refused-count').textContent()).resolves.toBe(
      '1 change refused by the server',
    );
    // The refused one listed: its number on Ward A, what it was, its table and operation, why.
    const refusedRows = pageB.getByTestId('rescue-refused').locator('tbody tr');
    await expect(refusedRows.count()).resolves.toBe(1);
    const cells = await refusedRows.first().locator('td').allTextContents();
    expect(cells.slice(0, 4)).toEqual(['4', 'Vital signs recorded', 'vitals', 'insert']);
    expect(cells[4]).toMatch(/sign/i);
    expect(await failed.count()).toBe(0);
    const originId = readSyncState(wardA.workstation.db).deviceId;
    await expect(vitalsOnServer()).resolves.toEqual({ n: 3, devices: [originId] });
    expect(await seriousViolations(pageB)).toEqual([]);
    await screenshot(pageB, 'rescue-02-ward-b-replayed');

    // Replayed again: the server already has the three, still holds each once, and refuses the
    // unsigned one again.
    await replay();
    await expect
      .poll(() => pageB.getByTestId('rescue-duplicates').textContent())
      .toBe('3 changes the server already had: nothing changed');
    await expect(pageB.getByTestId('rescue-refused-count').textContent()).resolves.toBe(
      '1 change refused by the server',
    );
    await expect(vitalsOnServer()).resolves.toEqual({ n: 3, devices: [originId] });
  });
});
