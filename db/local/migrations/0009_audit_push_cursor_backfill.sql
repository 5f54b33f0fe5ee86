-- The server's acknowledgement of this device's audit chain moves out of the event rows (which
-- become append-only) into a cursor: every event pushed so far went in device_seq order.
INSERT OR IGNORE INTO `audit_push_state` (`id`, `pushed_through_seq`)
SELECT 1, coalesce(max(`device_seq`), 0) FROM `audit_logs` WHERE `pushed_at` IS NOT NULL;
