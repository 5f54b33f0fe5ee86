PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_inventory` (
	`id` text PRIMARY KEY NOT NULL,
	`hospital_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`deleted_at` text,
	`updated_by` text,
	`item_type` text NOT NULL,
	`name` text NOT NULL,
	`sku` text,
	`unit` text NOT NULL,
	`threshold` integer DEFAULT 0 NOT NULL,
	`expires_on` text,
	`location` text,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "inventory_item_type_check" CHECK("__new_inventory"."item_type" in ('medication', 'supply', 'equipment')),
	CONSTRAINT "inventory_threshold_check" CHECK("__new_inventory"."threshold" >= 0)
);
--> statement-breakpoint
INSERT INTO `__new_inventory`("id", "hospital_id", "version", "created_at", "updated_at", "deleted_at", "updated_by", "item_type", "name", "sku", "unit", "threshold", "expires_on", "location") SELECT "id", "hospital_id", "version", "created_at", "updated_at", "deleted_at", "updated_by", "item_type", "name", "sku", "unit", "threshold", "expires_on", "location" FROM `inventory`;--> statement-breakpoint
DROP TABLE `inventory`;--> statement-breakpoint
ALTER TABLE `__new_inventory` RENAME TO `inventory`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `inventory_hospital_type_idx` ON `inventory` (`hospital_id`,`item_type`);--> statement-breakpoint
CREATE INDEX `inventory_expires_idx` ON `inventory` (`expires_on`);