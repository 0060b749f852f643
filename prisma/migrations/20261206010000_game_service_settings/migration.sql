-- Settings a game service sets for itself, overriding the deployment's defaults (null = the
-- default): first of them the longest a session may stay paused.
CREATE TABLE `CraftGameServiceSettings` (
  `gameServiceId` CHAR(36) NOT NULL,
  `maxPausedSeconds` INT NULL,
  `updatedAt` DATETIME(3) NOT NULL,
  PRIMARY KEY (`gameServiceId`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
