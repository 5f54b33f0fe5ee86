CREATE TABLE "login_history" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid,
	"email" text NOT NULL,
	"device_id" uuid,
	"at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"outcome" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "password_reset_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp(3) with time zone NOT NULL,
	"used_at" timestamp(3) with time zone,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "password_reset_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "permissions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"key" text NOT NULL,
	"description" text NOT NULL,
	CONSTRAINT "permissions_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "role_permissions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"role_id" uuid NOT NULL,
	"permission_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "roles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"name" text NOT NULL,
	"description" text NOT NULL,
	CONSTRAINT "roles_name_unique" UNIQUE("name"),
	CONSTRAINT "roles_name_check" CHECK ("roles"."name" in ('super_admin', 'regional_admin', 'manager', 'doctor', 'nurse', 'lab_tech', 'pharmacist', 'reception', 'patient'))
);
--> statement-breakpoint
CREATE TABLE "user_credentials" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"password_hash" text NOT NULL,
	"password_changed_at" timestamp(3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_permissions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"user_id" uuid NOT NULL,
	"permission_id" uuid NOT NULL,
	"granted_by" uuid,
	"expires_at" timestamp(3) with time zone,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"email" text NOT NULL,
	"full_name" text NOT NULL,
	"role" text NOT NULL,
	"region_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"failed_login_count" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp(3) with time zone,
	"last_login_at" timestamp(3) with time zone,
	CONSTRAINT "users_email_unique" UNIQUE("email"),
	CONSTRAINT "users_failed_login_count_check" CHECK ("users"."failed_login_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "patients" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"mrn" text NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"date_of_birth" date NOT NULL,
	"sex" text NOT NULL,
	"phone" text,
	"email" text,
	"address" text,
	"emergency_contact_name" text,
	"emergency_contact_phone" text,
	"allergies" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "patients_sex_check" CHECK ("patients"."sex" in ('female', 'male', 'other', 'unknown'))
);
--> statement-breakpoint
CREATE TABLE "visits" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"patient_id" uuid NOT NULL,
	"ward_id" uuid NOT NULL,
	"bed_id" uuid,
	"attending_doctor_id" uuid,
	"status" text DEFAULT 'admitted' NOT NULL,
	"admission_reason" text,
	"admitted_at" timestamp(3) with time zone NOT NULL,
	"discharged_at" timestamp(3) with time zone,
	"discharge_summary" text,
	CONSTRAINT "visits_status_check" CHECK ("visits"."status" in ('admitted', 'discharged', 'cancelled')),
	CONSTRAINT "visits_discharged_at_check" CHECK ("visits"."status" <> 'discharged' or "visits"."discharged_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "nurse_logs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"visit_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"body" text NOT NULL,
	"recorded_at" timestamp(3) with time zone NOT NULL,
	"recorded_by" uuid NOT NULL,
	"entered_in_error_id" uuid,
	CONSTRAINT "nurse_logs_kind_check" CHECK ("nurse_logs"."kind" in ('observation', 'care_activity', 'incident', 'note', 'handoff'))
);
--> statement-breakpoint
CREATE TABLE "vitals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"visit_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"recorded_at" timestamp(3) with time zone NOT NULL,
	"temperature_c" double precision,
	"heart_rate" integer,
	"systolic" integer,
	"diastolic" integer,
	"respiratory_rate" integer,
	"spo2" integer,
	"weight_kg" double precision,
	"height_cm" double precision,
	"bmi" double precision,
	"abnormal" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"recorded_by" uuid NOT NULL,
	"notes" text,
	"entered_in_error_id" uuid,
	CONSTRAINT "vitals_temperature_check" CHECK ("vitals"."temperature_c" is null or "vitals"."temperature_c" between 25 and 45),
	CONSTRAINT "vitals_heart_rate_check" CHECK ("vitals"."heart_rate" is null or "vitals"."heart_rate" between 20 and 300),
	CONSTRAINT "vitals_systolic_check" CHECK ("vitals"."systolic" is null or "vitals"."systolic" between 40 and 300),
	CONSTRAINT "vitals_diastolic_check" CHECK ("vitals"."diastolic" is null or "vitals"."diastolic" between 20 and 200),
	CONSTRAINT "vitals_respiratory_rate_check" CHECK ("vitals"."respiratory_rate" is null or "vitals"."respiratory_rate" between 2 and 80),
	CONSTRAINT "vitals_spo2_check" CHECK ("vitals"."spo2" is null or "vitals"."spo2" between 50 and 100),
	CONSTRAINT "vitals_weight_check" CHECK ("vitals"."weight_kg" is null or "vitals"."weight_kg" between 0.3 and 500),
	CONSTRAINT "vitals_height_check" CHECK ("vitals"."height_cm" is null or "vitals"."height_cm" between 20 and 280)
);
--> statement-breakpoint
CREATE TABLE "lab_tests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"visit_id" uuid,
	"patient_id" uuid NOT NULL,
	"test_code" text NOT NULL,
	"test_name" text NOT NULL,
	"urgency" text DEFAULT 'routine' NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"ordered_by" uuid NOT NULL,
	"ordered_at" timestamp(3) with time zone NOT NULL,
	"accepted_by" uuid,
	"accepted_at" timestamp(3) with time zone,
	"started_at" timestamp(3) with time zone,
	"completed_at" timestamp(3) with time zone,
	"result" text,
	"report_attachment" text,
	"cancellation_reason" text,
	CONSTRAINT "lab_tests_status_check" CHECK ("lab_tests"."status" in ('pending', 'accepted', 'in_progress', 'completed', 'cancelled')),
	CONSTRAINT "lab_tests_urgency_check" CHECK ("lab_tests"."urgency" in ('routine', 'urgent', 'stat')),
	CONSTRAINT "lab_tests_result_check" CHECK ("lab_tests"."status" <> 'completed' or "lab_tests"."result" is not null)
);
--> statement-breakpoint
CREATE TABLE "medication_administrations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"prescription_id" uuid NOT NULL,
	"visit_id" uuid,
	"patient_id" uuid NOT NULL,
	"scheduled_for" timestamp(3) with time zone NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"administered_at" timestamp(3) with time zone NOT NULL,
	"administered_by" uuid NOT NULL,
	"entered_in_error_id" uuid,
	CONSTRAINT "mar_status_check" CHECK ("medication_administrations"."status" in ('given', 'held', 'refused')),
	CONSTRAINT "mar_reason_check" CHECK ("medication_administrations"."status" = 'given' or "medication_administrations"."reason" is not null)
);
--> statement-breakpoint
CREATE TABLE "prescriptions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"visit_id" uuid,
	"patient_id" uuid NOT NULL,
	"drug" text NOT NULL,
	"dose" text NOT NULL,
	"frequency" text NOT NULL,
	"route" text NOT NULL,
	"duration_days" integer,
	"starts_at" timestamp(3) with time zone NOT NULL,
	"ends_at" timestamp(3) with time zone,
	"status" text DEFAULT 'active' NOT NULL,
	"prescribed_by" uuid NOT NULL,
	"notes" text,
	CONSTRAINT "prescriptions_route_check" CHECK ("prescriptions"."route" in ('oral', 'iv', 'im', 'sc', 'topical', 'inhaled', 'rectal', 'other')),
	CONSTRAINT "prescriptions_status_check" CHECK ("prescriptions"."status" in ('active', 'completed', 'discontinued')),
	CONSTRAINT "prescriptions_duration_check" CHECK ("prescriptions"."duration_days" is null or "prescriptions"."duration_days" between 1 and 365)
);
--> statement-breakpoint
CREATE TABLE "beds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"ward_id" uuid NOT NULL,
	"number" text NOT NULL,
	"floor" integer NOT NULL,
	"status" text DEFAULT 'available' NOT NULL,
	CONSTRAINT "beds_status_check" CHECK ("beds"."status" in ('available', 'occupied', 'maintenance', 'reserved'))
);
--> statement-breakpoint
CREATE TABLE "hospitals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"region_id" uuid NOT NULL,
	"bed_capacity" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "hospitals_code_unique" UNIQUE("code"),
	CONSTRAINT "hospitals_bed_capacity_check" CHECK ("hospitals"."bed_capacity" >= 0)
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"theme_settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "regions_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "wards" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"floor" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ai_drafts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"kind" text NOT NULL,
	"visit_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"reviewed_by" uuid,
	"reviewed_at" timestamp(3) with time zone,
	CONSTRAINT "ai_drafts_status_check" CHECK ("ai_drafts"."status" in ('draft', 'approved', 'rejected'))
);
--> statement-breakpoint
CREATE TABLE "clinical_alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"kind" text NOT NULL,
	"visit_id" uuid,
	"patient_id" uuid,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"acknowledged_by" uuid,
	"acknowledged_at" timestamp(3) with time zone,
	CONSTRAINT "clinical_alerts_kind_check" CHECK ("clinical_alerts"."kind" in ('possible_double_dose', 'bed_conflict', 'possible_duplicate_patient', 'clock_skew'))
);
--> statement-breakpoint
CREATE TABLE "emr_local" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"visit_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"body" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"channel" text NOT NULL,
	"recipient_user_id" uuid,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"retries" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"sent_at" timestamp(3) with time zone,
	CONSTRAINT "notifications_channel_check" CHECK ("notifications"."channel" in ('in_app', 'email', 'sms')),
	CONSTRAINT "notifications_status_check" CHECK ("notifications"."status" in ('pending', 'sent', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "appointments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"patient_id" uuid NOT NULL,
	"doctor_id" uuid NOT NULL,
	"scheduled_at" timestamp(3) with time zone NOT NULL,
	"duration_minutes" integer DEFAULT 15 NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"reason" text,
	"checked_in_at" timestamp(3) with time zone,
	"cancellation_reason" text,
	CONSTRAINT "appointments_status_check" CHECK ("appointments"."status" in ('scheduled', 'checked_in', 'completed', 'cancelled', 'no_show')),
	CONSTRAINT "appointments_duration_check" CHECK ("appointments"."duration_minutes" between 5 and 480)
);
--> statement-breakpoint
CREATE TABLE "inventory" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"item_type" text NOT NULL,
	"name" text NOT NULL,
	"sku" text,
	"quantity" integer DEFAULT 0 NOT NULL,
	"unit" text NOT NULL,
	"threshold" integer DEFAULT 0 NOT NULL,
	"expires_on" date,
	"location" text,
	CONSTRAINT "inventory_item_type_check" CHECK ("inventory"."item_type" in ('medication', 'supply', 'equipment')),
	CONSTRAINT "inventory_quantity_check" CHECK ("inventory"."quantity" >= 0 and "inventory"."threshold" >= 0)
);
--> statement-breakpoint
CREATE TABLE "applied_mutations" (
	"mutation_id" uuid PRIMARY KEY NOT NULL,
	"device_id" uuid NOT NULL,
	"device_seq" bigint NOT NULL,
	"user_id" uuid NOT NULL,
	"table_name" text NOT NULL,
	"row_id" uuid NOT NULL,
	"op" text NOT NULL,
	"status" text NOT NULL,
	"version" integer,
	"result" jsonb NOT NULL,
	"client_time" timestamp(3) with time zone NOT NULL,
	"received_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "applied_mutations_op_check" CHECK ("applied_mutations"."op" in ('insert', 'update', 'delete')),
	CONSTRAINT "applied_mutations_status_check" CHECK ("applied_mutations"."status" in ('applied', 'duplicate', 'conflict', 'rejected'))
);
--> statement-breakpoint
CREATE TABLE "audit_logs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"device_id" uuid NOT NULL,
	"hospital_id" uuid NOT NULL,
	"device_seq" bigint NOT NULL,
	"at" timestamp(3) with time zone NOT NULL,
	"received_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"user_id" uuid,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text,
	"before" jsonb,
	"after" jsonb,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"chain_issue" text
);
--> statement-breakpoint
CREATE TABLE "change_feed" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"table_name" text NOT NULL,
	"row_id" uuid NOT NULL,
	"hospital_id" uuid,
	"version" integer NOT NULL,
	"tx_id" text DEFAULT (pg_current_xact_id())::text NOT NULL,
	"committed_at" timestamp(3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"enrolled_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp(3) with time zone,
	"revoked_at" timestamp(3) with time zone,
	"revoked_by" uuid,
	CONSTRAINT "devices_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "emr_global" (
	"id" uuid PRIMARY KEY NOT NULL,
	"patient_id" uuid NOT NULL,
	"visit_id" uuid NOT NULL,
	"source_hospital_id" uuid NOT NULL,
	"admitted_at" timestamp(3) with time zone NOT NULL,
	"discharged_at" timestamp(3) with time zone,
	"record" jsonb NOT NULL,
	"promoted_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "emr_global_visit_unique" UNIQUE("visit_id")
);
--> statement-breakpoint
CREATE TABLE "enrollment_codes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp(3) with time zone NOT NULL,
	"used_at" timestamp(3) with time zone,
	"used_by_device_id" uuid,
	CONSTRAINT "enrollment_codes_code_hash_unique" UNIQUE("code_hash")
);
--> statement-breakpoint
CREATE TABLE "id_reservations" (
	"hospital_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"value" text NOT NULL,
	"device_id" uuid NOT NULL,
	"reserved_at" timestamp(3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "row_history" (
	"table_name" text NOT NULL,
	"row_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"changed_fields" jsonb NOT NULL,
	"mutation_id" uuid,
	"changed_by" uuid,
	"changed_at" timestamp(3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_conflicts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid NOT NULL,
	"device_id" uuid,
	"mutation_id" uuid NOT NULL,
	"table_name" text NOT NULL,
	"row_id" uuid NOT NULL,
	"reason_code" text NOT NULL,
	"base_version" integer,
	"server_version" integer,
	"losing_values" jsonb NOT NULL,
	"server_values" jsonb NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp(3) with time zone
);
--> statement-breakpoint
ALTER TABLE "login_history" ADD CONSTRAINT "login_history_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "password_reset_tokens" ADD CONSTRAINT "password_reset_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_permissions" ADD CONSTRAINT "role_permissions_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_permissions" ADD CONSTRAINT "role_permissions_permission_id_permissions_id_fk" FOREIGN KEY ("permission_id") REFERENCES "public"."permissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_credentials" ADD CONSTRAINT "user_credentials_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_permissions" ADD CONSTRAINT "user_permissions_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_permissions" ADD CONSTRAINT "user_permissions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_permissions" ADD CONSTRAINT "user_permissions_permission_id_permissions_id_fk" FOREIGN KEY ("permission_id") REFERENCES "public"."permissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_permissions" ADD CONSTRAINT "user_permissions_granted_by_users_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_role_roles_name_fk" FOREIGN KEY ("role") REFERENCES "public"."roles"("name") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patients" ADD CONSTRAINT "patients_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_ward_id_wards_id_fk" FOREIGN KEY ("ward_id") REFERENCES "public"."wards"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_bed_id_beds_id_fk" FOREIGN KEY ("bed_id") REFERENCES "public"."beds"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_attending_doctor_id_users_id_fk" FOREIGN KEY ("attending_doctor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nurse_logs" ADD CONSTRAINT "nurse_logs_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nurse_logs" ADD CONSTRAINT "nurse_logs_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visits"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nurse_logs" ADD CONSTRAINT "nurse_logs_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nurse_logs" ADD CONSTRAINT "nurse_logs_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nurse_logs" ADD CONSTRAINT "nurse_logs_entered_in_error_id_nurse_logs_id_fk" FOREIGN KEY ("entered_in_error_id") REFERENCES "public"."nurse_logs"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vitals" ADD CONSTRAINT "vitals_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vitals" ADD CONSTRAINT "vitals_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visits"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vitals" ADD CONSTRAINT "vitals_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vitals" ADD CONSTRAINT "vitals_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vitals" ADD CONSTRAINT "vitals_entered_in_error_id_vitals_id_fk" FOREIGN KEY ("entered_in_error_id") REFERENCES "public"."vitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_tests" ADD CONSTRAINT "lab_tests_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_tests" ADD CONSTRAINT "lab_tests_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visits"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_tests" ADD CONSTRAINT "lab_tests_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_tests" ADD CONSTRAINT "lab_tests_ordered_by_users_id_fk" FOREIGN KEY ("ordered_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_tests" ADD CONSTRAINT "lab_tests_accepted_by_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "medication_administrations" ADD CONSTRAINT "medication_administrations_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "medication_administrations" ADD CONSTRAINT "medication_administrations_prescription_id_prescriptions_id_fk" FOREIGN KEY ("prescription_id") REFERENCES "public"."prescriptions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "medication_administrations" ADD CONSTRAINT "medication_administrations_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visits"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "medication_administrations" ADD CONSTRAINT "medication_administrations_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "medication_administrations" ADD CONSTRAINT "medication_administrations_administered_by_users_id_fk" FOREIGN KEY ("administered_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "medication_administrations" ADD CONSTRAINT "medication_administrations_entered_in_error_id_medication_administrations_id_fk" FOREIGN KEY ("entered_in_error_id") REFERENCES "public"."medication_administrations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prescriptions" ADD CONSTRAINT "prescriptions_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prescriptions" ADD CONSTRAINT "prescriptions_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visits"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prescriptions" ADD CONSTRAINT "prescriptions_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prescriptions" ADD CONSTRAINT "prescriptions_prescribed_by_users_id_fk" FOREIGN KEY ("prescribed_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "beds" ADD CONSTRAINT "beds_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "beds" ADD CONSTRAINT "beds_ward_id_wards_id_fk" FOREIGN KEY ("ward_id") REFERENCES "public"."wards"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hospitals" ADD CONSTRAINT "hospitals_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wards" ADD CONSTRAINT "wards_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_drafts" ADD CONSTRAINT "ai_drafts_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_drafts" ADD CONSTRAINT "ai_drafts_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visits"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_drafts" ADD CONSTRAINT "ai_drafts_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_drafts" ADD CONSTRAINT "ai_drafts_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinical_alerts" ADD CONSTRAINT "clinical_alerts_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinical_alerts" ADD CONSTRAINT "clinical_alerts_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visits"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinical_alerts" ADD CONSTRAINT "clinical_alerts_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinical_alerts" ADD CONSTRAINT "clinical_alerts_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emr_local" ADD CONSTRAINT "emr_local_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emr_local" ADD CONSTRAINT "emr_local_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visits"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emr_local" ADD CONSTRAINT "emr_local_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_recipient_user_id_users_id_fk" FOREIGN KEY ("recipient_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_doctor_id_users_id_fk" FOREIGN KEY ("doctor_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory" ADD CONSTRAINT "inventory_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applied_mutations" ADD CONSTRAINT "applied_mutations_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emr_global" ADD CONSTRAINT "emr_global_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emr_global" ADD CONSTRAINT "emr_global_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visits"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emr_global" ADD CONSTRAINT "emr_global_source_hospital_id_hospitals_id_fk" FOREIGN KEY ("source_hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollment_codes" ADD CONSTRAINT "enrollment_codes_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollment_codes" ADD CONSTRAINT "enrollment_codes_used_by_device_id_devices_id_fk" FOREIGN KEY ("used_by_device_id") REFERENCES "public"."devices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "id_reservations" ADD CONSTRAINT "id_reservations_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "id_reservations" ADD CONSTRAINT "id_reservations_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_conflicts" ADD CONSTRAINT "sync_conflicts_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_conflicts" ADD CONSTRAINT "sync_conflicts_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "login_history_user_at_idx" ON "login_history" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "login_history_at_idx" ON "login_history" USING btree ("at");--> statement-breakpoint
CREATE INDEX "password_reset_tokens_user_idx" ON "password_reset_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "role_permissions_role_permission_unique" ON "role_permissions" USING btree ("role_id","permission_id");--> statement-breakpoint
CREATE INDEX "user_permissions_user_idx" ON "user_permissions" USING btree ("user_id","expires_at");--> statement-breakpoint
CREATE INDEX "users_hospital_role_idx" ON "users" USING btree ("hospital_id","role");--> statement-breakpoint
CREATE UNIQUE INDEX "patients_hospital_mrn_unique" ON "patients" USING btree ("hospital_id","mrn");--> statement-breakpoint
CREATE INDEX "patients_hospital_name_idx" ON "patients" USING btree ("hospital_id","last_name","first_name");--> statement-breakpoint
CREATE INDEX "patients_hospital_dob_idx" ON "patients" USING btree ("hospital_id","date_of_birth");--> statement-breakpoint
CREATE INDEX "patients_allergies_gin" ON "patients" USING gin ("allergies");--> statement-breakpoint
CREATE INDEX "visits_patient_status_idx" ON "visits" USING btree ("patient_id","status");--> statement-breakpoint
CREATE INDEX "visits_ward_status_idx" ON "visits" USING btree ("ward_id","status");--> statement-breakpoint
CREATE INDEX "visits_status_created_idx" ON "visits" USING btree ("status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "visits_active_bed_unique" ON "visits" USING btree ("bed_id") WHERE "visits"."status" = 'admitted' and "visits"."deleted_at" is null and "visits"."bed_id" is not null;--> statement-breakpoint
CREATE INDEX "nurse_logs_visit_recorded_idx" ON "nurse_logs" USING btree ("visit_id","recorded_at");--> statement-breakpoint
CREATE INDEX "nurse_logs_kind_created_idx" ON "nurse_logs" USING btree ("kind","created_at");--> statement-breakpoint
CREATE INDEX "vitals_visit_recorded_idx" ON "vitals" USING btree ("visit_id","recorded_at");--> statement-breakpoint
CREATE INDEX "vitals_patient_recorded_idx" ON "vitals" USING btree ("patient_id","recorded_at");--> statement-breakpoint
CREATE INDEX "vitals_abnormal_gin" ON "vitals" USING gin ("abnormal");--> statement-breakpoint
CREATE INDEX "lab_tests_patient_status_idx" ON "lab_tests" USING btree ("patient_id","status");--> statement-breakpoint
CREATE INDEX "lab_tests_status_created_idx" ON "lab_tests" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "lab_tests_visit_idx" ON "lab_tests" USING btree ("visit_id");--> statement-breakpoint
CREATE INDEX "mar_prescription_scheduled_idx" ON "medication_administrations" USING btree ("prescription_id","scheduled_for");--> statement-breakpoint
CREATE INDEX "mar_visit_scheduled_idx" ON "medication_administrations" USING btree ("visit_id","scheduled_for");--> statement-breakpoint
CREATE INDEX "prescriptions_patient_status_idx" ON "prescriptions" USING btree ("patient_id","status");--> statement-breakpoint
CREATE INDEX "prescriptions_status_created_idx" ON "prescriptions" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "prescriptions_visit_idx" ON "prescriptions" USING btree ("visit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "beds_hospital_number_unique" ON "beds" USING btree ("hospital_id","number");--> statement-breakpoint
CREATE INDEX "beds_ward_status_idx" ON "beds" USING btree ("ward_id","status");--> statement-breakpoint
CREATE INDEX "hospitals_region_idx" ON "hospitals" USING btree ("region_id");--> statement-breakpoint
CREATE UNIQUE INDEX "wards_hospital_code_unique" ON "wards" USING btree ("hospital_id","code");--> statement-breakpoint
CREATE INDEX "ai_drafts_visit_idx" ON "ai_drafts" USING btree ("visit_id");--> statement-breakpoint
CREATE INDEX "ai_drafts_status_created_idx" ON "ai_drafts" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "clinical_alerts_patient_idx" ON "clinical_alerts" USING btree ("patient_id","acknowledged_at");--> statement-breakpoint
CREATE INDEX "clinical_alerts_kind_created_idx" ON "clinical_alerts" USING btree ("kind","created_at");--> statement-breakpoint
CREATE INDEX "clinical_alerts_details_gin" ON "clinical_alerts" USING gin ("details");--> statement-breakpoint
CREATE INDEX "emr_local_visit_idx" ON "emr_local" USING btree ("visit_id");--> statement-breakpoint
CREATE INDEX "emr_local_patient_idx" ON "emr_local" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "emr_local_body_gin" ON "emr_local" USING gin ("body");--> statement-breakpoint
CREATE INDEX "notifications_status_created_idx" ON "notifications" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "notifications_recipient_idx" ON "notifications" USING btree ("recipient_user_id");--> statement-breakpoint
CREATE INDEX "appointments_doctor_scheduled_idx" ON "appointments" USING btree ("doctor_id","scheduled_at");--> statement-breakpoint
CREATE INDEX "appointments_patient_status_idx" ON "appointments" USING btree ("patient_id","status");--> statement-breakpoint
CREATE INDEX "inventory_hospital_type_idx" ON "inventory" USING btree ("hospital_id","item_type");--> statement-breakpoint
CREATE INDEX "inventory_expires_idx" ON "inventory" USING btree ("expires_on");--> statement-breakpoint
CREATE INDEX "applied_mutations_device_seq_idx" ON "applied_mutations" USING btree ("device_id","device_seq");--> statement-breakpoint
CREATE INDEX "audit_logs_device_seq_idx" ON "audit_logs" USING btree ("device_id","device_seq");--> statement-breakpoint
CREATE INDEX "audit_logs_entity_idx" ON "audit_logs" USING btree ("entity","entity_id");--> statement-breakpoint
CREATE INDEX "audit_logs_chain_issue_idx" ON "audit_logs" USING btree ("chain_issue");--> statement-breakpoint
CREATE INDEX "change_feed_hospital_seq_idx" ON "change_feed" USING btree ("hospital_id","seq");--> statement-breakpoint
CREATE INDEX "devices_hospital_idx" ON "devices" USING btree ("hospital_id");--> statement-breakpoint
CREATE INDEX "emr_global_patient_idx" ON "emr_global" USING btree ("patient_id","admitted_at");--> statement-breakpoint
CREATE INDEX "emr_global_record_gin" ON "emr_global" USING gin ("record");--> statement-breakpoint
CREATE INDEX "enrollment_codes_hospital_idx" ON "enrollment_codes" USING btree ("hospital_id");--> statement-breakpoint
CREATE UNIQUE INDEX "id_reservations_value_unique" ON "id_reservations" USING btree ("hospital_id","kind","value");--> statement-breakpoint
CREATE UNIQUE INDEX "row_history_row_version_unique" ON "row_history" USING btree ("table_name","row_id","version");--> statement-breakpoint
CREATE INDEX "sync_conflicts_row_idx" ON "sync_conflicts" USING btree ("table_name","row_id");--> statement-breakpoint
CREATE INDEX "sync_conflicts_hospital_created_idx" ON "sync_conflicts" USING btree ("hospital_id","created_at");