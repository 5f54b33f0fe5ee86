CREATE TABLE `attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`patient_id` text NOT NULL,
	`visit_id` text,
	`lab_test_id` text,
	`emr_local_id` text,
	`file_name` text NOT NULL,
	`media_type` text NOT NULL,
	`byte_size` integer NOT NULL,
	`sha256` text NOT NULL,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`lab_test_id`) REFERENCES `lab_tests`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`emr_local_id`) REFERENCES `emr_local`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "attachments_media_type_check" CHECK("attachments"."media_type" in ('application/pdf', 'image/jpeg', 'image/png')),
	CONSTRAINT "attachments_byte_size_check" CHECK("attachments"."byte_size" between 1 and 20971520),
	CONSTRAINT "attachments_target_check" CHECK("attachments"."lab_test_id" is not null or "attachments"."emr_local_id" is not null)
);
--> statement-breakpoint
CREATE INDEX `attachments_lab_test_idx` ON `attachments` (`lab_test_id`);--> statement-breakpoint
CREATE INDEX `attachments_emr_local_idx` ON `attachments` (`emr_local_id`);--> statement-breakpoint
CREATE INDEX `attachments_visit_idx` ON `attachments` (`visit_id`);--> statement-breakpoint
CREATE INDEX `attachments_sha256_idx` ON `attachments` (`sha256`);--> statement-breakpoint
CREATE TABLE `attachment_chunks` (
	`sha256` text NOT NULL,
	`offset` integer NOT NULL,
	`bytes` blob NOT NULL,
	PRIMARY KEY(`sha256`, `offset`),
	FOREIGN KEY (`sha256`) REFERENCES `attachment_files`(`sha256`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `attachment_files` (
	`sha256` text PRIMARY KEY NOT NULL,
	`media_type` text NOT NULL,
	`byte_size` integer NOT NULL,
	`state` text NOT NULL,
	`stored_at` text NOT NULL,
	`last_error` text,
	CONSTRAINT "attachment_files_state_check" CHECK("attachment_files"."state" in ('to_upload', 'uploaded', 'fetched'))
);
--> statement-breakpoint
CREATE INDEX `attachment_files_state_idx` ON `attachment_files` (`state`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_ai_drafts` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`kind` text NOT NULL,
	`visit_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`body` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`reviewed_by` text,
	`reviewed_at` text,
	`generator` text DEFAULT 'wardline-records-v1' NOT NULL,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`reviewed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "ai_drafts_status_check" CHECK("__new_ai_drafts"."status" in ('draft', 'reviewed', 'approved', 'rejected'))
);
--> statement-breakpoint
INSERT INTO `__new_ai_drafts`("id", "hospital_id", "version", "created_at", "updated_at", "deleted_at", "updated_by", "kind", "visit_id", "patient_id", "body", "status", "reviewed_by", "reviewed_at", "generator") SELECT "id", "hospital_id", "version", "created_at", "updated_at", "deleted_at", "updated_by", "kind", "visit_id", "patient_id", "body", "status", "reviewed_by", "reviewed_at", 'wardline-records-v1' FROM `ai_drafts`;--> statement-breakpoint
DROP TABLE `ai_drafts`;--> statement-breakpoint
ALTER TABLE `__new_ai_drafts` RENAME TO `ai_drafts`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `ai_drafts_visit_idx` ON `ai_drafts` (`visit_id`);--> statement-breakpoint
CREATE INDEX `ai_drafts_status_created_idx` ON `ai_drafts` (`status`,`created_at`);