-- 0010: the pipeline's figures over time, kept as the jobs change so that the charts never scan the job tables.
--
--   * A statement trigger on job_history (every transition the projection writes, in the same transaction) appends what
--     the new entries count to job_stats_changes, one row per minute, metric and bucket. Appended, never updated in
--     place, for the reason 0008 gives: concurrent projections would otherwise fight over the same hot rows.
--   * job_stats_fold() (run by every silo with the job count fold, src/Grains/Maintenance) moves the changes into
--     job_stats at three widths: 1 minute (the last hour's chart), 15 minutes (the last day's) and 1 hour (the last
--     week's), and drops buckets older than the longest window that reads them. A window's chart is then at most
--     168 intervals of a few rows each, whatever the number of jobs.
--   * job_stats_clock counts every change row ever folded. That count plus the unfolded rows grows with every committed
--     transition and never moves back, so a gateway learns that something changed by reading one number.
--
-- Metrics (bucket 0 unless said):
--   transitions        history entries written (every transition, including dispatch retries)
--   received           jobs created (the first history entry: a paid checkout turned into a job)
--   succeeded, failed, cancelled   jobs that reached that status
--   dispatch_retries   dispatch requests that failed with a transient error and were retried after a backoff
--   rate_limit_waits   dispatch requests that GitHub rate-limited; the job waits until the limit lifts
--   paid_to_succeeded  jobs that succeeded, by time from the paid checkout's arrival (the job's creation) to success:
--                      bucket b holds durations in (2^((b-1)/4), 2^(b/4)] seconds (b = 0: up to 1 s), so a percentile read
--                      from the buckets is within 19 % of the true one.
-- The dispatch metrics are read from the retry entries' reasons, which JobStateMachine.RecordDispatchRetry words as
-- "dispatch request N of attempt A failed: ..." or "... rate limited: ...".

CREATE TABLE IF NOT EXISTS job_stats
(
    width  integer     NOT NULL,   -- the interval's length in seconds: 60, 900 or 3600
    at     timestamptz NOT NULL,   -- the interval's start (a multiple of the width since 2000-01-01 UTC)
    metric text        NOT NULL,
    bucket integer     NOT NULL,
    value  bigint      NOT NULL,

    CONSTRAINT pk_job_stats PRIMARY KEY (width, at, metric, bucket),
    CONSTRAINT ck_job_stats_width CHECK (width IN (60, 900, 3600))
);

CREATE TABLE IF NOT EXISTS job_stats_changes
(
    minute timestamptz NOT NULL,
    metric text        NOT NULL,
    bucket integer     NOT NULL,
    delta  bigint      NOT NULL
);

CREATE TABLE IF NOT EXISTS job_stats_clock
(
    id     integer NOT NULL PRIMARY KEY DEFAULT 1,
    folded bigint  NOT NULL,

    CONSTRAINT ck_job_stats_clock_one_row CHECK (id = 1)
);
INSERT INTO job_stats_clock (id, folded) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;

CREATE OR REPLACE FUNCTION job_stats_duration_bucket(seconds double precision) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$
    SELECT least(96, greatest(0, ceil(4 * ln(greatest(seconds, 1)) / ln(2))))::integer
$$;

CREATE OR REPLACE FUNCTION job_stats_on_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_stats_changes (minute, metric, bucket, delta)
    SELECT date_trunc('minute', h.at), m.metric, m.bucket, count(*)
    FROM new_history h
    LEFT JOIN jobs j ON h.to_status = 'succeeded' AND j.job_id = h.job_id
    CROSS JOIN LATERAL (VALUES
        ('transitions', 0, true),
        ('received', 0, h.from_status IS NULL),
        ('succeeded', 0, h.to_status = 'succeeded'),
        ('failed', 0, h.to_status = 'failed'),
        ('cancelled', 0, h.to_status = 'cancelled'),
        ('dispatch_retries', 0, h.from_status = 'queued' AND h.to_status = 'queued' AND h.reason LIKE 'dispatch request % failed:%'),
        ('rate_limit_waits', 0, h.from_status = 'queued' AND h.to_status = 'queued' AND h.reason LIKE 'dispatch request % rate limited:%'),
        ('paid_to_succeeded', job_stats_duration_bucket(extract(epoch FROM h.at - j.created_at)), j.created_at IS NOT NULL)
    ) AS m(metric, bucket, counts)
    WHERE m.counts
    GROUP BY 1, 2, 3;
    RETURN NULL;
END $$;

-- Folds the unfolded changes into every width in one statement; a concurrent fold skips the changes this one took.
-- Answers how many change rows it folded.
CREATE OR REPLACE FUNCTION job_stats_fold() RETURNS bigint LANGUAGE sql AS $$
    DELETE FROM job_stats
    WHERE (width = 60 AND at < now() - interval '2 hours')
       OR (width = 900 AND at < now() - interval '2 days')
       OR (width = 3600 AND at < now() - interval '8 days');

    WITH taken AS (
        DELETE FROM job_stats_changes RETURNING minute, metric, bucket, delta
    ), sums AS (
        SELECT w.width, date_bin(make_interval(secs => w.width), t.minute, timestamptz '2000-01-01 00:00:00+00') AS at,
               t.metric, t.bucket, sum(t.delta) AS delta
        FROM taken t CROSS JOIN (VALUES (60), (900), (3600)) AS w(width)
        GROUP BY 1, 2, 3, 4
    ), folded AS (
        INSERT INTO job_stats (width, at, metric, bucket, value)
        SELECT width, at, metric, bucket, delta FROM sums ORDER BY width, at, metric, bucket
        ON CONFLICT (width, at, metric, bucket) DO UPDATE SET value = job_stats.value + EXCLUDED.value
        RETURNING 1
    ), ticked AS (
        UPDATE job_stats_clock SET folded = folded + (SELECT count(*) FROM taken) RETURNING folded
    )
    SELECT count(*)::bigint FROM taken;
$$;

DROP TRIGGER IF EXISTS tr_job_history_stats ON job_history;
CREATE TRIGGER tr_job_history_stats AFTER INSERT ON job_history
    REFERENCING NEW TABLE AS new_history FOR EACH STATEMENT EXECUTE FUNCTION job_stats_on_history();

-- The attention view's "runs without a heartbeat": only the runs in flight, oldest sign of life first.
CREATE INDEX IF NOT EXISTS ix_jobs_provisioning_heartbeat
    ON jobs ((COALESCE(last_heartbeat_at, updated_at)), job_id) WHERE status = 'provisioning';
