-- Custom SQL migration file, put your code below! --
-- Tenancy (protocol 2): rows without a hospital reach every device, but user rows among them
-- (regional and super administrators) go out trimmed to name and role, and other such rows not at
-- all (server/sync/pull.ts). The page therefore also says each entry's table and whether it came
-- from the shared (hospital_id null) part of the feed; otherwise it is migration 0007's page.
-- A function's result columns cannot be changed in place, hence drop and create.
DROP FUNCTION IF EXISTS wardline_feed_page(uuid, bigint, bigint, integer);--> statement-breakpoint
CREATE FUNCTION wardline_feed_page(scope uuid, after_tx bigint, after_seq bigint, page_limit integer)
RETURNS TABLE (seq bigint, tx_id bigint, row_id uuid, version integer, table_name text, shared boolean, change text)
LANGUAGE sql STABLE SET enable_bitmapscan = off SET enable_seqscan = off AS $$
  WITH horizon AS (SELECT (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint AS xmin)
  SELECT page.seq, page.tx_id, page.row_id, page.version, page.table_name, page.shared, page.change FROM (
    (SELECT f.seq, f.tx_id, f.row_id, f.version, f.table_name, false AS shared, f.change FROM change_feed f, horizon h
      WHERE f.hospital_id = scope AND (f.tx_id, f.seq) > (after_tx, after_seq) AND f.tx_id < h.xmin
      ORDER BY f.tx_id, f.seq LIMIT page_limit)
    UNION ALL
    (SELECT f.seq, f.tx_id, f.row_id, f.version, f.table_name, true AS shared, f.change FROM change_feed f, horizon h
      WHERE f.hospital_id IS NULL AND (f.tx_id, f.seq) > (after_tx, after_seq) AND f.tx_id < h.xmin
      ORDER BY f.tx_id, f.seq LIMIT page_limit)
  ) page
  ORDER BY page.tx_id, page.seq LIMIT page_limit
$$;
