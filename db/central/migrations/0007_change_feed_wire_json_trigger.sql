-- Custom SQL migration file, put your code below! --
-- The feed trigger now also stores each change as pull sends it, so pull never builds JSON.
-- The row expression is derived from the table's own columns at write time (the same rule as
-- server/sync/table-shapes.ts: camelCase keys, timestamptz as ISO-8601 with ms and Z, dates as
-- YYYY-MM-DD), so a column added later reaches the wire without touching this trigger.
CREATE OR REPLACE FUNCTION wardline_wire_row_sql(tbl regclass) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT 'json_build_object(' || string_agg(
    quote_literal(lower(left(a.attname, 1)) || substr(replace(initcap(a.attname), '_', ''), 2)) || ', ' ||
    CASE a.atttypid
      WHEN 'timestamptz'::regtype THEN format('to_char(t.%I at time zone ''UTC'', ''YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'')', a.attname)
      WHEN 'date'::regtype THEN format('to_char(t.%I, ''YYYY-MM-DD'')', a.attname)
      ELSE format('t.%I', a.attname)
    END, ', ' ORDER BY a.attnum) || ')'
  FROM pg_attribute a
  WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION wardline_record_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format(
    'INSERT INTO change_feed (table_name, row_id, hospital_id, version, tx_id, change)
     SELECT %1$L, t.id, t.hospital_id, t.version, (pg_current_xact_id()::text)::bigint,
            json_build_object(''table'', %1$L, ''id'', t.id, ''version'', t.version, ''row'', %2$s)::text
     FROM changed_rows AS t',
    TG_TABLE_NAME, wardline_wire_row_sql(TG_RELID));
  RETURN NULL;
END
$$;--> statement-breakpoint
-- Entries written before this migration get the row as it is now (pull used to send that too).
DO $$
DECLARE
  synced text;
BEGIN
  FOR synced IN SELECT DISTINCT table_name FROM change_feed WHERE change IS NULL LOOP
    EXECUTE format(
      'UPDATE change_feed f SET change = json_build_object(''table'', %1$L, ''id'', t.id, ''version'', t.version, ''row'', %2$s)::text
       FROM %1$I AS t WHERE f.table_name = %1$L AND f.change IS NULL AND t.id = f.row_id',
      synced, wardline_wire_row_sql(synced::regclass));
  END LOOP;
END
$$;
--> statement-breakpoint
-- One pull page (see server/sync/pull.ts for why only entries below the snapshot's xmin).
-- A page must be an ordered index scan that stops after `page_limit` entries. Right after a bulk
-- write, before autovacuum has analyzed the feed, the planner underestimates a hospital's entries
-- and picks a bitmap or sequential scan that reads and sorts every remaining entry, wide change
-- text included, for every page; both are therefore off for this function alone (the indexes
-- change_feed_hospital_tx_seq_idx and change_feed_reference_tx_seq_idx serve it in order).
CREATE OR REPLACE FUNCTION wardline_feed_page(scope uuid, after_tx bigint, after_seq bigint, page_limit integer)
RETURNS TABLE (seq bigint, tx_id bigint, row_id uuid, version integer, change text)
LANGUAGE sql STABLE SET enable_bitmapscan = off SET enable_seqscan = off AS $$
  WITH horizon AS (SELECT (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint AS xmin)
  SELECT page.seq, page.tx_id, page.row_id, page.version, page.change FROM (
    (SELECT f.seq, f.tx_id, f.row_id, f.version, f.change FROM change_feed f, horizon h
      WHERE f.hospital_id = scope AND (f.tx_id, f.seq) > (after_tx, after_seq) AND f.tx_id < h.xmin
      ORDER BY f.tx_id, f.seq LIMIT page_limit)
    UNION ALL
    (SELECT f.seq, f.tx_id, f.row_id, f.version, f.change FROM change_feed f, horizon h
      WHERE f.hospital_id IS NULL AND (f.tx_id, f.seq) > (after_tx, after_seq) AND f.tx_id < h.xmin
      ORDER BY f.tx_id, f.seq LIMIT page_limit)
  ) page
  ORDER BY page.tx_id, page.seq LIMIT page_limit
$$;
