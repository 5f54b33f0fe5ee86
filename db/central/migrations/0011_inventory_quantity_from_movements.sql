ALTER TABLE "inventory" DROP CONSTRAINT "inventory_quantity_check";--> statement-breakpoint
ALTER TABLE "inventory" DROP COLUMN "quantity";--> statement-breakpoint
ALTER TABLE "inventory" ADD CONSTRAINT "inventory_threshold_check" CHECK ("inventory"."threshold" >= 0);