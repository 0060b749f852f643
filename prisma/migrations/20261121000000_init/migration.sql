-- CreateTable
CREATE TABLE `Recipe` (
    `id` CHAR(36) NOT NULL,
    `gameServiceId` CHAR(36) NOT NULL,
    `code` VARCHAR(200) NOT NULL,
    `recipeType` VARCHAR(100) NOT NULL,
    `domain` VARCHAR(100) NOT NULL,
    `category` VARCHAR(100) NULL,
    `isDiscoverable` BOOLEAN NOT NULL,
    `isDefaultKnown` BOOLEAN NOT NULL,
    `isDeprecated` BOOLEAN NOT NULL DEFAULT false,
    `deprecatedAt` DATETIME(3) NULL,
    `deprecationReason` VARCHAR(500) NULL,
    `masteryLevel` INTEGER NULL,
    `definition` LONGTEXT NOT NULL,
    `version` INTEGER NOT NULL DEFAULT 1,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    UNIQUE INDEX `Recipe_gameServiceId_code_key`(`gameServiceId`, `code`),
    INDEX `Recipe_gameServiceId_domain_idx`(`gameServiceId`, `domain`),
    INDEX `Recipe_gameServiceId_recipeType_idx`(`gameServiceId`, `recipeType`),
    INDEX `Recipe_gameServiceId_category_idx`(`gameServiceId`, `category`),
    INDEX `Recipe_isDeprecated_deprecatedAt_idx`(`isDeprecated`, `deprecatedAt`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `RecipeTag` (
    `recipeId` CHAR(36) NOT NULL,
    `gameServiceId` CHAR(36) NOT NULL,
    `tag` VARCHAR(100) NOT NULL,

    INDEX `RecipeTag_gameServiceId_tag_idx`(`gameServiceId`, `tag`),
    PRIMARY KEY (`recipeId`, `tag`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `CraftSession` (
    `id` CHAR(36) NOT NULL,
    `contractId` CHAR(36) NOT NULL,
    `gameServiceId` CHAR(36) NOT NULL,
    `recipeId` CHAR(36) NOT NULL,
    `recipeCode` VARCHAR(200) NOT NULL,
    `entityId` CHAR(36) NOT NULL,
    `entityType` VARCHAR(100) NOT NULL,
    `inventoryId` CHAR(36) NOT NULL,
    `escrowContainerId` CHAR(36) NULL,
    `status` VARCHAR(20) NOT NULL,
    `currentStepIndex` INTEGER NOT NULL,
    `version` INTEGER NOT NULL DEFAULT 0,
    `attempt` INTEGER NOT NULL DEFAULT 1,
    `rngSeed` VARCHAR(32) NOT NULL,
    `state` LONGTEXT NOT NULL,
    `stepResults` LONGTEXT NOT NULL,
    `participants` LONGTEXT NOT NULL,
    `reservedMaterials` LONGTEXT NOT NULL,
    `currencyHolds` LONGTEXT NOT NULL,
    `stationId` CHAR(36) NULL,
    `toolItemId` CHAR(36) NULL,
    `targetItemId` CHAR(36) NULL,
    `accumulatedQuality` DOUBLE NOT NULL DEFAULT 0,
    `finalQuality` DOUBLE NULL,
    `outputItemIds` LONGTEXT NULL,
    `failureReason` VARCHAR(500) NULL,
    `completionStage` VARCHAR(30) NULL,
    `stepReadyAt` DATETIME(3) NULL,
    `expiresAt` DATETIME(3) NOT NULL,
    `startedAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `completedAt` DATETIME(3) NULL,
    `updatedAt` DATETIME(3) NOT NULL,

    UNIQUE INDEX `CraftSession_contractId_key`(`contractId`),
    INDEX `CraftSession_entityId_entityType_status_idx`(`entityId`, `entityType`, `status`),
    INDEX `CraftSession_status_expiresAt_idx`(`status`, `expiresAt`),
    INDEX `CraftSession_stationId_status_idx`(`stationId`, `status`),
    INDEX `CraftSession_gameServiceId_status_idx`(`gameServiceId`, `status`),
    INDEX `CraftSession_recipeId_status_idx`(`recipeId`, `status`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `Proficiency` (
    `id` CHAR(36) NOT NULL,
    `gameServiceId` CHAR(36) NOT NULL,
    `entityId` CHAR(36) NOT NULL,
    `entityType` VARCHAR(100) NOT NULL,
    `domain` VARCHAR(100) NOT NULL,
    `experience` DOUBLE NOT NULL DEFAULT 0,
    `level` INTEGER NOT NULL DEFAULT 0,
    `phase` VARCHAR(50) NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    UNIQUE INDEX `Proficiency_gameServiceId_entityId_entityType_domain_key`(`gameServiceId`, `entityId`, `entityType`, `domain`),
    INDEX `Proficiency_entityId_entityType_idx`(`entityId`, `entityType`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `CompletedRecipe` (
    `gameServiceId` CHAR(36) NOT NULL,
    `entityId` CHAR(36) NOT NULL,
    `entityType` VARCHAR(100) NOT NULL,
    `recipeId` CHAR(36) NOT NULL,
    `completedCount` INTEGER NOT NULL,
    `firstCompletedAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    PRIMARY KEY (`entityId`, `entityType`, `recipeId`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `Station` (
    `id` CHAR(36) NOT NULL,
    `gameServiceId` CHAR(36) NOT NULL,
    `stationType` VARCHAR(100) NOT NULL,
    `locationId` CHAR(36) NULL,
    `ownerId` CHAR(36) NULL,
    `ownerType` VARCHAR(100) NULL,
    `quality` DOUBLE NOT NULL,
    `isActive` BOOLEAN NOT NULL DEFAULT true,
    `activeSessionId` CHAR(36) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,
    `deregisteredAt` DATETIME(3) NULL,

    INDEX `Station_gameServiceId_stationType_isActive_idx`(`gameServiceId`, `stationType`, `isActive`),
    INDEX `Station_locationId_idx`(`locationId`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `KnownRecipe` (
    `gameServiceId` CHAR(36) NOT NULL,
    `entityId` CHAR(36) NOT NULL,
    `entityType` VARCHAR(100) NOT NULL,
    `recipeId` CHAR(36) NOT NULL,
    `recipeCode` VARCHAR(200) NOT NULL,
    `source` VARCHAR(20) NOT NULL,
    `learnedAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `KnownRecipe_gameServiceId_entityId_entityType_idx`(`gameServiceId`, `entityId`, `entityType`),
    INDEX `KnownRecipe_recipeId_idx`(`recipeId`),
    PRIMARY KEY (`entityId`, `entityType`, `recipeId`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `DiscoveryAttempt` (
    `id` CHAR(36) NOT NULL,
    `gameServiceId` CHAR(36) NOT NULL,
    `entityId` CHAR(36) NOT NULL,
    `entityType` VARCHAR(100) NOT NULL,
    `combinationHash` CHAR(64) NOT NULL,
    `materialCodes` LONGTEXT NOT NULL,
    `stationType` VARCHAR(100) NULL,
    `success` BOOLEAN NOT NULL,
    `recipeId` CHAR(36) NULL,
    `hintProgression` DOUBLE NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `DiscoveryAttempt_entityId_entityType_combinationHash_idx`(`entityId`, `entityType`, `combinationHash`),
    INDEX `DiscoveryAttempt_gameServiceId_idx`(`gameServiceId`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `OutboxEvent` (
    `seq` BIGINT NOT NULL AUTO_INCREMENT,
    `eventId` CHAR(36) NOT NULL,
    `subject` VARCHAR(200) NOT NULL,
    `payload` LONGTEXT NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `publishedAt` DATETIME(3) NULL,
    `attempts` INTEGER NOT NULL DEFAULT 0,
    `lastError` VARCHAR(1000) NULL,

    UNIQUE INDEX `OutboxEvent_eventId_key`(`eventId`),
    INDEX `OutboxEvent_publishedAt_seq_idx`(`publishedAt`, `seq`),
    PRIMARY KEY (`seq`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `InboxMessage` (
    `messageId` VARCHAR(200) NOT NULL,
    `subject` VARCHAR(200) NOT NULL,
    `processedAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    PRIMARY KEY (`messageId`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `IdempotencyRecord` (
    `callerKey` VARCHAR(200) NOT NULL,
    `idemKey` VARCHAR(200) NOT NULL,
    `requestHash` CHAR(64) NOT NULL,
    `status` VARCHAR(20) NOT NULL,
    `responseStatus` INTEGER NULL,
    `responseBody` LONGTEXT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `expiresAt` DATETIME(3) NOT NULL,

    INDEX `IdempotencyRecord_expiresAt_idx`(`expiresAt`),
    PRIMARY KEY (`callerKey`, `idemKey`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `StubGameService` (
    `id` CHAR(36) NOT NULL,
    `stubName` VARCHAR(100) NOT NULL,
    `displayName` VARCHAR(200) NOT NULL,
    `isActive` BOOLEAN NOT NULL DEFAULT true,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `StubGameService_stubName_key`(`stubName`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `RecipeTag` ADD CONSTRAINT `RecipeTag_recipeId_fkey` FOREIGN KEY (`recipeId`) REFERENCES `Recipe`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `KnownRecipe` ADD CONSTRAINT `KnownRecipe_recipeId_fkey` FOREIGN KEY (`recipeId`) REFERENCES `Recipe`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
