-- 0007: the Stripe inbox: one row per verified Stripe event, written before the webhook answers 200.
--
-- Written by StripeInbox (src/Grains/StripeInbox). A 200 to Stripe means "this row is committed"; everything the event
-- leads to (a job, a subscription change) follows from the row, exactly once:
--   * outcome is decided from the event alone when the row is inserted: 'job-created', 'subscription-updated',
--     'ignored: <reason>' or 'duplicate of <event id>' (a second Event object for a checkout session that already made a job).
--   * work holds what processing does ({"job": NewJob, "subscription": SubscriptionChange}); NULL when there is nothing
--     to do, in which case processed_at is set in the same insert.
--   * claimed_until: until when a silo holds the row's hand-over (the silo that stored it, then a backstop pass); a row
--     unprocessed past it is taken by the backstop of any silo.
-- At most one job per checkout session: creates_job is true on at most one row per session (ux_stripe_inbox_session_job).

CREATE TABLE IF NOT EXISTS stripe_inbox
(
    event_id            text        NOT NULL PRIMARY KEY,
    type                text        NOT NULL,
    created             timestamptz NOT NULL,   -- the event's own time (Stripe's "created")
    livemode            boolean     NOT NULL,
    api_version         text        NULL,
    object_id           text        NULL,       -- data.object.id
    checkout_session_id text        NULL,       -- for checkout.session.* events
    source              text        NOT NULL,   -- 'webhook' (a delivery)
    body                bytea       NOT NULL,   -- the verified raw body, as delivered
    received_at         timestamptz NOT NULL DEFAULT now(),
    outcome             text        NOT NULL,
    creates_job         boolean     NOT NULL,
    job_id              text        NULL,       -- the job this event created, or (for a duplicate) the first event's job
    subscription_id     text        NULL,
    duplicate_of        text        NULL,
    work                jsonb       NULL,
    processed_at        timestamptz NULL,
    claimed_until       timestamptz NULL,
    attempts            integer     NOT NULL DEFAULT 0,
    last_error          text        NULL,

    CONSTRAINT ck_stripe_inbox_work CHECK (work IS NOT NULL OR processed_at IS NOT NULL),
    CONSTRAINT ck_stripe_inbox_source CHECK (source IN ('webhook', 'reconciliation'))
);

-- The database's guarantee of one job per paid checkout session.
CREATE UNIQUE INDEX IF NOT EXISTS ux_stripe_inbox_session_job
    ON stripe_inbox (checkout_session_id) WHERE creates_job;

-- The backlog, oldest first: only unprocessed rows are in it, so it stays as small as the backlog.
CREATE INDEX IF NOT EXISTS ix_stripe_inbox_unprocessed
    ON stripe_inbox (received_at, event_id) WHERE processed_at IS NULL;

-- Events recorded before the inbox existed (the former event grain's state, "stripe-event" rows of OrleansStorage, JSON)
-- are copied in as processed, so GET /api/stripe/events and redeliveries still find them. Their raw body was not kept.
-- A row that cannot be read this way is left where it is, with a warning: the copy must never stop a deployment.
DO $$
BEGIN
    INSERT INTO stripe_inbox (event_id, type, created, livemode, source, body, received_at, outcome, creates_job, job_id,
        subscription_id, processed_at, attempts)
    SELECT r ->> 'EventId', r ->> 'Type', (r ->> 'Created')::timestamptz, COALESCE((r ->> 'Livemode')::boolean, false),
        'webhook', '\x'::bytea, (r ->> 'ReceivedAt')::timestamptz, r ->> 'Outcome', false, r ->> 'JobId',
        r ->> 'SubscriptionId', (r ->> 'ReceivedAt')::timestamptz, 1
    FROM (SELECT convert_from(PayloadBinary, 'UTF8')::jsonb -> 'Record' AS r
          FROM OrleansStorage WHERE GrainTypeString = 'stripe-event' AND PayloadBinary IS NOT NULL) recorded
    WHERE jsonb_typeof(r) = 'object' AND r ->> 'EventId' IS NOT NULL
    ON CONFLICT DO NOTHING;
EXCEPTION WHEN others THEN
    RAISE WARNING 'Stripe events recorded before the inbox were not copied into it: %', SQLERRM;
END $$;
