-- Stations with tiers and capacities: a recipe may need a minimum station tier and fit its slots.
ALTER TABLE `Station`
    ADD COLUMN `tier` INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN `capacity` LONGTEXT NULL;
