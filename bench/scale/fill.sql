-- Fills the read model and the inbox of a fresh, migrated database in bulk, as a long-running service leaves them:
-- :jobs jobs, one every 30 seconds up to now, 20 per user; statuses spread as after years of service (about 86% succeeded,
-- 3% failed, 1% cancelled), plus :waiting jobs dispatched and waiting for a run to claim them (the newest ones);
-- :probes more jobs (evt_probe_*) dispatched a day ago, whose reminders the failover measurement adds later;
-- a few history rows per job (one per transition), and one processed inbox row per job.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO jobs (job_id, stripe_event_id, user_id, agent_id, region, status, attempt, run_id, run_url, created_at, updated_at,
                  last_error, version)
SELECT 'evt_scale_' || n, 'evt_scale_' || n, 'user_' || (n % (:jobs / 20 + 1)), 'agent_' || md5(n::text),
       (ARRAY['us-east', 'eu-west'])[1 + n % 2], s.status, 1,
       CASE WHEN s.status IN ('provisioning', 'succeeded', 'failed') THEN (1000000 + n)::text END,
       CASE WHEN s.status IN ('provisioning', 'succeeded', 'failed') THEN 'https://github.com/acme/infra/actions/runs/' || (1000000 + n) END,
       now() - make_interval(secs => (:jobs - n) * 30), now() - make_interval(secs => (:jobs - n) * 30 - 300),
       CASE WHEN s.status = 'failed' THEN 'terraform apply failed' END, 4
FROM generate_series(1, :jobs) n
CROSS JOIN LATERAL (SELECT CASE
    WHEN n > :jobs - :waiting THEN 'dispatched'
    WHEN n % 100 < 95 THEN 'succeeded' WHEN n % 100 < 98 THEN 'failed' ELSE 'cancelled' END AS status) s;

INSERT INTO jobs (job_id, stripe_event_id, user_id, agent_id, region, status, attempt, created_at, updated_at, version)
SELECT 'evt_probe_' || n, 'evt_probe_' || n, 'user_probe_' || n, 'agent_probe_' || n, 'us-east', 'dispatched', 1,
       now() - interval '1 day', now() - interval '1 day' + interval '1 minute', 4
FROM generate_series(1, :probes) n;

INSERT INTO job_history (job_id, seq, at, from_status, to_status, actor, reason)
SELECT j.job_id, t.seq, j.created_at + make_interval(secs => t.seq * 60), t.from_status, t.to_status, t.actor, t.reason
FROM jobs j
CROSS JOIN LATERAL (VALUES
    (0, NULL, 'queued', 'stripe', 'checkout paid'),
    (1, 'queued', 'dispatched', 'system', 'workflow dispatched'),
    (2, 'dispatched', CASE WHEN j.status = 'cancelled' THEN 'cancelled' ELSE 'provisioning' END, 'github', 'run claimed'),
    (3, 'provisioning', j.status, 'github', 'run finished')) AS t(seq, from_status, to_status, actor, reason)
WHERE t.seq <= CASE WHEN j.status = 'dispatched' THEN 1 WHEN j.status = 'cancelled' THEN 2 ELSE 3 END;

INSERT INTO stripe_inbox (event_id, type, created, livemode, source, body, received_at, outcome, creates_job, job_id, processed_at)
SELECT job_id, 'checkout.session.completed', created_at, false, 'webhook', convert_to(repeat('x', 1500), 'UTF8'),
       created_at, 'job-created', false, job_id, created_at
FROM jobs;
COMMIT;
ANALYZE jobs;
ANALYZE job_history;
ANALYZE stripe_inbox;
SELECT job_counts_fold();
