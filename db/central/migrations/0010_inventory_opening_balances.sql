-- Custom SQL migration file, put your code below! --
-- Stock becomes the sum of inventory_movements (issue 13): each item's quantity so far is
-- brought forward as one opening "adjusted" movement before the column goes (next migration).
-- Its id is the item's own id (ids are unique per table), so running this twice adds nothing.
-- The feed triggers are made here, not only by the migrate step afterwards, so the opening
-- movements reach every workstation's pull like any other row. Idempotent throughout.
CREATE OR REPLACE TRIGGER "inventory_movements_feed_insert" AFTER INSERT ON "inventory_movements"
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
CREATE OR REPLACE TRIGGER "inventory_movements_feed_update" AFTER UPDATE ON "inventory_movements"
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION wardline_record_changes();--> statement-breakpoint
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM information_schema.columns
              WHERE table_schema = current_schema() AND table_name = 'inventory' AND column_name = 'quantity') THEN
    INSERT INTO inventory_movements (id, hospital_id, version, created_at, updated_at, updated_by,
                                     item_id, kind, quantity, reason, recorded_by, recorded_at)
    SELECT i.id, i.hospital_id, 1, now(), now(), NULL, i.id, 'adjusted', i.quantity,
           'Opening balance: the stock count before movements were kept', NULL, i.updated_at
      FROM inventory i
     WHERE i.quantity <> 0
    ON CONFLICT (id) DO NOTHING;
  END IF;
END
$$;
