-- 0008: what keeps the cost of reads flat as jobs accumulate.
--
-- Job counts by status, kept as the jobs change instead of counted by scanning `jobs`:
--   * job_counts holds one row per status (the folded total); job_count_changes holds the changes not folded yet, one
--     row per status and statement. The count of a status is its total plus its unfolded changes.
--   * Statement triggers on `jobs` append the changes, so every writer of the table (the projection, a retention
--     delete, a bulk load) keeps them, in the same transaction as the rows. Triggers rather than a statement of the
--     projection: the projection's upsert does not know the status it replaces, and a count that some writer forgets
--     drifts for good. Changes are appended, never updated in place: two concurrent projections that moved jobs in
--     opposite directions would otherwise lock two status rows in opposite orders and deadlock, and every projection
--     would wait on the same hot rows.
--   * Each silo folds the changes into job_counts every few seconds (job_counts_fold(), src/Grains/Maintenance), so
--     the changes stay a few rows and reading the counts costs the same at a million jobs as at ten.

CREATE TABLE IF NOT EXISTS job_counts
(
    status text   NOT NULL PRIMARY KEY,
    jobs   bigint NOT NULL,

    CONSTRAINT ck_job_counts_status CHECK (status IN
        ('waiting', 'queued', 'dispatched', 'provisioning', 'succeeded', 'failed', 'cancelled'))
);

CREATE TABLE IF NOT EXISTS job_count_changes
(
    status text   NOT NULL,
    delta  bigint NOT NULL
);

CREATE OR REPLACE FUNCTION job_counts_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_count_changes (status, delta)
    SELECT status, count(*) FROM inserted_jobs GROUP BY status;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION job_counts_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Most updates keep the status (a heartbeat, a run id): they add nothing.
    INSERT INTO job_count_changes (status, delta)
    SELECT status, sum(delta) FROM (
        SELECT status, 1 AS delta FROM new_jobs
        UNION ALL
        SELECT status, -1 FROM old_jobs) moved
    GROUP BY status
    HAVING sum(delta) <> 0;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION job_counts_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_count_changes (status, delta)
    SELECT status, -count(*) FROM deleted_jobs GROUP BY status;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION job_counts_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM job_count_changes;
    UPDATE job_counts SET jobs = 0;
    RETURN NULL;
END $$;

-- Folds the unfolded changes into job_counts in one statement; a concurrent fold skips the changes this one took.
CREATE OR REPLACE FUNCTION job_counts_fold() RETURNS bigint LANGUAGE sql AS $$
    WITH taken AS (
        DELETE FROM job_count_changes RETURNING status, delta
    ), sums AS (
        SELECT status, sum(delta) AS delta, count(*) AS changes FROM taken GROUP BY status
    ), folded AS (
        UPDATE job_counts c SET jobs = c.jobs + s.delta FROM sums s WHERE c.status = s.status RETURNING s.changes
    )
    SELECT COALESCE(sum(changes), 0)::bigint FROM folded;
$$;

-- The counts are set from the rows already there while writers wait, then kept by the triggers.
LOCK TABLE jobs IN SHARE ROW EXCLUSIVE MODE;

DROP TRIGGER IF EXISTS tr_jobs_count_insert ON jobs;
DROP TRIGGER IF EXISTS tr_jobs_count_update ON jobs;
DROP TRIGGER IF EXISTS tr_jobs_count_delete ON jobs;
DROP TRIGGER IF EXISTS tr_jobs_count_truncate ON jobs;
CREATE TRIGGER tr_jobs_count_insert AFTER INSERT ON jobs
    REFERENCING NEW TABLE AS inserted_jobs FOR EACH STATEMENT EXECUTE FUNCTION job_counts_on_insert();
CREATE TRIGGER tr_jobs_count_update AFTER UPDATE ON jobs
    REFERENCING OLD TABLE AS old_jobs NEW TABLE AS new_jobs FOR EACH STATEMENT EXECUTE FUNCTION job_counts_on_update();
CREATE TRIGGER tr_jobs_count_delete AFTER DELETE ON jobs
    REFERENCING OLD TABLE AS deleted_jobs FOR EACH STATEMENT EXECUTE FUNCTION job_counts_on_delete();
CREATE TRIGGER tr_jobs_count_truncate AFTER TRUNCATE ON jobs FOR EACH STATEMENT EXECUTE FUNCTION job_counts_on_truncate();

DELETE FROM job_count_changes;
INSERT INTO job_counts (status, jobs)
SELECT s.status, (SELECT count(*) FROM jobs j WHERE j.status = s.status)
FROM unnest(ARRAY['waiting', 'queued', 'dispatched', 'provisioning', 'succeeded', 'failed', 'cancelled']) AS s(status)
ON CONFLICT (status) DO UPDATE SET jobs = EXCLUDED.jobs;

-- Indexes for what the API and the dashboard ask at a million jobs (docs/scale.md; a test holds each plan's shape).
--   * q: the search "job id, user id or agent id contains the text" matches a substring, which no b-tree serves; a
--     trigram index on the three ids lets it find the few matching rows instead of reading every job.
--   * a bulk retry lists one status oldest change first.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX IF NOT EXISTS ix_jobs_search
    ON jobs USING gin ((job_id || ' ' || user_id || ' ' || agent_id) gin_trgm_ops);

CREATE INDEX IF NOT EXISTS ix_jobs_status_updated
    ON jobs (status, updated_at, job_id);

-- Retention: processed inbox rows oldest first, so a purge reads only what it deletes (unprocessed rows never qualify).
CREATE INDEX IF NOT EXISTS ix_stripe_inbox_processed
    ON stripe_inbox (received_at) WHERE processed_at IS NOT NULL;
