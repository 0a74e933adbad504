DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
ALTER TABLE api_tokens DROP COLUMN expires_at, DROP COLUMN scope;
