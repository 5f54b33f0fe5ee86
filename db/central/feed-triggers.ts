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
type FeedEvent = (typeof EVENTS)[number];

const triggerSql = (table: string, event: FeedEvent) =>
  `CREATE OR REPLACE TRIGGER "${table}_feed_${event}" AFTER ${event.toUpperCase()} ON "${table}" ` +
  `REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION ${FEED_FUNCTION}()`;

/** Which events of which tables fire a feed trigger, by table. */
async function readFeedTriggers(db: Database): Promise<Map<string, Record<FeedEvent, boolean>>> {
  // tgtype bits (pg_trigger.h): 1 row-level, 2 before, 4 insert, 16 update. A feed trigger is an
  // enabled AFTER … FOR EACH STATEMENT trigger with the changed rows as its transition table.
  const found = await db.execute<{ table_name: string; insert: boolean; update: boolean }>(sql`
    select c.relname as table_name,
           bool_or(t.tgtype & 4 <> 0) as insert,
           bool_or(t.tgtype & 16 <> 0) as update
      from pg_trigger t
      join pg_class c on c.oid = t.tgrelid
      join pg_namespace n on n.oid = c.relnamespace
      join pg_proc p on p.oid = t.tgfoid
     where not t.tgisinternal and n.nspname = current_schema() and p.proname = ${FEED_FUNCTION}
       and t.tgtype & 3 = 0 and t.tgenabled <> 'D' and t.tgnewtable = 'changed_rows'
     group by c.relname`);
  return new Map(found.rows.map(({ table_name, ...events }) => [table_name, events]));
}

/**
 * Creates the feed triggers a catalog table lacks; idempotent. Existing triggers are left alone,
 * so a server starting beside others that are serving takes no lock on a busy table.
 */
export async function ensureFeedTriggers(
  db: Database,
  catalog: readonly SyncedTable[] = SYNCED_TABLES,
): Promise<void> {
  const found = await readFeedTriggers(db);
  for (const table of catalog) {
    for (const event of EVENTS) {
      // OR REPLACE: two servers migrating the same database at once both succeed.
      if (!found.get(table.name)?.[event]) await db.execute(sql.raw(triggerSql(table.name, event)));
    }
  }
}

/**
 * What is wrong with the feed triggers of a migrated database, one sentence per problem: a
 * catalog table whose inserts or updates do not reach the feed, or a feed trigger on a table the
 * catalog does not sync. Empty when all is well.
 */
export async function feedTriggerProblems(
  db: Database,
  catalog: readonly SyncedTable[] = SYNCED_TABLES,
): Promise<string[]> {
  const found = await readFeedTriggers(db);
  const synced = new Set(catalog.map((table) => table.name));
  const problems: string[] = [];
  for (const table of catalog) {
    const triggers = found.get(table.name);
    if (!triggers?.insert) problems.push(`${table.name}: inserts do not reach the change feed.`);
    if (!triggers?.update) problems.push(`${table.name}: updates do not reach the change feed.`);
  }
  for (const table of found.keys()) {
    if (!synced.has(table)) {
      problems.push(`${table}: has a change-feed trigger but is not a synced table.`);
    }
  }
  return problems;
}
