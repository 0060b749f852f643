-- Materials that matter: item templates of the stub item service carry tags, a tier and base
-- stats, so recipes can take inputs by category or tags and rulesets can read their properties.

ALTER TABLE `stub_item_template`
    ADD COLUMN `tags` LONGTEXT NOT NULL DEFAULT ('[]'),
    ADD COLUMN `tier` INTEGER NULL,
    ADD COLUMN `stats` LONGTEXT NOT NULL DEFAULT ('{}');
