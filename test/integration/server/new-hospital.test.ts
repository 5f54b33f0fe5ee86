/**
 * Issue 16, done when: a new hospital is set up end to end from the CLI and the Admin screen's
 * calls alone, with no SQL. The real CLI (`node --import tsx server/cli.ts`, as `npm run server`)
 * makes the region, the hospital, an administrator and a doctor, and an enrollment code against a
 * fresh database; a workstation enrolls with the real server over HTTP, the administrator imports
 * the wards and beds from a CSV file, adds a bed and puts one under maintenance (the services
 * behind the Admin screen), and all of it reaches PostgreSQL by sync. The doctor then signs in
 * and cannot admit anyone to the bed under maintenance.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { AppRouter } from '../../../main/api/router';
import { startSyncedHarness, type SyncedHarness } from '../../harness/synced-harness';
import { startCentralServer, type CentralServer } from '../../support/central-server';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';

const node = process.execPath;
const ADMIN_PASSWORD = 'riverside-admin-2026';
const DOCTOR_PASSWORD = 'riverside-doctor-2026';
const CSV = [
  'ward_code,ward_name,floor,bed_number,bed_status',
  'ICU,Intensive care,2,ICU-01,',
  'ICU,Intensive care,2,ICU-02,reserved',
  'MED,Medical ward,1,MED-01,',
  'MED,Medical ward,1,MED-02,',
].join('\n');

let database: TestDatabase;
let server: CentralServer | undefined;
let harness: SyncedHarness | undefined;
let dir: string;

/** One CLI command against the test database; its JSON answer. */
function cli(args: string[], stdin = ''): Promise<Record<string, unknown>> {
  const env = { ...process.env, DATABASE_URL: database.url };
  const child = spawn(node, ['--import', 'tsx', 'server/cli.ts', ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${String(code)}: ${stderr}`));
      else resolve(JSON.parse(stdout) as Record<string, unknown>);
    });
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'wardline-new-hospital-'));
});

afterAll(async () => {
  await harness?.engine.stop();
  await harness?.close();
  await server?.close();
  await database.drop();
  await rm(dir, { recursive: true, force: true });
});

test('region, hospital, staff, a workstation, wards from CSV and beds: CLI and Admin screen, no SQL', async () => {
  await cli(['org', 'region', 'add', '--code', 'WEST', '--name', 'West region']);
  const hospital = await cli([
    'org',
    'hospital',
    'add',
    '--code',
    'RVH',
    '--name',
    'Riverside Hospital',
    '--region',
    'WEST',
    '--capacity',
    '24',
  ]);
  await cli(
    [
      'create-user',
      '--hospital',
      'RVH',
      '--email',
      'it.admin@rvh.example',
      '--name',
      'Iris Tan',
      '--role',
      'regional_admin',
    ],
    `${ADMIN_PASSWORD}\n`,
  );
  await cli(
    [
      'create-user',
      '--hospital',
      'RVH',
      '--email',
      'doctor@rvh.example',
      '--name',
      'Dr Noor Ali',
      '--role',
      'doctor',
    ],
    `${DOCTOR_PASSWORD}\n`,
  );
  const { code } = await cli(['enroll-code', '--hospital', 'RVH']);
  expect(typeof code).toBe('string');

  server = await startCentralServer({ database });
  const enrollment = String(code);
  harness = await startSyncedHarness({
    dataDir: dir,
    serverUrl: server.url,
    enrollmentCode: () => Promise.resolve(enrollment),
  });
  // The calls the Admin screen makes, over the workstation's real tRPC endpoint.
  const api = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${harness.url}/trpc` })] });
  const session = await api.auth.login.mutate({
    email: 'it.admin@rvh.example',
    password: ADMIN_PASSWORD,
  });
  expect(session.mode).toBe('online');

  const refused = await api.organisation.importCsv.mutate({
    csv: `${CSV}\nICU,Intensive care,two,ICU-03,`,
  });
  expect(refused).toMatchObject({ ok: false, problems: [{ line: 6 }] });
  expect(await api.organisation.importCsv.mutate({ csv: CSV })).toEqual({
    ok: true,
    wards: ['ICU', 'MED'],
    beds: 4,
  });
  const view = await api.organisation.view.query();
  expect(view.hospital).toMatchObject({
    id: hospital.hospitalId,
    code: 'RVH',
    name: 'Riverside Hospital',
    bedCapacity: 24,
  });
  const medical = view.wards.find((ward) => ward.code === 'MED');
  if (!medical) throw new Error('no medical ward');
  const extra = await api.organisation.addBed.mutate({ wardId: medical.id, number: 'MED-03' });
  await api.organisation.setBedStatus.mutate({ bedId: extra.id, status: 'maintenance' });
  expect((await api.sync.syncNow.mutate()).ok).toBe(true);
  expect((await api.sync.status.query()).pending).toBe(0);

  const listing = await cli(['org', 'list', '--hospital', 'RVH', '--json']);
  expect(listing.hospitals).toEqual([
    { code: 'RVH', name: 'Riverside Hospital', regionCode: 'WEST', bedCapacity: 24 },
  ]);
  expect(listing.wards).toEqual([
    { hospitalCode: 'RVH', code: 'ICU', name: 'Intensive care', floor: 2, beds: 2 },
    { hospitalCode: 'RVH', code: 'MED', name: 'Medical ward', floor: 1, beds: 3 },
  ]);
  expect(listing.beds).toContainEqual({
    hospitalCode: 'RVH',
    wardCode: 'MED',
    number: 'MED-03',
    floor: 1,
    status: 'maintenance',
  });
  expect(listing.beds).toContainEqual({
    hospitalCode: 'RVH',
    wardCode: 'ICU',
    number: 'ICU-02',
    floor: 2,
    status: 'reserved',
  });

  // A doctor of the new hospital signs in on the same workstation: the bed is closed to her.
  await api.auth.logout.mutate();
  await api.auth.login.mutate({ email: 'doctor@rvh.example', password: DOCTOR_PASSWORD });
  const patient = await api.patients.register.mutate({
    firstName: 'Lena',
    lastName: 'Brandt',
    dateOfBirth: '1970-05-06',
    sex: 'female',
  });
  await expect(
    api.visits.admit.mutate({ patientId: patient.id, wardId: medical.id, bedId: extra.id }),
  ).rejects.toThrow('Bed MED-03 is under maintenance and cannot take a patient.');
}, 240_000);
