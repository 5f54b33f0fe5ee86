CREATE TABLE `permissions` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`key` text NOT NULL,
	`description` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `permissions_key_unique` ON `permissions` (`key`);--> statement-breakpoint
CREATE TABLE `role_permissions` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`role_id` text NOT NULL,
	`permission_id` text NOT NULL,
	FOREIGN KEY (`role_id`) REFERENCES `roles`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`permission_id`) REFERENCES `permissions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `role_permissions_role_permission_unique` ON `role_permissions` (`role_id`,`permission_id`);--> statement-breakpoint
CREATE TABLE `roles` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`name` text NOT NULL,
	`description` text NOT NULL,
	CONSTRAINT "roles_name_check" CHECK("roles"."name" in ('super_admin', 'regional_admin', 'manager', 'doctor', 'nurse', 'lab_tech', 'pharmacist', 'reception', 'patient'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `roles_name_unique` ON `roles` (`name`);--> statement-breakpoint
CREATE TABLE `user_permissions` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`user_id` text NOT NULL,
	`permission_id` text NOT NULL,
	`granted_by` text,
	`expires_at` text,
	`reason` text,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`permission_id`) REFERENCES `permissions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`granted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `user_permissions_user_idx` ON `user_permissions` (`user_id`,`expires_at`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`email` text NOT NULL,
	`full_name` text NOT NULL,
	`role` text NOT NULL,
	`region_id` text,
	`active` integer DEFAULT true NOT NULL,
	`failed_login_count` integer DEFAULT 0 NOT NULL,
	`locked_until` text,
	`last_login_at` text,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`role`) REFERENCES `roles`(`name`) ON UPDATE cascade ON DELETE restrict,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "users_failed_login_count_check" CHECK("users"."failed_login_count" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE INDEX `users_hospital_role_idx` ON `users` (`hospital_id`,`role`);--> statement-breakpoint
CREATE TABLE `patients` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`mrn` text NOT NULL,
	`first_name` text NOT NULL,
	`last_name` text NOT NULL,
	`date_of_birth` text NOT NULL,
	`sex` text NOT NULL,
	`phone` text,
	`email` text,
	`address` text,
	`emergency_contact_name` text,
	`emergency_contact_phone` text,
	`allergies` text DEFAULT '[]' NOT NULL,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "patients_sex_check" CHECK("patients"."sex" in ('female', 'male', 'other', 'unknown'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `patients_hospital_mrn_unique` ON `patients` (`hospital_id`,`mrn`);--> statement-breakpoint
CREATE INDEX `patients_hospital_name_idx` ON `patients` (`hospital_id`,`last_name`,`first_name`);--> statement-breakpoint
CREATE INDEX `patients_hospital_dob_idx` ON `patients` (`hospital_id`,`date_of_birth`);--> statement-breakpoint
CREATE TABLE `visits` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`patient_id` text NOT NULL,
	`ward_id` text NOT NULL,
	`bed_id` text,
	`attending_doctor_id` text,
	`status` text DEFAULT 'admitted' NOT NULL,
	`admission_reason` text,
	`admitted_at` text NOT NULL,
	`discharged_at` text,
	`discharge_summary` text,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`ward_id`) REFERENCES `wards`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`bed_id`) REFERENCES `beds`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`attending_doctor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "visits_status_check" CHECK("visits"."status" in ('admitted', 'discharged', 'cancelled')),
	CONSTRAINT "visits_discharged_at_check" CHECK("visits"."status" <> 'discharged' or "visits"."discharged_at" is not null)
);
--> statement-breakpoint
CREATE INDEX `visits_patient_status_idx` ON `visits` (`patient_id`,`status`);--> statement-breakpoint
CREATE INDEX `visits_ward_status_idx` ON `visits` (`ward_id`,`status`);--> statement-breakpoint
CREATE INDEX `visits_status_created_idx` ON `visits` (`status`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `visits_active_bed_unique` ON `visits` (`bed_id`) WHERE "visits"."status" = 'admitted' and "visits"."deleted_at" is null and "visits"."bed_id" is not null;--> statement-breakpoint
CREATE TABLE `nurse_logs` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`visit_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`kind` text NOT NULL,
	`body` text NOT NULL,
	`recorded_at` text NOT NULL,
	`recorded_by` text NOT NULL,
	`entered_in_error_id` text,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`entered_in_error_id`) REFERENCES `nurse_logs`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "nurse_logs_kind_check" CHECK("nurse_logs"."kind" in ('observation', 'care_activity', 'incident', 'note', 'handoff'))
);
--> statement-breakpoint
CREATE INDEX `nurse_logs_visit_recorded_idx` ON `nurse_logs` (`visit_id`,`recorded_at`);--> statement-breakpoint
CREATE INDEX `nurse_logs_kind_created_idx` ON `nurse_logs` (`kind`,`created_at`);--> statement-breakpoint
CREATE TABLE `vitals` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`visit_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`recorded_at` text NOT NULL,
	`temperature_c` real,
	`heart_rate` integer,
	`systolic` integer,
	`diastolic` integer,
	`respiratory_rate` integer,
	`spo2` integer,
	`weight_kg` real,
	`height_cm` real,
	`bmi` real,
	`abnormal` text DEFAULT '[]' NOT NULL,
	`recorded_by` text NOT NULL,
	`notes` text,
	`entered_in_error_id` text,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`entered_in_error_id`) REFERENCES `vitals`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "vitals_temperature_check" CHECK("vitals"."temperature_c" is null or "vitals"."temperature_c" between 25 and 45),
	CONSTRAINT "vitals_heart_rate_check" CHECK("vitals"."heart_rate" is null or "vitals"."heart_rate" between 20 and 300),
	CONSTRAINT "vitals_systolic_check" CHECK("vitals"."systolic" is null or "vitals"."systolic" between 40 and 300),
	CONSTRAINT "vitals_diastolic_check" CHECK("vitals"."diastolic" is null or "vitals"."diastolic" between 20 and 200),
	CONSTRAINT "vitals_respiratory_rate_check" CHECK("vitals"."respiratory_rate" is null or "vitals"."respiratory_rate" between 2 and 80),
	CONSTRAINT "vitals_spo2_check" CHECK("vitals"."spo2" is null or "vitals"."spo2" between 50 and 100),
	CONSTRAINT "vitals_weight_check" CHECK("vitals"."weight_kg" is null or "vitals"."weight_kg" between 0.3 and 500),
	CONSTRAINT "vitals_height_check" CHECK("vitals"."height_cm" is null or "vitals"."height_cm" between 20 and 280)
);
--> statement-breakpoint
CREATE INDEX `vitals_visit_recorded_idx` ON `vitals` (`visit_id`,`recorded_at`);--> statement-breakpoint
CREATE INDEX `vitals_patient_recorded_idx` ON `vitals` (`patient_id`,`recorded_at`);--> statement-breakpoint
CREATE TABLE `lab_tests` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`visit_id` text,
	`patient_id` text NOT NULL,
	`test_code` text NOT NULL,
	`test_name` text NOT NULL,
	`urgency` text DEFAULT 'routine' NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`ordered_by` text NOT NULL,
	`ordered_at` text NOT NULL,
	`accepted_by` text,
	`accepted_at` text,
	`started_at` text,
	`completed_at` text,
	`result` text,
	`report_attachment` text,
	`cancellation_reason` text,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`ordered_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`accepted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "lab_tests_status_check" CHECK("lab_tests"."status" in ('pending', 'accepted', 'in_progress', 'completed', 'cancelled')),
	CONSTRAINT "lab_tests_urgency_check" CHECK("lab_tests"."urgency" in ('routine', 'urgent', 'stat')),
	CONSTRAINT "lab_tests_result_check" CHECK("lab_tests"."status" <> 'completed' or "lab_tests"."result" is not null)
);
--> statement-breakpoint
CREATE INDEX `lab_tests_patient_status_idx` ON `lab_tests` (`patient_id`,`status`);--> statement-breakpoint
CREATE INDEX `lab_tests_status_created_idx` ON `lab_tests` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `lab_tests_visit_idx` ON `lab_tests` (`visit_id`);--> statement-breakpoint
CREATE TABLE `medication_administrations` (
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
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`prescription_id`) REFERENCES `prescriptions`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`administered_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`entered_in_error_id`) REFERENCES `medication_administrations`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "mar_status_check" CHECK("medication_administrations"."status" in ('given', 'held', 'refused')),
	CONSTRAINT "mar_reason_check" CHECK("medication_administrations"."status" = 'given' or "medication_administrations"."reason" is not null)
);
--> statement-breakpoint
CREATE INDEX `mar_prescription_scheduled_idx` ON `medication_administrations` (`prescription_id`,`scheduled_for`);--> statement-breakpoint
CREATE INDEX `mar_visit_scheduled_idx` ON `medication_administrations` (`visit_id`,`scheduled_for`);--> statement-breakpoint
CREATE TABLE `prescriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`visit_id` text,
	`patient_id` text NOT NULL,
	`drug` text NOT NULL,
	`dose` text NOT NULL,
	`frequency` text NOT NULL,
	`route` text NOT NULL,
	`duration_days` integer,
	`starts_at` text NOT NULL,
	`ends_at` text,
	`status` text DEFAULT 'active' NOT NULL,
	`prescribed_by` text NOT NULL,
	`notes` text,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`prescribed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "prescriptions_route_check" CHECK("prescriptions"."route" in ('oral', 'iv', 'im', 'sc', 'topical', 'inhaled', 'rectal', 'other')),
	CONSTRAINT "prescriptions_status_check" CHECK("prescriptions"."status" in ('active', 'completed', 'discontinued')),
	CONSTRAINT "prescriptions_duration_check" CHECK("prescriptions"."duration_days" is null or "prescriptions"."duration_days" between 1 and 365)
);
--> statement-breakpoint
CREATE INDEX `prescriptions_patient_status_idx` ON `prescriptions` (`patient_id`,`status`);--> statement-breakpoint
CREATE INDEX `prescriptions_status_created_idx` ON `prescriptions` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `prescriptions_visit_idx` ON `prescriptions` (`visit_id`);--> statement-breakpoint
CREATE TABLE `beds` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`ward_id` text NOT NULL,
	`number` text NOT NULL,
	`floor` integer NOT NULL,
	`status` text DEFAULT 'available' NOT NULL,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`ward_id`) REFERENCES `wards`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "beds_status_check" CHECK("beds"."status" in ('available', 'occupied', 'maintenance', 'reserved'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `beds_hospital_number_unique` ON `beds` (`hospital_id`,`number`);--> statement-breakpoint
CREATE INDEX `beds_ward_status_idx` ON `beds` (`ward_id`,`status`);--> statement-breakpoint
CREATE TABLE `hospitals` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`region_id` text NOT NULL,
	`bed_capacity` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "hospitals_bed_capacity_check" CHECK("hospitals"."bed_capacity" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hospitals_code_unique` ON `hospitals` (`code`);--> statement-breakpoint
