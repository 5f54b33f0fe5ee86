/**
 * The lint rule that keeps the write path the only way a service changes the replica
 * (eslint/replica-writes.js, issue 10), run with the repository's own eslint.config.js over the
 * fixtures in ./replica-writes: a direct write in a service is refused, reads are not, and the
 * owners the config names keep their rights.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getTableName } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as workstationSchema from '../../../db/local/schema/workstation';
import { localSyncedTables } from '../../../db/local/synced-tables';
import { tablesWrittenBySql } from '../../../eslint/replica-writes.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const fixtures = join(root, 'test/unit/workstation/replica-writes');
const RULE = 'wardline/replica-writes';

/** `line:messageId` for every `// expect: messageId` comment of a fixture. */
function expectedReports(file: string): string[] {
  return readFileSync(join(fixtures, file), 'utf8')
    .split('\n')
    .flatMap((text, index) => {
      const wanted = /\/\/ expect: (\w+)\s*$/.exec(text)?.[1];
      return wanted ? [`${index + 1}:${wanted}`] : [];
    });
}

describe('wardline/replica-writes', () => {
  let results: ESLint.LintResult[];
  let eslint: ESLint;

  beforeAll(async () => {
    eslint = new ESLint({ cwd: fixtures, overrideConfigFile: join(root, 'eslint.config.js') });
    results = await eslint.lintFiles(['main/**/*.ts']);
  }, 180_000);

  const reportsOf = (file: string) => {
    const result = results.find((each) => relative(fixtures, each.filePath) === file);
    if (!result) throw new Error(`${file} was not linted`);
    expect(result.messages.filter((message) => message.fatal)).toEqual([]);
    return result.messages
      .filter((message) => message.ruleId === RULE)
      .map((message) => `${message.line}:${message.messageId ?? ''}`);
  };

  it('refuses every direct write a service makes, and nothing else in it', () => {
    const expected = expectedReports('main/services/direct-writes.ts');
    expect(expected.length).toBeGreaterThanOrEqual(10);
    expect(reportsOf('main/services/direct-writes.ts')).toEqual(expected);
  });

  it('lets reads and the write path through', () => {
    expect(reportsOf('main/services/reads.ts')).toEqual([]);
  });

  it("gives a workstation-only table's owner its table and no other", () => {
    expect(reportsOf('main/auth/offline-lock.ts')).toEqual(
      expectedReports('main/auth/offline-lock.ts'),
    );
  });

  it('lets main/sync write the server rows and its bookkeeping', () => {
    expect(reportsOf('main/sync/server-rows.ts')).toEqual([]);
  });

  it("names exactly the replica's workstation-only tables as not synced", async () => {
    const config = z
      .object({
        rules: z.object({
          [RULE]: z.tuple([z.unknown(), z.object({ workstationTables: z.array(z.string()) })]),
        }),
      })
      .parse(await eslint.calculateConfigForFile(join(fixtures, 'main/services/reads.ts')));
    const declared: string[] = Object.values(workstationSchema).flatMap((value) =>
      value instanceof SQLiteTable ? [getTableName(value)] : [],
    );
    expect([...config.rules[RULE][1].workstationTables].sort()).toEqual(declared.sort());
    const synced = Object.values(localSyncedTables).map((table) => getTableName(table));
    expect(synced.filter((name) => declared.includes(name))).toEqual([]);
  });
});

describe('reading the table a SQL statement writes', () => {
  it.each([
    ['select * from vitals', []],
    ['  pragma synchronous = NORMAL', []],
    ['with recent as (select 1) select * from recent', []],
    ['insert into audit_logs (id) values (?)', ['audit_logs']],
    ['INSERT OR REPLACE INTO "mrn_pool" (mrn) values (?)', ['mrn_pool']],
    ['update vitals set notes = ?', ['vitals']],
    ['-- why\ndelete from outbox where id = ?', ['outbox']],
    ['update "\u0000" set a = ?', ['*']],
    ['with gone as (delete from outbox returning id) select * from gone', ['*']],
    ['drop table vitals', ['*']],
  ])('%j changes %j', (text, tables) => {
    expect(tablesWrittenBySql(text)).toEqual(tables);
  });
});
