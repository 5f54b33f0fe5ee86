CREATE TABLE "patient_restrictions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"patient_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"restricted_by" uuid,
	CONSTRAINT "patient_restrictions_reason_check" CHECK ("patient_restrictions"."reason" in ('staff_member', 'public_figure', 'patient_request'))
);
--> statement-breakpoint
CREATE TABLE "staff_ward_assignments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hospital_id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp(3) with time zone,
	"updated_by" uuid,
	"user_id" uuid NOT NULL,
	"ward_id" uuid NOT NULL
);
--> statement-breakpoint
ALTER TABLE "hospitals" ADD COLUMN "ward_assignment" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "patient_restrictions" ADD CONSTRAINT "patient_restrictions_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_restrictions" ADD CONSTRAINT "patient_restrictions_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_restrictions" ADD CONSTRAINT "patient_restrictions_restricted_by_users_id_fk" FOREIGN KEY ("restricted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_ward_assignments" ADD CONSTRAINT "staff_ward_assignments_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_ward_assignments" ADD CONSTRAINT "staff_ward_assignments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_ward_assignments" ADD CONSTRAINT "staff_ward_assignments_ward_id_wards_id_fk" FOREIGN KEY ("ward_id") REFERENCES "public"."wards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "patient_restrictions_patient_idx" ON "patient_restrictions" USING btree ("patient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_ward_assignments_user_ward_unique" ON "staff_ward_assignments" USING btree ("user_id","ward_id") WHERE "staff_ward_assignments"."deleted_at" is null;