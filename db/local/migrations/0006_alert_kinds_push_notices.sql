CREATE TABLE `push_notices` (
	`id` text PRIMARY KEY NOT NULL,
	`mutation_id` text NOT NULL,
	`user_id` text NOT NULL,
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`code` text NOT NULL,
	`message` text NOT NULL,
	`received_at` text NOT NULL,
	`shown_at` text
);
--> statement-breakpoint
CREATE INDEX `push_notices_user_shown_idx` ON `push_notices` (`user_id`,`shown_at`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_clinical_alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`kind` text NOT NULL,
	`visit_id` text,
	`patient_id` text,
	`details` text DEFAULT '{}' NOT NULL,
	`acknowledged_by` text,
	`acknowledged_at` text,
	`acknowledgement_note` text,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`acknowledged_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "clinical_alerts_kind_check" CHECK("__new_clinical_alerts"."kind" in ('possible_double_dose', 'bed_conflict', 'possible_duplicate_patient', 'clock_skew', 'late_entry_after_discharge', 'refused_clinical_change', 'slot_taken', 'negative_stock'))
);
--> statement-breakpoint
INSERT INTO `__new_clinical_alerts`("id", "hospital_id", "version", "created_at", "updated_at", "deleted_at", "updated_by", "kind", "visit_id", "patient_id", "details", "acknowledged_by", "acknowledged_at", "acknowledgement_note") SELECT "id", "hospital_id", "version", "created_at", "updated_at", "deleted_at", "updated_by", "kind", "visit_id", "patient_id", "details", "acknowledged_by", "acknowledged_at", NULL FROM `clinical_alerts`;--> statement-breakpoint
DROP TABLE `clinical_alerts`;--> statement-breakpoint
ALTER TABLE `__new_clinical_alerts` RENAME TO `clinical_alerts`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `clinical_alerts_patient_idx` ON `clinical_alerts` (`patient_id`,`acknowledged_at`);--> statement-breakpoint
CREATE INDEX `clinical_alerts_kind_created_idx` ON `clinical_alerts` (`kind`,`created_at`);--> statement-breakpoint
CREATE INDEX `clinical_alerts_open_idx` ON `clinical_alerts` (`created_at`) WHERE "clinical_alerts"."acknowledged_at" is null and "clinical_alerts"."deleted_at" is null;--> statement-breakpoint
ALTER TABLE `sync_conflicts` ADD `local_user_id` text;--> statement-breakpoint
ALTER TABLE `sync_conflicts` ADD `local_time` text;--> statement-breakpoint
ALTER TABLE `sync_conflicts` ADD `server_updated_by` text;--> statement-breakpoint
ALTER TABLE `sync_conflicts` ADD `server_updated_at` text;