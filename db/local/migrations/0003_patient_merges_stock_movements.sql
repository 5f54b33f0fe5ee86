CREATE TABLE `patient_merges` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`survivor_patient_id` text NOT NULL,
	`merged_patient_id` text NOT NULL,
	`merged_by` text NOT NULL,
	`merged_at` text NOT NULL,
	`reason` text,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`survivor_patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`merged_patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`merged_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "patient_merges_distinct_check" CHECK("patient_merges"."survivor_patient_id" <> "patient_merges"."merged_patient_id")
);
--> statement-breakpoint
CREATE INDEX `patient_merges_survivor_idx` ON `patient_merges` (`survivor_patient_id`);--> statement-breakpoint
CREATE INDEX `patient_merges_merged_idx` ON `patient_merges` (`merged_patient_id`);--> statement-breakpoint
CREATE TABLE `inventory_movements` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`item_id` text NOT NULL,
	`kind` text NOT NULL,
	`quantity` integer NOT NULL,
	`reason` text NOT NULL,
	`recorded_by` text,
	`recorded_at` text NOT NULL,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`item_id`) REFERENCES `inventory`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "inventory_movements_kind_check" CHECK("inventory_movements"."kind" in ('received', 'dispensed', 'adjusted', 'expired')),
	CONSTRAINT "inventory_movements_sign_check" CHECK(("inventory_movements"."kind" = 'received' and "inventory_movements"."quantity" > 0) or ("inventory_movements"."kind" in ('dispensed', 'expired') and "inventory_movements"."quantity" < 0) or ("inventory_movements"."kind" = 'adjusted' and "inventory_movements"."quantity" <> 0))
);
--> statement-breakpoint
CREATE INDEX `inventory_movements_item_idx` ON `inventory_movements` (`item_id`,`recorded_at`);--> statement-breakpoint
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
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`acknowledged_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "clinical_alerts_kind_check" CHECK("__new_clinical_alerts"."kind" in ('possible_double_dose', 'bed_conflict', 'possible_duplicate_patient', 'clock_skew', 'slot_taken', 'negative_stock'))
);
--> statement-breakpoint
INSERT INTO `__new_clinical_alerts`("id", "hospital_id", "version", "created_at", "updated_at", "deleted_at", "updated_by", "kind", "visit_id", "patient_id", "details", "acknowledged_by", "acknowledged_at") SELECT "id", "hospital_id", "version", "created_at", "updated_at", "deleted_at", "updated_by", "kind", "visit_id", "patient_id", "details", "acknowledged_by", "acknowledged_at" FROM `clinical_alerts`;--> statement-breakpoint
DROP TABLE `clinical_alerts`;--> statement-breakpoint
ALTER TABLE `__new_clinical_alerts` RENAME TO `clinical_alerts`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `clinical_alerts_patient_idx` ON `clinical_alerts` (`patient_id`,`acknowledged_at`);--> statement-breakpoint
CREATE INDEX `clinical_alerts_kind_created_idx` ON `clinical_alerts` (`kind`,`created_at`);--> statement-breakpoint
ALTER TABLE `patients` ADD `merged_into_id` text REFERENCES patients(id);--> statement-breakpoint
CREATE INDEX `patients_merged_into_idx` ON `patients` (`merged_into_id`) WHERE "patients"."merged_into_id" is not null;