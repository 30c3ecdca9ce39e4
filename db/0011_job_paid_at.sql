-- 0011: when each job was paid for: the creation time of the Stripe event of its checkout (JobSnapshot.PaidAt), written by the
-- projection. It can be well before the job's own created_at: Stripe retries a delivery for up to three days, and
-- reconciliation recovers checkouts whose deliveries never arrived. The dashboard's "payment to succeeded" figure now
-- counts from it; rows written before this column existed (and bulk loads without it) count from created_at.
-- Adding a nullable column without a default changes no stored row, so it takes no time on a large table.

ALTER TABLE jobs ADD COLUMN IF NOT EXISTS paid_at timestamptz NULL;

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
        ('paid_to_succeeded', job_stats_duration_bucket(extract(epoch FROM h.at - coalesce(j.paid_at, j.created_at))), j.job_id IS NOT NULL)
    ) AS m(metric, bucket, counts)
    WHERE m.counts
    GROUP BY 1, 2, 3;
    RETURN NULL;
END $$;
