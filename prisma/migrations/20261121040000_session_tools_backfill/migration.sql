-- Sessions created before `tools` existed got an empty string: they chose no tools.
UPDATE `CraftSession` SET `tools` = '[]' WHERE `tools` = '';
