-- Tenancy in the data layer (docs/adr/0008): wallets and contracts of the stub services
-- belong to a game service, and every id is stored in its canonical (lower-case) form.

-- A wallet is an owner's in one game service.
ALTER TABLE `stub_wallet` ADD COLUMN `gameServiceId` CHAR(36) NOT NULL DEFAULT '';
ALTER TABLE `stub_wallet` DROP INDEX `stub_wallet_ownerId_ownerType_key`;
CREATE UNIQUE INDEX `stub_wallet_ownerId_ownerType_gameServiceId_key` ON `stub_wallet`(`ownerId`, `ownerType`, `gameServiceId`);
-- Wallets used by sessions belong to those sessions' game service (others keep none: no caller reaches them).
UPDATE `stub_wallet` w
  JOIN (SELECT JSON_VALUE(`currencyHolds`, '$[0].walletId') AS walletId, MIN(`gameServiceId`) AS gameServiceId
        FROM `CraftSession` WHERE JSON_LENGTH(`currencyHolds`) > 0 GROUP BY walletId) s ON s.walletId = w.`id`
  SET w.`gameServiceId` = s.gameServiceId
  WHERE w.`gameServiceId` = '';

-- A contract belongs to its session's game service.
ALTER TABLE `stub_contract` ADD COLUMN `gameServiceId` CHAR(36) NULL;
UPDATE `stub_contract` c JOIN `CraftSession` s ON s.`contractId` = c.`id` SET c.`gameServiceId` = s.`gameServiceId`;

-- Escrow containers made before they carried one take their session's game service.
UPDATE `stub_container` c JOIN `CraftSession` s ON s.`escrowContainerId` = c.`id`
  SET c.`gameServiceId` = s.`gameServiceId` WHERE c.`gameServiceId` IS NULL;
UPDATE `stub_container` c JOIN `DiscoveryAttempt` a ON a.`id` = c.`ownerId`
  SET c.`gameServiceId` = a.`gameServiceId` WHERE c.`gameServiceId` IS NULL AND c.`ownerType` = 'craft-discovery';

-- Ids compared in code must be stored as every later comparison sees them: lower case.
UPDATE `Recipe` SET `gameServiceId` = LOWER(`gameServiceId`) WHERE BINARY `gameServiceId` <> LOWER(`gameServiceId`);
UPDATE `RecipeTag` SET `gameServiceId` = LOWER(`gameServiceId`) WHERE BINARY `gameServiceId` <> LOWER(`gameServiceId`);
UPDATE `CraftSession` SET `gameServiceId` = LOWER(`gameServiceId`), `entityId` = LOWER(`entityId`), `inventoryId` = LOWER(`inventoryId`),
  `stationId` = LOWER(`stationId`), `targetItemId` = LOWER(`targetItemId`)
  WHERE BINARY CONCAT_WS('|', `gameServiceId`, `entityId`, `inventoryId`, `stationId`, `targetItemId`)
     <> LOWER(CONCAT_WS('|', `gameServiceId`, `entityId`, `inventoryId`, `stationId`, `targetItemId`));
UPDATE `Proficiency` SET `gameServiceId` = LOWER(`gameServiceId`), `entityId` = LOWER(`entityId`)
  WHERE BINARY CONCAT(`gameServiceId`, `entityId`) <> LOWER(CONCAT(`gameServiceId`, `entityId`));
UPDATE `CompletedRecipe` SET `gameServiceId` = LOWER(`gameServiceId`), `entityId` = LOWER(`entityId`)
  WHERE BINARY CONCAT(`gameServiceId`, `entityId`) <> LOWER(CONCAT(`gameServiceId`, `entityId`));
UPDATE `Station` SET `gameServiceId` = LOWER(`gameServiceId`), `locationId` = LOWER(`locationId`), `ownerId` = LOWER(`ownerId`)
  WHERE BINARY CONCAT_WS('|', `gameServiceId`, `locationId`, `ownerId`) <> LOWER(CONCAT_WS('|', `gameServiceId`, `locationId`, `ownerId`));
UPDATE `KnownRecipe` SET `gameServiceId` = LOWER(`gameServiceId`), `entityId` = LOWER(`entityId`)
  WHERE BINARY CONCAT(`gameServiceId`, `entityId`) <> LOWER(CONCAT(`gameServiceId`, `entityId`));
UPDATE `DiscoveryAttempt` SET `gameServiceId` = LOWER(`gameServiceId`), `entityId` = LOWER(`entityId`)
  WHERE BINARY CONCAT(`gameServiceId`, `entityId`) <> LOWER(CONCAT(`gameServiceId`, `entityId`));
UPDATE `stub_item_template` SET `gameServiceId` = LOWER(`gameServiceId`) WHERE BINARY `gameServiceId` <> LOWER(`gameServiceId`);
UPDATE `stub_item_instance` SET `gameServiceId` = LOWER(`gameServiceId`), `containerId` = LOWER(`containerId`)
  WHERE BINARY CONCAT(`gameServiceId`, `containerId`) <> LOWER(CONCAT(`gameServiceId`, `containerId`));
UPDATE `stub_container` SET `gameServiceId` = LOWER(`gameServiceId`), `ownerId` = LOWER(`ownerId`)
  WHERE BINARY CONCAT_WS('|', `gameServiceId`, `ownerId`) <> LOWER(CONCAT_WS('|', `gameServiceId`, `ownerId`));
