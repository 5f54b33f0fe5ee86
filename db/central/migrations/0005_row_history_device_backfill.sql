-- Custom SQL migration file, put your code below! --
-- History written before device_id existed: the applied mutation knows which device made it.
UPDATE "row_history" AS h SET "device_id" = a."device_id"
FROM "applied_mutations" AS a
WHERE a."mutation_id" = h."mutation_id" AND h."device_id" IS NULL;
