CREATE TABLE "admin_actions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"hospital_id" uuid,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text,
	"after" jsonb
);
--> statement-breakpoint
CREATE INDEX "admin_actions_hospital_at_idx" ON "admin_actions" USING btree ("hospital_id","at");