CREATE INDEX `hospitals_region_idx` ON `hospitals` (`region_id`);--> statement-breakpoint
CREATE TABLE `regions` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`theme_settings` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `regions_code_unique` ON `regions` (`code`);--> statement-breakpoint
CREATE TABLE `wards` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`floor` integer NOT NULL,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wards_hospital_code_unique` ON `wards` (`hospital_id`,`code`);--> statement-breakpoint
CREATE TABLE `ai_drafts` (
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
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`reviewed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "ai_drafts_status_check" CHECK("ai_drafts"."status" in ('draft', 'approved', 'rejected'))
);
--> statement-breakpoint
CREATE INDEX `ai_drafts_visit_idx` ON `ai_drafts` (`visit_id`);--> statement-breakpoint
CREATE INDEX `ai_drafts_status_created_idx` ON `ai_drafts` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `clinical_alerts` (
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
	CONSTRAINT "clinical_alerts_kind_check" CHECK("clinical_alerts"."kind" in ('possible_double_dose', 'bed_conflict', 'possible_duplicate_patient', 'clock_skew'))
);
--> statement-breakpoint
CREATE INDEX `clinical_alerts_patient_idx` ON `clinical_alerts` (`patient_id`,`acknowledged_at`);--> statement-breakpoint
CREATE INDEX `clinical_alerts_kind_created_idx` ON `clinical_alerts` (`kind`,`created_at`);--> statement-breakpoint
CREATE TABLE `emr_local` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`visit_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`kind` text NOT NULL,
	`body` text NOT NULL,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `emr_local_visit_idx` ON `emr_local` (`visit_id`);--> statement-breakpoint
CREATE INDEX `emr_local_patient_idx` ON `emr_local` (`patient_id`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`channel` text NOT NULL,
	`recipient_user_id` text,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`retries` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`sent_at` text,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`recipient_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "notifications_channel_check" CHECK("notifications"."channel" in ('in_app', 'email', 'sms')),
	CONSTRAINT "notifications_status_check" CHECK("notifications"."status" in ('pending', 'sent', 'failed'))
);
--> statement-breakpoint
CREATE INDEX `notifications_status_created_idx` ON `notifications` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `notifications_recipient_idx` ON `notifications` (`recipient_user_id`);--> statement-breakpoint
CREATE TABLE `appointments` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`patient_id` text NOT NULL,
	`doctor_id` text NOT NULL,
	`scheduled_at` text NOT NULL,
	`duration_minutes` integer DEFAULT 15 NOT NULL,
	`status` text DEFAULT 'scheduled' NOT NULL,
	`reason` text,
	`checked_in_at` text,
	`cancellation_reason` text,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`doctor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "appointments_status_check" CHECK("appointments"."status" in ('scheduled', 'checked_in', 'completed', 'cancelled', 'no_show')),
	CONSTRAINT "appointments_duration_check" CHECK("appointments"."duration_minutes" between 5 and 480)
);
--> statement-breakpoint
CREATE INDEX `appointments_doctor_scheduled_idx` ON `appointments` (`doctor_id`,`scheduled_at`);--> statement-breakpoint
CREATE INDEX `appointments_patient_status_idx` ON `appointments` (`patient_id`,`status`);--> statement-breakpoint
CREATE TABLE `inventory` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`item_type` text NOT NULL,
	`name` text NOT NULL,
	`sku` text,
	`quantity` integer DEFAULT 0 NOT NULL,
	`unit` text NOT NULL,
	`threshold` integer DEFAULT 0 NOT NULL,
	`expires_on` text,
	`location` text,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "inventory_item_type_check" CHECK("inventory"."item_type" in ('medication', 'supply', 'equipment')),
	CONSTRAINT "inventory_quantity_check" CHECK("inventory"."quantity" >= 0 and "inventory"."threshold" >= 0)
);
--> statement-breakpoint
CREATE INDEX `inventory_hospital_type_idx` ON `inventory` (`hospital_id`,`item_type`);--> statement-breakpoint
CREATE INDEX `inventory_expires_idx` ON `inventory` (`expires_on`);--> statement-breakpoint
CREATE TABLE `audit_logs` (
	`id` text PRIMARY KEY NOT NULL,
	`device_seq` integer NOT NULL,
	`at` text NOT NULL,
	`user_id` text,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text,
	`before` text,
	`after` text,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	`pushed_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audit_logs_device_seq_unique` ON `audit_logs` (`device_seq`);--> statement-breakpoint
CREATE INDEX `audit_logs_pushed_seq_idx` ON `audit_logs` (`pushed_at`,`device_seq`);--> statement-breakpoint
CREATE INDEX `audit_logs_entity_idx` ON `audit_logs` (`entity`,`entity_id`);--> statement-breakpoint
CREATE TABLE `cached_credentials` (
	`user_id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`verifier` text NOT NULL,
	`cached_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`failed_count` integer DEFAULT 0 NOT NULL,
	`locked_until` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cached_credentials_email_unique` ON `cached_credentials` (`email`);--> statement-breakpoint
