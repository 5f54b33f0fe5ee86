ALTER TABLE "change_feed" ADD COLUMN "tx_id" bigint DEFAULT (pg_current_xact_id()::text)::bigint NOT NULL;--> statement-breakpoint
CREATE INDEX "change_feed_hospital_tx_seq_idx" ON "change_feed" USING btree ("hospital_id","tx_id","seq");--> statement-breakpoint
CREATE INDEX "change_feed_tx_seq_idx" ON "change_feed" USING btree ("tx_id","seq");