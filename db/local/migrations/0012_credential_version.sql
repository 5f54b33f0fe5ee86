ALTER TABLE `users` ADD `credential_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `cached_credentials` ADD `credential_version` integer DEFAULT 0 NOT NULL;