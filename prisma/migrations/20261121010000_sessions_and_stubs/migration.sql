-- Craft sessions: the contract is created after the session row; effects may be pending;
-- the recipe is snapshotted at start.
-- AlterTable
ALTER TABLE `CraftSession` MODIFY `contractId` CHAR(36) NULL,
    ADD COLUMN `pendingEffects` BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN `recipeSnapshot` LONGTEXT NOT NULL;

-- CreateIndex
CREATE INDEX `CraftSession_pendingEffects_updatedAt_idx` ON `CraftSession`(`pendingEffects`, `updatedAt`);

-- The stub services' tables are prefixed stub_ (@@map in schema.prisma).
-- RenameTable
RENAME TABLE `StubGameService` TO `stub_game_service`;

-- RenameIndex
ALTER TABLE `stub_game_service` RENAME INDEX `StubGameService_stubName_key` TO `stub_game_service_stubName_key`;

-- CreateTable
CREATE TABLE `stub_idempotency` (
    `service` VARCHAR(50) NOT NULL,
    `idemKey` VARCHAR(300) NOT NULL,
    `result` LONGTEXT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    PRIMARY KEY (`service`, `idemKey`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `stub_item_template` (
    `id` CHAR(36) NOT NULL,
    `gameServiceId` CHAR(36) NOT NULL,
    `code` VARCHAR(200) NOT NULL,
    `category` VARCHAR(100) NOT NULL,
    `itemClass` VARCHAR(100) NULL,
    `itemLevel` INTEGER NULL,
    `qualityModel` VARCHAR(20) NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `stub_item_template_gameServiceId_code_key`(`gameServiceId`, `code`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `stub_item_instance` (
    `id` CHAR(36) NOT NULL,
    `templateId` CHAR(36) NOT NULL,
    `gameServiceId` CHAR(36) NOT NULL,
    `containerId` CHAR(36) NOT NULL,
    `realmId` VARCHAR(100) NOT NULL,
    `quantity` DECIMAL(20, 4) NOT NULL,
    `instanceMetadata` LONGTEXT NOT NULL,
    `originType` VARCHAR(20) NOT NULL,
    `originId` VARCHAR(200) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,
    `destroyedAt` DATETIME(3) NULL,
    `destroyReason` VARCHAR(20) NULL,

    INDEX `stub_item_instance_containerId_templateId_idx`(`containerId`, `templateId`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `stub_container` (
    `id` CHAR(36) NOT NULL,
    `ownerId` VARCHAR(100) NOT NULL,
    `ownerType` VARCHAR(100) NOT NULL,
    `containerType` VARCHAR(100) NOT NULL,
    `gameServiceId` CHAR(36) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `stub_container_ownerId_ownerType_idx`(`ownerId`, `ownerType`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `stub_wallet` (
    `id` CHAR(36) NOT NULL,
    `ownerId` VARCHAR(100) NOT NULL,
    `ownerType` VARCHAR(100) NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `stub_wallet_ownerId_ownerType_key`(`ownerId`, `ownerType`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `stub_wallet_balance` (
    `walletId` CHAR(36) NOT NULL,
    `currencyCode` VARCHAR(50) NOT NULL,
    `amount` DECIMAL(20, 4) NOT NULL,

    PRIMARY KEY (`walletId`, `currencyCode`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `stub_currency_hold` (
    `id` CHAR(36) NOT NULL,
    `walletId` CHAR(36) NOT NULL,
    `currencyCode` VARCHAR(50) NOT NULL,
    `amount` DECIMAL(20, 4) NOT NULL,
    `capturedAmount` DECIMAL(20, 4) NULL,
    `status` VARCHAR(20) NOT NULL,
    `expiresAt` DATETIME(3) NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    INDEX `stub_currency_hold_walletId_currencyCode_status_idx`(`walletId`, `currencyCode`, `status`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `stub_contract` (
    `id` CHAR(36) NOT NULL,
    `status` VARCHAR(20) NOT NULL,
    `parties` LONGTEXT NOT NULL,
    `milestones` LONGTEXT NOT NULL,
    `onFinal` LONGTEXT NOT NULL,
    `terminationReason` VARCHAR(500) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
