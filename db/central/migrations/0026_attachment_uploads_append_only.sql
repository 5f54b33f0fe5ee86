-- The server's record of received attachment files is append-only, like audit_logs: the
-- database refuses to change or remove one (UPDATE, DELETE, TRUNCATE), whoever asks.
CREATE OR REPLACE FUNCTION attachment_uploads_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'attachment_uploads is append-only: a record of a received file cannot be changed or deleted'
    USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
DROP TRIGGER IF EXISTS attachment_uploads_no_update_or_delete ON attachment_uploads;--> statement-breakpoint
CREATE TRIGGER attachment_uploads_no_update_or_delete BEFORE UPDATE OR DELETE ON attachment_uploads
  FOR EACH ROW EXECUTE FUNCTION attachment_uploads_refuse_change();--> statement-breakpoint
DROP TRIGGER IF EXISTS attachment_uploads_no_truncate ON attachment_uploads;--> statement-breakpoint
CREATE TRIGGER attachment_uploads_no_truncate BEFORE TRUNCATE ON attachment_uploads
  FOR EACH STATEMENT EXECUTE FUNCTION attachment_uploads_refuse_change();
