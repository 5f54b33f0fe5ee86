-- Custom SQL migration file, put your code below! --
-- Every write to a synced table reaches the change feed, whoever makes it (push, seed, admin):
-- statement-level triggers with transition tables, so a batch of 500 rows costs one insert.
-- tx_id is the writing transaction's id; pull delivers only entries below the snapshot's xmin.
CREATE OR REPLACE FUNCTION wardline_record_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change_feed (table_name, row_id, hospital_id, version, tx_id)
  SELECT TG_TABLE_NAME, changed.id, changed.hospital_id, changed.version, (pg_current_xact_id()::text)::bigint
  FROM changed_rows AS changed;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER regions_feed_insert AFTER INSERT ON "regions" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER regions_feed_update AFTER UPDATE ON "regions" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER roles_feed_insert AFTER INSERT ON "roles" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER roles_feed_update AFTER UPDATE ON "roles" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER permissions_feed_insert AFTER INSERT ON "permissions" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER permissions_feed_update AFTER UPDATE ON "permissions" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER role_permissions_feed_insert AFTER INSERT ON "role_permissions" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER role_permissions_feed_update AFTER UPDATE ON "role_permissions" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER hospitals_feed_insert AFTER INSERT ON "hospitals" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER hospitals_feed_update AFTER UPDATE ON "hospitals" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER wards_feed_insert AFTER INSERT ON "wards" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER wards_feed_update AFTER UPDATE ON "wards" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER beds_feed_insert AFTER INSERT ON "beds" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER beds_feed_update AFTER UPDATE ON "beds" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER users_feed_insert AFTER INSERT ON "users" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER users_feed_update AFTER UPDATE ON "users" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER user_permissions_feed_insert AFTER INSERT ON "user_permissions" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER user_permissions_feed_update AFTER UPDATE ON "user_permissions" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER patients_feed_insert AFTER INSERT ON "patients" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER patients_feed_update AFTER UPDATE ON "patients" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER visits_feed_insert AFTER INSERT ON "visits" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER visits_feed_update AFTER UPDATE ON "visits" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER vitals_feed_insert AFTER INSERT ON "vitals" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER vitals_feed_update AFTER UPDATE ON "vitals" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER nurse_logs_feed_insert AFTER INSERT ON "nurse_logs" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER nurse_logs_feed_update AFTER UPDATE ON "nurse_logs" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER lab_tests_feed_insert AFTER INSERT ON "lab_tests" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER lab_tests_feed_update AFTER UPDATE ON "lab_tests" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER prescriptions_feed_insert AFTER INSERT ON "prescriptions" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER prescriptions_feed_update AFTER UPDATE ON "prescriptions" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER medication_administrations_feed_insert AFTER INSERT ON "medication_administrations" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER medication_administrations_feed_update AFTER UPDATE ON "medication_administrations" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER appointments_feed_insert AFTER INSERT ON "appointments" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER appointments_feed_update AFTER UPDATE ON "appointments" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER inventory_feed_insert AFTER INSERT ON "inventory" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER inventory_feed_update AFTER UPDATE ON "inventory" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER emr_local_feed_insert AFTER INSERT ON "emr_local" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER emr_local_feed_update AFTER UPDATE ON "emr_local" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER ai_drafts_feed_insert AFTER INSERT ON "ai_drafts" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER ai_drafts_feed_update AFTER UPDATE ON "ai_drafts" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER notifications_feed_insert AFTER INSERT ON "notifications" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER notifications_feed_update AFTER UPDATE ON "notifications" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER clinical_alerts_feed_insert AFTER INSERT ON "clinical_alerts" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE TRIGGER clinical_alerts_feed_update AFTER UPDATE ON "clinical_alerts" REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();
