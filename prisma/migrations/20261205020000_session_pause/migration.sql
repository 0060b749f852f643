-- Pause and resume (seed 003's engineering work): when a session was paused; the sweeper ends
-- sessions paused longer than CRAFT_MAX_PAUSED_SECONDS.
ALTER TABLE `CraftSession` ADD COLUMN `pausedAt` DATETIME(3) NULL;
CREATE INDEX `CraftSession_status_pausedAt_idx` ON `CraftSession`(`status`, `pausedAt`);
