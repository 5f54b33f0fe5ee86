CREATE TABLE IF NOT EXISTS "feed_compaction" (
	"id" integer PRIMARY KEY NOT NULL,
	"through_tx_id" bigint NOT NULL,
	"through_seq" bigint NOT NULL,
	"horizon_cutoff" timestamp(3) with time zone NOT NULL,
	"removed" bigint DEFAULT 0 NOT NULL,
	"compacted_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feed_compaction_single_row" CHECK ("feed_compaction"."id" = 1)
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "change_feed_row_idx" ON "change_feed" USING btree ("row_id","version");