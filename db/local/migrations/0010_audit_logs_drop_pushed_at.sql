DROP INDEX `audit_logs_pushed_seq_idx`;--> statement-breakpoint
ALTER TABLE `audit_logs` DROP COLUMN `pushed_at`;