-- Audit events are append-only (issue 15): the database itself refuses to change or remove one.
-- The only change allowed is the one signUnsignedAuditEvents makes: an event written while its
-- person had no key here yet gets its signature once, at their next online sign-in, everything
-- else untouched (the signature covers the event, so it cannot alter it).
DROP TRIGGER IF EXISTS `audit_logs_no_delete`;--> statement-breakpoint
CREATE TRIGGER `audit_logs_no_delete` BEFORE DELETE ON `audit_logs`
BEGIN
  SELECT RAISE(ABORT, 'audit_logs is append-only: an audit event cannot be deleted');
END;--> statement-breakpoint
DROP TRIGGER IF EXISTS `audit_logs_no_update`;--> statement-breakpoint
CREATE TRIGGER `audit_logs_no_update` BEFORE UPDATE ON `audit_logs`
WHEN NOT (
  OLD.`signature` IS NULL AND NEW.`signature` IS NOT NULL
  AND NEW.`id` IS OLD.`id` AND NEW.`device_seq` IS OLD.`device_seq` AND NEW.`at` IS OLD.`at`
  AND NEW.`user_id` IS OLD.`user_id` AND NEW.`action` IS OLD.`action`
  AND NEW.`entity` IS OLD.`entity` AND NEW.`entity_id` IS OLD.`entity_id`
  AND NEW.`before` IS OLD.`before` AND NEW.`after` IS OLD.`after`
  AND NEW.`prev_hash` IS OLD.`prev_hash` AND NEW.`hash` IS OLD.`hash`
)
BEGIN
  SELECT RAISE(ABORT, 'audit_logs is append-only: an audit event cannot be changed');
END;
