-- The audit trail as people read it: where a change came from and how much it matters.
ALTER TABLE audit_events
    ADD COLUMN ip text,
    ADD COLUMN user_agent text,
    ADD COLUMN severity text NOT NULL DEFAULT 'info' CHECK (severity IN ('info', 'notice', 'warning'));
-- The trail outlives what it describes: deleting a project keeps its rows (for admins).
ALTER TABLE audit_events DROP CONSTRAINT audit_events_project_id_fkey,
    ADD CONSTRAINT audit_events_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE SET NULL;
