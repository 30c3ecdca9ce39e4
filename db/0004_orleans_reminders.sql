-- 0004: reminders table and queries for Microsoft.Orleans.Reminders.AdoNet 10.4.2.
--
-- How the provider uses them (read from its source, AdoNetReminderTable / RelationalOrleansQueries):
--   * At start-up it loads every row of OrleansQuery and throws "Not all required queries
--     found" unless all seven keys exist: ReadReminderRowsKey, ReadReminderRowKey,
--     ReadRangeRows1Key, ReadRangeRows2Key, UpsertReminderRowKey, DeleteReminderRowKey,
--     DeleteReminderRowsKey.
--   * Parameters: @ServiceId text (ClusterOptions.ServiceId), @GrainId text (GrainId.ToString(),
--     "type/key"), @ReminderName text, @StartTime timestamptz (UTC), @Period int OR bigint
--     (milliseconds; int when it fits), @GrainHash / @BeginHash / @EndHash int (the uint ring
--     hashes cast to signed int), @Version int (the ETag parsed back to a number).
--   * Rows are read by column name: GrainId, ReminderName, StartTime, Period, Version.
--   * Upsert must return the new Version (column "Version", first row); Delete must return
--     one row with one boolean column.
--   * Range reads: the provider asks for the ring range (@BeginHash, @EndHash] (begin
--     excluded, end included). It picks ReadRangeRows1Key when BeginHash < EndHash as
--     SIGNED ints (the range does not wrap in signed order) and ReadRangeRows2Key otherwise
--     (it wraps; BeginHash = EndHash means the whole ring). GrainHash is stored as the same
--     signed int, so plain integer comparisons are right.
--
-- The ETag is Version as text. Upsert ignores ETags (the provider binds none) and always
-- bumps the version; a new row starts at a random version, so an ETag kept from a deleted
-- reminder of the same name is very unlikely to delete its re-registered successor.

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    varchar(150) NOT NULL,
    GrainId      varchar(512) NOT NULL,
    ReminderName varchar(150) NOT NULL,
    StartTime    timestamptz  NOT NULL,
    Period       bigint       NOT NULL,   -- milliseconds
    GrainHash    integer      NOT NULL,
    Version      integer      NOT NULL,

    CONSTRAINT pk_orleansreminderstable PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Each silo reads the reminders of its ring range(s) by hash.
CREATE INDEX IF NOT EXISTS ix_orleansreminderstable_hash
    ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES

-- All reminders of one grain.
('ReadReminderRowsKey', $$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId;
$$),

-- One reminder of one grain (0 or 1 row).
('ReadReminderRowKey', $$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId
  AND ReminderName = @ReminderName;
$$),

-- Ring range that does not wrap in signed order: BeginHash < GrainHash <= EndHash.
('ReadRangeRows1Key', $$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainHash > @BeginHash
  AND GrainHash <= @EndHash;
$$),

-- Ring range that wraps (or the whole ring): GrainHash > BeginHash OR GrainHash <= EndHash.
('ReadRangeRows2Key', $$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
$$),

-- Insert or replace a reminder; returns its new Version. Wraps at 2147483647.
('UpsertReminderRowKey', $$
INSERT INTO OrleansRemindersTable
    (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash,
     1 + floor(random() * 1073741824)::integer)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
SET StartTime = EXCLUDED.StartTime,
    Period = EXCLUDED.Period,
    GrainHash = EXCLUDED.GrainHash,
    Version = CASE WHEN OrleansRemindersTable.Version >= 2147483647 THEN 1
                   ELSE OrleansRemindersTable.Version + 1 END
RETURNING Version;
$$),

-- Delete one reminder if its Version still equals @Version. One boolean: true if deleted.
('DeleteReminderRowKey', $$
WITH deleted AS (
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId
      AND GrainId = @GrainId
      AND ReminderName = @ReminderName
      AND Version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM deleted) AS Deleted;
$$),

-- Delete every reminder of the service (used by tests / TestOnlyClearTable).
('DeleteReminderRowsKey', $$
DELETE FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId;
$$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
