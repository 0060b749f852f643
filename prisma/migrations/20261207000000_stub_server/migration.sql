-- The stub server (npm run stubs): the contract stub follows the real API's dance (template,
-- create -> Proposed, propose, every party's consent -> Active), and location and analytics
-- get stubs of their own.

-- AlterTable
ALTER TABLE `stub_contract`
    ADD COLUMN `templateId` CHAR(36) NULL,
    ADD COLUMN `consents` LONGTEXT NULL,
    ADD COLUMN `proposedAt` DATETIME(3) NULL;

-- CreateTable
CREATE TABLE `stub_contract_template` (
    `id` CHAR(36) NOT NULL,
    `gameServiceId` CHAR(36) NOT NULL,
    `code` VARCHAR(200) NOT NULL,
    `minParties` INTEGER NOT NULL,
    `milestones` LONGTEXT NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `stub_contract_template_gameServiceId_code_key`(`gameServiceId`, `code`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `stub_location` (
    `id` VARCHAR(100) NOT NULL,
    `name` VARCHAR(200) NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `stub_entity_location` (
    `entityType` VARCHAR(100) NOT NULL,
    `entityId` VARCHAR(100) NOT NULL,
    `locationId` VARCHAR(100) NOT NULL,

    PRIMARY KEY (`entityType`, `entityId`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `stub_analytics_event` (
    `id` CHAR(36) NOT NULL,
    `serviceType` VARCHAR(100) NOT NULL,
    `serviceId` VARCHAR(100) NOT NULL,
    `eventType` VARCHAR(200) NOT NULL,
    `entityId` VARCHAR(100) NOT NULL,
    `entityType` VARCHAR(100) NOT NULL,
    `timestamp` DATETIME(3) NOT NULL,
    `value` DOUBLE NULL,
    `metadata` LONGTEXT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `stub_analytics_event_serviceId_eventType_timestamp_idx`(`serviceId`, `eventType`, `timestamp`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
