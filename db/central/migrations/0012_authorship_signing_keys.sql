CREATE TABLE "signed_reads" (
	"id" uuid PRIMARY KEY NOT NULL,
	"at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"device_id" uuid NOT NULL,
	"hospital_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text,
	"outcome" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signing_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"device_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"public_key" text NOT NULL,
	"registered_at" timestamp(3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_logs" ADD COLUMN "signature" text;--> statement-breakpoint
ALTER TABLE "audit_logs" ADD COLUMN "signature_issue" text;--> statement-breakpoint
ALTER TABLE "signed_reads" ADD CONSTRAINT "signed_reads_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signed_reads" ADD CONSTRAINT "signed_reads_hospital_id_hospitals_id_fk" FOREIGN KEY ("hospital_id") REFERENCES "public"."hospitals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signed_reads" ADD CONSTRAINT "signed_reads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_keys" ADD CONSTRAINT "signing_keys_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_keys" ADD CONSTRAINT "signing_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "signed_reads_entity_idx" ON "signed_reads" USING btree ("entity","entity_id","at");--> statement-breakpoint
CREATE INDEX "signed_reads_user_at_idx" ON "signed_reads" USING btree ("user_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "signing_keys_device_user_key_unique" ON "signing_keys" USING btree ("device_id","user_id","public_key");--> statement-breakpoint
CREATE INDEX "signing_keys_user_idx" ON "signing_keys" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "audit_logs_signature_issue_idx" ON "audit_logs" USING btree ("signature_issue");