CREATE TABLE `login_history` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text,
	`email` text NOT NULL,
	`at` text NOT NULL,
	`mode` text NOT NULL,
	`outcome` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `login_history_at_idx` ON `login_history` (`at`);--> statement-breakpoint
CREATE TABLE `mrn_pool` (
	`mrn` text PRIMARY KEY NOT NULL,
	`reserved_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`used_at` text
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`device_seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`mutation_id` text NOT NULL,
	`user_id` text NOT NULL,
	`table_name` text NOT NULL,
	`op` text NOT NULL,
	`row_id` text NOT NULL,
	`base_version` integer,
	`data` text NOT NULL,
	`client_time` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`reason_code` text,
	`reason_message` text,
	`last_error` text,
	CONSTRAINT "outbox_op_check" CHECK("outbox"."op" in ('insert', 'update', 'delete')),
	CONSTRAINT "outbox_status_check" CHECK("outbox"."status" in ('pending', 'rejected'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_mutation_id_unique` ON `outbox` (`mutation_id`);--> statement-breakpoint
CREATE INDEX `outbox_status_seq_idx` ON `outbox` (`status`,`device_seq`);--> statement-breakpoint
CREATE INDEX `outbox_row_idx` ON `outbox` (`table_name`,`row_id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`mode` text NOT NULL,
	`started_at` text NOT NULL,
	`last_activity_at` text NOT NULL,
	`locked_at` text,
	`ended_at` text,
	`end_reason` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_started_idx` ON `sessions` (`user_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `sync_conflicts` (
	`id` text PRIMARY KEY NOT NULL,
	`mutation_id` text NOT NULL,
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`reason_code` text NOT NULL,
	`local_values` text NOT NULL,
	`server_values` text NOT NULL,
	`server_version` integer,
	`detected_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`resolved_at` text,
	`resolved_by` text,
	`resolution` text
);
--> statement-breakpoint
CREATE INDEX `sync_conflicts_open_idx` ON `sync_conflicts` (`resolved_at`,`detected_at`);--> statement-breakpoint
CREATE TABLE `sync_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`device_id` text,
	`hospital_id` text,
	`server_url` text,
	`pull_cursor` text,
	`last_push_at` text,
	`last_pull_at` text,
	`last_success_at` text,
	`last_error` text,
	`clock_skew_ms` integer,
	CONSTRAINT "sync_state_single_row_check" CHECK("sync_state"."id" = 1)
);
