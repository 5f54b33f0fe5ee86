/**
 * IT backs up the embedded database while the server runs and wards keep writing, then
 * restores it into a new folder on (say) a replacement machine: the restored database starts,
 * and every table holds exactly what the running one held at some moment during the backup —
 * row counts and a checksum per table — with each ward write either wholly there (the vitals row
 * and its change-feed entry) or wholly absent, and the writes that finished before the backup
 * began all there. The attachments folder travels with it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEMO_HOSPITAL_ID } from '../../../db/seed/demo-data';
import { openDatabase, type OpenDatabase } from '../../../server/db/open-database';

const node = process.execPath;
const cli = ['--import', 'tsx', 'server/cli.ts'];
const run = promisify(execFile);
const env = { ...process.env };
delete env.DATABASE_URL;

let folder: string;
let serve: ChildProcess | null = null;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'wardline-backup-'));
  // As root the clusters run as the `postgres` user, who must reach the data folders inside.
  await chmod(folder, 0o755);
});
afterAll(async () => {
  if (serve && serve.exitCode === null) {
    const exited = new Promise((resolve) => serve?.once('exit', resolve));
    serve.kill('SIGTERM');
    await exited;
  }
  await rm(folder, { recursive: true, force: true });
});

function startServe(dataDir: string): Promise<ChildProcess> {
  const child = spawn(node, [...cli, 'serve', '--demo', '--port', '0', '--data-dir', dataDir], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('listening on ')) resolve(child);
    });
    child.once('exit', (code) => {
      reject(new Error(`serve exited early with ${String(code)}: ${stderr}`));
    });
  });
}

/** A vitals row charted by a ward, as one transaction; its feed entry comes from the trigger. */
const CHART_VITALS = `insert into vitals
  select (jsonb_populate_record(v, jsonb_build_object('id', gen_random_uuid(), 'notes', $1::text))).*
    from vitals v limit 1`;
const writerNote = (n: number) => `backup-writer-${String(n).padStart(6, '0')}`;

interface TableSum {
  table: string;
  rows: number;
  sum: string;
}

/** Every table of the Wardline database (and drizzle's migration journal), counted and hashed. */
async function sumTables(pool: pg.Pool): Promise<TableSum[]> {
  const { rows: tables } = await pool.query<{ name: string }>(
    `select format('%I.%I', table_schema, table_name) as name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema in ('public', 'drizzle')
      order by table_schema, table_name`,
  );
  const sums: TableSum[] = [];
  for (const { name } of tables) {
    const { rows } = await pool.query<{ rows: number; sum: string }>(
      `select count(*)::int as rows, coalesce(md5(string_agg(t::text, E'\\n' order by t::text)), '') as sum
         from ${name} t`,
    );
    sums.push({ table: name, rows: rows[0]?.rows ?? -1, sum: rows[0]?.sum ?? '' });
  }
  return sums;
}

async function writerRows(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ notes: string }>(
    `select notes from vitals where notes like 'backup-writer-%' order by notes`,
  );
  return rows.map((row) => row.notes);
}

test('a backup taken while wards write restores into a new folder with every table as it was', async () => {
  const source = join(folder, 'server');
  const backup = join(folder, 'backup');
  const restored = join(folder, 'restored');
  serve = await startServe(source);
  // The running server's cluster, reached as admin commands reach it (postgres.port).
  const live: OpenDatabase = await openDatabase({ dataDir: source, migrate: false });
  try {
    let written = 0;
    const ward = { writing: true };
    const writer = (async () => {
      while (ward.writing) {
        await live.db.$client.query(CHART_VITALS, [writerNote(written + 1)]);
        written += 1;
      }
    })();
    while (written < 20) await new Promise((resolve) => setImmediate(resolve));
    // An attachment file as serve keeps it: in the data folder, beside the database.
    const attachment = join('attachments', DEMO_HOSPITAL_ID, 'a'.repeat(64));
    const attachmentBytes = randomBytes(3 * 1024 * 1024 + 17);
    mkdirSync(dirname(join(source, attachment)), { recursive: true });
    writeFileSync(join(source, attachment), attachmentBytes);
    const beforeBackup = written;
    const { stdout } = await run(node, [...cli, 'backup', '--data-dir', source, '--out', backup], {
      env,
    });
    const afterBackup = written;
    ward.writing = false;
    await writer;
    const summary = JSON.parse(stdout) as { files: number; bytes: number; seconds: number };
    expect(summary.files).toBeGreaterThan(100);
    expect(afterBackup).toBeGreaterThan(beforeBackup);
    // Patient data: the backup is the server user's alone.
    expect(readdirSync(backup).sort()).toEqual([
      'attachments',
      'postgres',
      'postgres.password',
      'wardline-backup.json',
    ]);

    const restoredRun = await run(
      node,
      [...cli, 'restore', '--from', backup, '--data-dir', restored],
      { env },
    );
    expect(JSON.parse(restoredRun.stdout)).toMatchObject({
      files: summary.files,
      bytes: summary.bytes,
      databases: ['postgres', 'wardline'],
    });

    // The attachments folder comes back where serve looks for it, byte for byte.
    expect(readFileSync(join(restored, attachment)).equals(attachmentBytes)).toBe(true);

    const copy = await openDatabase({ dataDir: restored, migrate: false });
    try {
      const kept = await writerRows(copy.db.$client);
      // Every write that finished before the backup began is there, and what is there is a
      // prefix of the writes: nothing half-done, nothing out of order.
      expect(kept.length).toBeGreaterThanOrEqual(beforeBackup);
      expect(kept.length).toBeLessThanOrEqual(afterBackup);
      expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => writerNote(i + 1)));
      // The running database as it was at that moment: the later writes taken away again.
      await live.db.$client.query(
        `with later as (delete from vitals where notes like 'backup-writer-%' and notes > $1 returning id)
         delete from change_feed where table_name = 'vitals' and row_id in (select id from later)`,
        [writerNote(kept.length)],
      );
      const expected = await sumTables(live.db.$client);
      expect(expected.length).toBeGreaterThan(30);
      expect(await sumTables(copy.db.$client)).toEqual(expected);
    } finally {
      await copy.close();
    }
  } finally {
    await live.close();
  }

  // Never over an existing database; never from a damaged copy.
  const again = await run(node, [...cli, 'restore', '--from', backup, '--data-dir', restored], {
    env,
  }).catch((error: unknown) => error as { code: number; stderr: string });
  expect(again).toMatchObject({ code: 2 });
  expect((again as { stderr: string }).stderr).toContain('is not empty');

  const label = join(backup, 'postgres', 'backup_label');
  writeFileSync(
    label,
    readFileSync(label, 'utf8').replace('START TIMELINE: 1', 'START TIMELINE: 2'),
  );
  const damagedInto = join(folder, 'damaged');
  const damaged = await run(
    node,
    [...cli, 'restore', '--from', backup, '--data-dir', damagedInto],
    { env },
  ).catch((error: unknown) => error as { code: number; stderr: string });
  expect(damaged).toMatchObject({ code: 1 });
  expect((damaged as { stderr: string }).stderr).toContain('is damaged (postgres/backup_label');
  expect(readdirSync(damagedInto)).toEqual([]);
}, 300_000);
