/**
 * The change feed's triggers follow the catalog: after drizzle's migrations, every synced table
 * gets its statement-level insert and update triggers (the function they call,
 * wardline_record_changes, comes from migrations 0003 and 0007). A table added to the catalog
 * thus reaches other workstations without hand-written SQL; a synced table without them would
 * silently never be pulled, which `feedTriggerProblems` (and a test on a migrated database) catch.
 */
import { sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { SYNCED_TABLES } from '../../shared/catalog';
import type { SyncedTable } from '../../shared/catalog/table';

type Database = NodePgDatabase<Record<string, unknown>>;

const FEED_FUNCTION = 'wardline_record_changes';
const EVENTS = ['insert', 'update'] as const;

const triggerSql = (table: string, event: (typeof EVENTS)[number]) =>
  `CREATE OR REPLACE TRIGGER "${table}_feed_${event}" AFTER ${event.toUpperCase()} ON "${table}" ` +
  `REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION ${FEED_FUNCTION}()`;

/** Creates (or re-creates, identically) the feed triggers of every catalog table. Idempotent. */
export async function ensureFeedTriggers(
  db: Database,
  catalog: readonly SyncedTable[] = SYNCED_TABLES,
): Promise<void> {
  const statements = catalog.flatMap((table) =>
    EVENTS.map((event) => triggerSql(table.name, event)),
  );
  await db.execute(sql.raw(statements.join(';\n')));
}

type FeedTrigger = {
  table_name: string;
  inserts: boolean;
  updates: boolean;
};

/**
 * What is wrong with the feed triggers of a migrated database, one sentence per problem: a
 * catalog table whose inserts or updates do not reach the feed, or a feed trigger on a table the
 * catalog does not sync. Empty when all is well.
 */
export async function feedTriggerProblems(
  db: Database,
  catalog: readonly SyncedTable[] = SYNCED_TABLES,
): Promise<string[]> {
  // tgtype bits (pg_trigger.h): 1 row-level, 2 before, 4 insert, 16 update. A feed trigger is an
  // enabled AFTER … FOR EACH STATEMENT trigger with the changed rows as its transition table.
  const found = await db.execute<FeedTrigger>(sql`
    select c.relname as table_name,
           bool_or(t.tgtype & 4 <> 0) as inserts,
           bool_or(t.tgtype & 16 <> 0) as updates
      from pg_trigger t
      join pg_class c on c.oid = t.tgrelid
      join pg_namespace n on n.oid = c.relnamespace
      join pg_proc p on p.oid = t.tgfoid
     where not t.tgisinternal and n.nspname = current_schema() and p.proname = ${FEED_FUNCTION}
       and t.tgtype & 3 = 0 and t.tgenabled <> 'D' and t.tgnewtable = 'changed_rows'
     group by c.relname`);
  const byTable = new Map(found.rows.map((row) => [row.table_name, row]));
  const synced = new Set(catalog.map((table) => table.name));
  const problems: string[] = [];
  for (const table of catalog) {
    const triggers = byTable.get(table.name);
    if (!triggers?.inserts) problems.push(`${table.name}: inserts do not reach the change feed.`);
    if (!triggers?.updates) problems.push(`${table.name}: updates do not reach the change feed.`);
  }
  for (const table of byTable.keys()) {
    if (!synced.has(table)) {
      problems.push(`${table}: has a change-feed trigger but is not a synced table.`);
    }
  }
  return problems;
}
