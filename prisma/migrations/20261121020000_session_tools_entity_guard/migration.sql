-- AlterTable
ALTER TABLE `CraftSession` ADD COLUMN `tools` LONGTEXT NOT NULL;

-- CreateTable
CREATE TABLE `CraftEntityGuard` (
    `entityId` CHAR(36) NOT NULL,
    `entityType` VARCHAR(100) NOT NULL,

    PRIMARY KEY (`entityId`, `entityType`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
