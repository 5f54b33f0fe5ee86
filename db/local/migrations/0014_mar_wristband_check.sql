PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_medication_administrations` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`prescription_id` text NOT NULL,
	`visit_id` text,
	`patient_id` text NOT NULL,
	`scheduled_for` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`administered_at` text NOT NULL,
	`administered_by` text NOT NULL,
	`entered_in_error_id` text,
	`wristband_check` text,
	`wristband_skip_reason` text,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`prescription_id`) REFERENCES `prescriptions`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`administered_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`entered_in_error_id`) REFERENCES `medication_administrations`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "mar_status_check" CHECK("__new_medication_administrations"."status" in ('given', 'held', 'refused')),
	CONSTRAINT "mar_wristband_check_check" CHECK("__new_medication_administrations"."wristband_check" in ('scanned', 'skipped')),
	CONSTRAINT "mar_reason_check" CHECK("__new_medication_administrations"."status" = 'given' or "__new_medication_administrations"."reason" is not null),
	CONSTRAINT "mar_wristband_skip_reason_check" CHECK("__new_medication_administrations"."wristband_check" is null or "__new_medication_administrations"."wristband_check" <> 'skipped' or "__new_medication_administrations"."wristband_skip_reason" is not null)
);
--> statement-breakpoint
INSERT INTO `__new_medication_administrations`("id", "hospital_id", "version", "created_at", "updated_at", "deleted_at", "updated_by", "prescription_id", "visit_id", "patient_id", "scheduled_for", "status", "reason", "administered_at", "administered_by", "entered_in_error_id", "wristband_check", "wristband_skip_reason") SELECT "id", "hospital_id", "version", "created_at", "updated_at", "deleted_at", "updated_by", "prescription_id", "visit_id", "patient_id", "scheduled_for", "status", "reason", "administered_at", "administered_by", "entered_in_error_id", NULL, NULL FROM `medication_administrations`;--> statement-breakpoint
DROP TABLE `medication_administrations`;--> statement-breakpoint
ALTER TABLE `__new_medication_administrations` RENAME TO `medication_administrations`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `mar_prescription_scheduled_idx` ON `medication_administrations` (`prescription_id`,`scheduled_for`);--> statement-breakpoint
CREATE INDEX `mar_visit_scheduled_idx` ON `medication_administrations` (`visit_id`,`scheduled_for`);--> statement-breakpoint
CREATE INDEX `mar_entered_in_error_idx` ON `medication_administrations` (`entered_in_error_id`) WHERE "medication_administrations"."entered_in_error_id" is not null;