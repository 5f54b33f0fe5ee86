CREATE TABLE `audit_push_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`pushed_through_seq` integer DEFAULT 0 NOT NULL,
	`alert_at` text,
	`alert_reason` text,
	`unverified_signed` integer DEFAULT 0 NOT NULL,
	CONSTRAINT "audit_push_state_single_row_check" CHECK("audit_push_state"."id" = 1)
);
