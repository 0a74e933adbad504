DROP TABLE login_failures;
DROP TABLE instance_settings;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
