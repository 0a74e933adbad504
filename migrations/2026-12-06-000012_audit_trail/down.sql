ALTER TABLE audit_events DROP CONSTRAINT audit_events_project_id_fkey,
    ADD CONSTRAINT audit_events_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE;
ALTER TABLE audit_events DROP COLUMN severity, DROP COLUMN user_agent, DROP COLUMN ip;
