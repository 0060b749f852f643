-- The crafter's signature (seed 001's creator_signature): a display name given at start and
-- written on every item the session creates.
ALTER TABLE `CraftSession` ADD COLUMN `creatorSignature` VARCHAR(64) NULL;
