CREATE INDEX `patients_hospital_last_lower_idx` ON `patients` (`hospital_id`,lower("last_name"),lower("first_name"));--> statement-breakpoint
CREATE INDEX `patients_hospital_first_lower_idx` ON `patients` (`hospital_id`,lower("first_name"),lower("last_name"));--> statement-breakpoint
CREATE INDEX `nurse_logs_entered_in_error_idx` ON `nurse_logs` (`entered_in_error_id`);--> statement-breakpoint
CREATE INDEX `vitals_entered_in_error_idx` ON `vitals` (`entered_in_error_id`);--> statement-breakpoint
CREATE INDEX `mar_entered_in_error_idx` ON `medication_administrations` (`entered_in_error_id`);