-- 0006: what the workflow's callbacks add to the read model.
--   jobs.output             the succeeded run's output object
--   jobs.last_heartbeat_at  the claiming run's last sign of life (dashboards flag silent runs)
--   jobs.run_attempt        GitHub's re-run counter of the claiming run
--   job_history.actor_name  who exactly: the operator key's name, or the run ("run 123")
-- and an index to find a job by its GitHub run id (GitHub's workflow_run webhooks name only the run).

ALTER TABLE jobs ADD COLUMN IF NOT EXISTS output jsonb NULL;
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS last_heartbeat_at timestamptz NULL;
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS run_attempt integer NULL;
ALTER TABLE job_history ADD COLUMN IF NOT EXISTS actor_name text NULL;

CREATE INDEX IF NOT EXISTS ix_jobs_run_id ON jobs (run_id) WHERE run_id IS NOT NULL;
