-- 0009: reconciliation with Stripe's Events API (src/Grains/StripeReconciliation).
--
-- stripe_reconciliation holds one row: the checkpoint (events created before it have been listed and reconciled) and,
-- while a pass is unfinished, its window and the id of the last event it reconciled, so the next pass continues after
-- that event instead of starting over. Events are listed newest first; the cursor is Stripe's starting_after.
-- stripe_reconciliation_passes keeps one row per pass for operators (the dashboard, GET /api/stripe/reconciliation).

CREATE TABLE IF NOT EXISTS stripe_reconciliation
(
    id              smallint    NOT NULL PRIMARY KEY DEFAULT 1,
    checkpoint      timestamptz NULL,
    pending_since   timestamptz NULL,   -- the unfinished pass's window: created >= pending_since
    pending_until   timestamptz NULL,   --                                 and <= pending_until
    pending_cursor  text        NULL,   -- the last event it reconciled (listing resumes after it)
    endpoint_status text        NULL,   -- the webhook endpoint's status as last read ('enabled', 'disabled')
    updated_at      timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT ck_stripe_reconciliation_one_row CHECK (id = 1),
    CONSTRAINT ck_stripe_reconciliation_pending CHECK ((pending_since IS NULL) = (pending_until IS NULL))
);

INSERT INTO stripe_reconciliation (id) VALUES (1) ON CONFLICT DO NOTHING;

CREATE TABLE IF NOT EXISTS stripe_reconciliation_passes
(
    pass_id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz NULL,
    trigger         text        NOT NULL,   -- 'reminder', 'operator', 'retry'
    since           timestamptz NOT NULL,
    until           timestamptz NOT NULL,
    listed          integer     NOT NULL DEFAULT 0,
    already_present integer     NOT NULL DEFAULT 0,
    recovered       integer     NOT NULL DEFAULT 0,
    resumed         boolean     NOT NULL DEFAULT false,
    endpoint_status text        NULL,
    error           text        NULL,
    retry_after     interval    NULL
);

CREATE INDEX IF NOT EXISTS ix_stripe_reconciliation_passes_started ON stripe_reconciliation_passes (started_at DESC);
