-- 0005: the read model of provisioning jobs: one row per job and one row per transition.
--
-- Written only by PostgresJobReadModel (src/Grains/ReadModel), which projects the job grain's snapshot after every
-- persisted change and when the grain activates. Grain state is the source of truth; these tables are a copy for
-- listings, dashboards and the API, written idempotently:
--   * jobs: upserted only when the snapshot's version is higher than the stored one, so a replayed or late
--     (older) snapshot changes nothing.
--   * job_history: entry seq is the 0-based index in the snapshot's History list; history is append-only, so an
--     entry is inserted once (ON CONFLICT DO NOTHING) and never rewritten.
-- Status, actor names are the lowercase names of the JobStatus and JobActor enums (src/Grains.Interfaces/Jobs).

CREATE TABLE IF NOT EXISTS jobs
(
    job_id          text        NOT NULL PRIMARY KEY,   -- = the Stripe event id of the paid checkout
    stripe_event_id text        NOT NULL,
    user_id         text        NOT NULL,
    agent_id        text        NOT NULL,
    region          text        NOT NULL,
    status          text        NOT NULL,
    attempt         integer     NOT NULL,
    run_id          text        NULL,
    run_url         text        NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    last_error      text        NULL,
    version         bigint      NOT NULL,               -- JobSnapshot.Version: grows by one with every change

    CONSTRAINT ck_jobs_status CHECK (status IN
        ('waiting', 'queued', 'dispatched', 'provisioning', 'succeeded', 'failed', 'cancelled'))
);

-- Newest first, keyset pagination on (created_at, job_id): all jobs, by status, by user.
CREATE INDEX IF NOT EXISTS ix_jobs_created
    ON jobs (created_at DESC, job_id DESC);

CREATE INDEX IF NOT EXISTS ix_jobs_status_created
    ON jobs (status, created_at DESC, job_id DESC);

CREATE INDEX IF NOT EXISTS ix_jobs_user_created
    ON jobs (user_id, created_at DESC, job_id DESC);

CREATE TABLE IF NOT EXISTS job_history
(
    job_id      text        NOT NULL REFERENCES jobs (job_id) ON DELETE CASCADE,
    seq         integer     NOT NULL,                   -- 0-based index in JobSnapshot.History
    at          timestamptz NOT NULL,
    from_status text        NULL,                       -- NULL for the job's creation
    to_status   text        NOT NULL,
    actor       text        NOT NULL,
    reason      text        NOT NULL,

    CONSTRAINT pk_job_history PRIMARY KEY (job_id, seq),
    CONSTRAINT ck_job_history_seq CHECK (seq >= 0),
    CONSTRAINT ck_job_history_from CHECK (from_status IS NULL OR from_status IN
        ('waiting', 'queued', 'dispatched', 'provisioning', 'succeeded', 'failed', 'cancelled')),
    CONSTRAINT ck_job_history_to CHECK (to_status IN
        ('waiting', 'queued', 'dispatched', 'provisioning', 'succeeded', 'failed', 'cancelled')),
    CONSTRAINT ck_job_history_actor CHECK (actor IN ('stripe', 'github', 'operator', 'system'))
);
