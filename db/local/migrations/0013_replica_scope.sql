CREATE TABLE IF NOT EXISTS `replica_scope` (
	`id` integer PRIMARY KEY NOT NULL,
	`discharged_within_days` integer,
	`purged_before` text,
	`snapshot_cursor` text,
	`snapshot_next` text,
	`snapshot_rows` integer DEFAULT 0 NOT NULL,
	`snapshot_total` integer,
	`snapshot_bytes` integer DEFAULT 0 NOT NULL,
	`snapshot_started_at` text,
	`snapshot_done_at` text,
	`dropped_indexes` text,
	CONSTRAINT "replica_scope_single_row_check" CHECK("replica_scope"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `stay_holds` (
	`visit_id` text PRIMARY KEY NOT NULL,
	`kept_until` text
);
