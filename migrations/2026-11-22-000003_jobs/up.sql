-- The job queue: polled by workers with FOR UPDATE SKIP LOCKED, woken by NOTIFY dailies_jobs.

CREATE TABLE jobs (
    id bigserial PRIMARY KEY,
    kind text NOT NULL,
    queue text NOT NULL DEFAULT 'default',
    payload jsonb NOT NULL DEFAULT '{}',
    dedupe_key text,
    state text NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    priority smallint NOT NULL DEFAULT 0,
    attempts integer NOT NULL DEFAULT 0,
    max_attempts integer NOT NULL DEFAULT 5 CHECK (max_attempts > 0),
    run_at timestamptz NOT NULL DEFAULT now(),
    worker_id text,
    heartbeat_at timestamptz,
    progress smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    phase text NOT NULL DEFAULT '',
    last_error text,
    cancel_requested boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz
);

-- What a worker claims next.
CREATE INDEX jobs_ready_idx ON jobs (queue, priority DESC, run_at, id) WHERE state = 'queued';
-- What the reaper looks at.
CREATE INDEX jobs_running_heartbeat_idx ON jobs (heartbeat_at) WHERE state = 'running';
-- One live job per (kind, dedupe key).
CREATE UNIQUE INDEX jobs_dedupe_idx ON jobs (kind, dedupe_key)
    WHERE dedupe_key IS NOT NULL AND state IN ('queued', 'running');
-- The admin list by state.
CREATE INDEX jobs_state_created_idx ON jobs (state, created_at DESC);
