CREATE TABLE "attachments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"patient_id" uuid NOT NULL,
	"visit_id" uuid,
	"lab_test_id" uuid,
	"emr_local_id" uuid,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"byte_size" integer NOT NULL,
	"sha256" text NOT NULL,
	CONSTRAINT "attachments_media_type_check" CHECK ("attachments"."media_type" in ('application/pdf', 'image/jpeg', 'image/png')),
	CONSTRAINT "attachments_byte_size_check" CHECK ("attachments"."byte_size" between 1 and 20971520),
	CONSTRAINT "attachments_target_check" CHECK ("attachments"."lab_test_id" is not null or "attachments"."emr_local_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "attachment_blob_chunks" (
	"hospital_id" uuid NOT NULL,
	"sha256" text NOT NULL,
	"offset" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	CONSTRAINT "attachment_blob_chunks_hospital_id_sha256_offset_pk" PRIMARY KEY("hospital_id","sha256","offset")
);
--> statement-breakpoint
CREATE TABLE "attachment_blobs" (
	"hospital_id" uuid NOT NULL,
	"sha256" text NOT NULL,
	"media_type" text NOT NULL,
	"byte_size" integer NOT NULL,
	"received_bytes" integer DEFAULT 0 NOT NULL,
	"complete" boolean DEFAULT false NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp(3) with time zone,
	CONSTRAINT "attachment_blobs_hospital_id_sha256_pk" PRIMARY KEY("hospital_id","sha256")
);
--> statement-breakpoint
ALTER TABLE "ai_drafts" DROP CONSTRAINT "ai_drafts_status_check";--> statement-breakpoint
ALTER TABLE "ai_drafts" ADD COLUMN "generator" text DEFAULT 'wardline-records-v1' NOT NULL;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visits"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_lab_test_id_lab_tests_id_fk" FOREIGN KEY ("lab_test_id") REFERENCES "public"."lab_tests"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_emr_local_id_emr_local_id_fk" FOREIGN KEY ("emr_local_id") REFERENCES "public"."emr_local"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachment_blob_chunks" ADD CONSTRAINT "attachment_blob_chunks_blob_fk" FOREIGN KEY ("hospital_id","sha256") REFERENCES "public"."attachment_blobs"("hospital_id","sha256") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachment_blobs" ADD CONSTRAINT "attachment_blobs_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachment_blobs" ADD CONSTRAINT "attachment_blobs_uploaded_by_devices_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."devices"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attachments_lab_test_idx" ON "attachments" USING btree ("lab_test_id");--> statement-breakpoint
CREATE INDEX "attachments_emr_local_idx" ON "attachments" USING btree ("emr_local_id");--> statement-breakpoint
CREATE INDEX "attachments_visit_idx" ON "attachments" USING btree ("visit_id");--> statement-breakpoint
CREATE INDEX "attachments_sha256_idx" ON "attachments" USING btree ("sha256");--> statement-breakpoint
ALTER TABLE "ai_drafts" ADD CONSTRAINT "ai_drafts_status_check" CHECK ("ai_drafts"."status" in ('draft', 'reviewed', 'approved', 'rejected'));