ALTER TABLE "audit_logs" ADD COLUMN "patient_id" uuid;--> statement-breakpoint
ALTER TABLE "audit_logs" ADD COLUMN "role" text;--> statement-breakpoint
ALTER TABLE "audit_logs" ADD COLUMN "outcome" text;--> statement-breakpoint
CREATE INDEX "audit_logs_patient_at_idx" ON "audit_logs" USING btree ("patient_id","at");--> statement-breakpoint
CREATE INDEX "audit_logs_user_at_idx" ON "audit_logs" USING btree ("user_id","at");