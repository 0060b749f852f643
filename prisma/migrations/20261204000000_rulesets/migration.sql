-- Rulesets (docs/rules.md): versions of how a recipe's sessions play, period-limited action uses,
-- and each ruleset session's state.

CREATE TABLE `Ruleset` (
    `id` CHAR(36) NOT NULL,
    `gameServiceId` CHAR(36) NOT NULL,
    `code` VARCHAR(64) NOT NULL,
    `version` INTEGER NOT NULL,
    `name` VARCHAR(200) NULL,
    `definition` LONGTEXT NOT NULL,
    `isDeprecated` BOOLEAN NOT NULL DEFAULT false,
    `deprecatedAt` DATETIME(3) NULL,
    `deprecationReason` VARCHAR(500) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `Ruleset_gameServiceId_code_version_key`(`gameServiceId`, `code`, `version`),
    INDEX `Ruleset_gameServiceId_isDeprecated_idx`(`gameServiceId`, `isDeprecated`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `CraftAbilityUse` (
    `id` CHAR(36) NOT NULL,
    `gameServiceId` CHAR(36) NOT NULL,
    `entityId` CHAR(36) NOT NULL,
    `entityType` VARCHAR(100) NOT NULL,
    `rulesetCode` VARCHAR(64) NOT NULL,
    `action` VARCHAR(64) NOT NULL,
    `sessionId` CHAR(36) NOT NULL,
    `usedAt` DATETIME(3) NOT NULL,

    INDEX `CraftAbilityUse_entity_action_idx`(`gameServiceId`, `entityId`, `entityType`, `rulesetCode`, `action`, `usedAt`),
    INDEX `CraftAbilityUse_sessionId_idx`(`sessionId`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

ALTER TABLE `CraftSession` ADD COLUMN `rulesDefinition` LONGTEXT NULL, ADD COLUMN `rules` LONGTEXT NULL;
