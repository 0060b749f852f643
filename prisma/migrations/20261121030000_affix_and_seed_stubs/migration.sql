-- The affix and seed stub services (standalone mode): affix definitions, per-item affix
-- state and affixes; seed types and seeds.
-- CreateTable
CREATE TABLE `stub_affix_definition` (
    `id` CHAR(36) NOT NULL,
    `gameServiceId` CHAR(36) NOT NULL,
    `code` VARCHAR(200) NOT NULL,
    `tags` LONGTEXT NOT NULL,
    `slotType` VARCHAR(50) NOT NULL,
    `tier` INTEGER NOT NULL,
    `weight` INTEGER NOT NULL,
    `valueMin` DOUBLE NOT NULL,
    `valueMax` DOUBLE NOT NULL,
    `validItemClasses` LONGTEXT NULL,
    `minItemLevel` INTEGER NOT NULL DEFAULT 0,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `stub_affix_definition_gameServiceId_slotType_idx`(`gameServiceId`, `slotType`),
    UNIQUE INDEX `stub_affix_definition_gameServiceId_code_key`(`gameServiceId`, `code`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `stub_affix_item` (
    `itemInstanceId` CHAR(36) NOT NULL,
    `isIdentified` BOOLEAN NOT NULL DEFAULT true,
    `isCorrupted` BOOLEAN NOT NULL DEFAULT false,
    `isMirrored` BOOLEAN NOT NULL DEFAULT false,
    `isFractured` BOOLEAN NOT NULL DEFAULT false,
    `maxPrefixes` INTEGER NOT NULL DEFAULT 3,
    `maxSuffixes` INTEGER NOT NULL DEFAULT 3,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    PRIMARY KEY (`itemInstanceId`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `stub_item_affix` (
    `itemInstanceId` CHAR(36) NOT NULL,
    `definitionId` CHAR(36) NOT NULL,
    `slotType` VARCHAR(50) NOT NULL,
    `tier` INTEGER NOT NULL,
    `value` DOUBLE NOT NULL,
    `valuePercentile` DOUBLE NOT NULL,
    `isFractured` BOOLEAN NOT NULL DEFAULT false,
    `position` INTEGER NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `stub_item_affix_definitionId_idx`(`definitionId`),
    PRIMARY KEY (`itemInstanceId`, `definitionId`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `stub_seed_type` (
    `id` CHAR(36) NOT NULL,
    `gameServiceId` CHAR(36) NOT NULL,
    `code` VARCHAR(200) NOT NULL,
    `phases` LONGTEXT NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    UNIQUE INDEX `stub_seed_type_gameServiceId_code_key`(`gameServiceId`, `code`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `stub_seed` (
    `id` CHAR(36) NOT NULL,
    `ownerId` VARCHAR(100) NOT NULL,
    `ownerType` VARCHAR(100) NOT NULL,
    `seedTypeCode` VARCHAR(200) NOT NULL,
    `gameServiceId` CHAR(36) NOT NULL,
    `totalGrowth` DECIMAL(20, 4) NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    UNIQUE INDEX `stub_seed_ownerId_ownerType_gameServiceId_seedTypeCode_key`(`ownerId`, `ownerType`, `gameServiceId`, `seedTypeCode`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `stub_item_affix` ADD CONSTRAINT `stub_item_affix_itemInstanceId_fkey` FOREIGN KEY (`itemInstanceId`) REFERENCES `stub_affix_item`(`itemInstanceId`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `stub_item_affix` ADD CONSTRAINT `stub_item_affix_definitionId_fkey` FOREIGN KEY (`definitionId`) REFERENCES `stub_affix_definition`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;
