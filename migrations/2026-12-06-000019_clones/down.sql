DROP TABLE clone_objects;
DROP TABLE clones;
