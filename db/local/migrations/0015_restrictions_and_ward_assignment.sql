CREATE TABLE `patient_restrictions` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`patient_id` text NOT NULL,
	`reason` text NOT NULL,
	`restricted_by` text,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`restricted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "patient_restrictions_reason_check" CHECK("patient_restrictions"."reason" in ('staff_member', 'public_figure', 'patient_request'))
);
--> statement-breakpoint
CREATE INDEX `patient_restrictions_patient_idx` ON `patient_restrictions` (`patient_id`);--> statement-breakpoint
CREATE TABLE `staff_ward_assignments` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`user_id` text NOT NULL,
	`ward_id` text NOT NULL,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`ward_id`) REFERENCES `wards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_ward_assignments_user_ward_unique` ON `staff_ward_assignments` (`user_id`,`ward_id`) WHERE "staff_ward_assignments"."deleted_at" is null;--> statement-breakpoint
ALTER TABLE `hospitals` ADD `ward_assignment` integer DEFAULT false NOT NULL;