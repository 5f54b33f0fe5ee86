CREATE TABLE `signing_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`public_key` text NOT NULL,
	`sealed_private_key` text NOT NULL,
	`salt` text NOT NULL,
	`nonce` text NOT NULL,
	`kdf` text NOT NULL,
	`created_at` text NOT NULL,
	`retired_at` text
);
--> statement-breakpoint
CREATE INDEX `signing_keys_user_idx` ON `signing_keys` (`user_id`,`retired_at`);--> statement-breakpoint
ALTER TABLE `audit_logs` ADD `signature` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `signature` text;