DROP TABLE uploads;
DROP TABLE asset_versions;
DROP TABLE assets;
DROP TABLE folders;
