DROP INDEX `nurse_logs_entered_in_error_idx`;--> statement-breakpoint
CREATE INDEX `nurse_logs_entered_in_error_idx` ON `nurse_logs` (`entered_in_error_id`) WHERE "nurse_logs"."entered_in_error_id" is not null;--> statement-breakpoint
DROP INDEX `vitals_entered_in_error_idx`;--> statement-breakpoint
CREATE INDEX `vitals_entered_in_error_idx` ON `vitals` (`entered_in_error_id`) WHERE "vitals"."entered_in_error_id" is not null;--> statement-breakpoint
DROP INDEX `mar_entered_in_error_idx`;--> statement-breakpoint
CREATE INDEX `mar_entered_in_error_idx` ON `medication_administrations` (`entered_in_error_id`) WHERE "medication_administrations"."entered_in_error_id" is not null;