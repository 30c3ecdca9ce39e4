-- 0002: membership (clustering) tables and queries for Microsoft.Orleans.Clustering.AdoNet 10.4.2.
--
-- How the provider uses them (read from its source, RelationalOrleansQueries / DbStoredQueries):
--   * At start-up it loads every row of OrleansQuery and throws "Not all required queries
--     found" unless all nine keys below exist: InsertMembershipVersionKey, UpdateIAmAlivetimeKey,
--     InsertMembershipKey, UpdateMembershipKey, MembershipReadRowKey, MembershipReadAllKey,
--     DeleteMembershipTableEntriesKey, GatewaysQueryKey, CleanupDefunctSiloEntriesKey.
--     A tenth key, CleanupDefunctSiloEntryKey, is optional: when present the provider reads
--     the whole table and deletes each expired Dead silo with it (compare-and-delete on the
--     values it read) instead of running CleanupDefunctSiloEntriesKey. We provide both.
--   * @DeploymentId is ClusterOptions.ClusterId. A silo address is bound as @Address
--     (IP text), @Port and @Generation (int). Times are bound as DbType.DateTime, which
--     Npgsql sends as timestamptz (UTC DateTime values), hence the timestamptz columns.
--   * The table version is an int. Its ETag is the same number as text; Insert/Update
--     pass the ETag they last read as @Version. A write must succeed only if the stored
--     version still equals @Version, and then bump it by one, atomically with the row
--     change. Insert/Update/InsertVersion must return exactly one row with ONE boolean
--     column (the provider checks FieldCount == 1 and takes the first row).
--   * Read queries must always return the version row (even with no silo rows): the
--     provider takes the version from the first row and ignores a silo whose StartTime is NULL.
--     Columns read by name: Address, Port, Generation, SiloName, HostName, Status, ProxyPort,
--     SuspectTimes, StartTime, IAmAliveTime, Version. SiloName, HostName, ProxyPort and the
--     times are read without a NULL check, so they are NOT NULL here.
--   * SuspectTimes is the provider's own text format "silo,date|silo,date".

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150) NOT NULL,
    Timestamp    timestamptz  NOT NULL DEFAULT now(),   -- last change, for humans only
    Version      integer      NOT NULL DEFAULT 0,

    CONSTRAINT pk_orleansmembershipversiontable PRIMARY KEY (DeploymentId)
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150) NOT NULL,
    Address      varchar(45)  NOT NULL,   -- textual IPv4 / IPv6
    Port         integer      NOT NULL,
    Generation   integer      NOT NULL,
    SiloName     varchar(150) NOT NULL,
    HostName     varchar(150) NOT NULL,
    Status       integer      NOT NULL,   -- Orleans SiloStatus: 3 = Active, 6 = Dead
    ProxyPort    integer      NOT NULL,   -- gateway port, 0 when the silo is no gateway
    SuspectTimes text         NULL,
    StartTime    timestamptz  NOT NULL,
    IAmAliveTime timestamptz  NOT NULL,

    CONSTRAINT pk_orleansmembershiptable PRIMARY KEY (DeploymentId, Address, Port, Generation),
    -- Silo rows belong to their cluster's version row; deleting a cluster removes them.
    CONSTRAINT fk_orleansmembershiptable_version FOREIGN KEY (DeploymentId)
        REFERENCES OrleansMembershipVersionTable (DeploymentId) ON DELETE CASCADE
);

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES

-- Called by every silo at start-up. Creates the cluster's version row (Version 0) if it
-- does not exist yet. Returns one boolean: true if this call created it.
('InsertMembershipVersionKey', $$
WITH created AS (
    INSERT INTO OrleansMembershipVersionTable (DeploymentId, Timestamp, Version)
    VALUES (@DeploymentId, now(), 0)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created) AS Inserted;
$$),

-- Heartbeat of a silo. Not versioned (the provider ignores the result). GREATEST keeps
-- the time from moving backwards if an older heartbeat lands after a newer one.
('UpdateIAmAlivetimeKey', $$
UPDATE OrleansMembershipTable
SET IAmAliveTime = GREATEST(IAmAliveTime, @IAmAliveTime)
WHERE DeploymentId = @DeploymentId
  AND Address = @Address
  AND Port = @Port
  AND Generation = @Generation;
$$),

-- Adds a silo row, only if the table version is still @Version and the silo row does not
-- exist yet; bumps the version in the same statement. The version row is updated first,
-- so concurrent writers serialise on its row lock and the loser re-checks Version and
-- gets false. Returns one boolean: true if the row was inserted.
('InsertMembershipKey', $$
WITH bumped AS (
    UPDATE OrleansMembershipVersionTable v
    SET Version = v.Version + 1,
        Timestamp = now()
    WHERE v.DeploymentId = @DeploymentId
      AND v.Version = @Version
      AND NOT EXISTS (
          SELECT 1
          FROM OrleansMembershipTable m
          WHERE m.DeploymentId = @DeploymentId
            AND m.Address = @Address
            AND m.Port = @Port
            AND m.Generation = @Generation)
    RETURNING v.DeploymentId
), inserted AS (
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName,
         Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime)
    SELECT b.DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
           @Status, @ProxyPort, NULL, @StartTime, @IAmAliveTime
    FROM bumped b
    ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM inserted) AS Inserted;
$$),

-- Changes a silo's status / suspicion votes, only if the table version is still @Version
-- and the silo row exists; bumps the version in the same statement. IAmAliveTime never
-- moves backwards (the caller may hold an older copy than the silo's last heartbeat).
-- Returns one boolean: true if the row was updated.
('UpdateMembershipKey', $$
WITH bumped AS (
    UPDATE OrleansMembershipVersionTable v
    SET Version = v.Version + 1,
        Timestamp = now()
    WHERE v.DeploymentId = @DeploymentId
      AND v.Version = @Version
      AND EXISTS (
          SELECT 1
          FROM OrleansMembershipTable m
          WHERE m.DeploymentId = @DeploymentId
            AND m.Address = @Address
            AND m.Port = @Port
            AND m.Generation = @Generation)
    RETURNING v.DeploymentId
), updated AS (
    UPDATE OrleansMembershipTable m
    SET Status = @Status,
        SuspectTimes = @SuspectTimes,
        IAmAliveTime = GREATEST(m.IAmAliveTime, @IAmAliveTime)
    FROM bumped b
    WHERE m.DeploymentId = b.DeploymentId
      AND m.Address = @Address
      AND m.Port = @Port
      AND m.Generation = @Generation
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM updated) AS Updated;
$$),

-- One silo plus the table version. Returns the version row alone (silo columns NULL)
-- when the silo is unknown; returns nothing only if the cluster has no version row.
('MembershipReadRowKey', $$
SELECT v.DeploymentId,
       m.Address, m.Port, m.Generation, m.SiloName, m.HostName,
       m.Status, m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime,
       v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m
       ON m.DeploymentId = v.DeploymentId
      AND m.Address = @Address
      AND m.Port = @Port
      AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId;
$$),

-- All silos of the cluster plus the table version, read in one snapshot.
('MembershipReadAllKey', $$
SELECT v.DeploymentId,
       m.Address, m.Port, m.Generation, m.SiloName, m.HostName,
       m.Status, m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime,
       v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m
       ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId;
$$),

-- Removes a whole cluster (its silo rows go with it through ON DELETE CASCADE).
('DeleteMembershipTableEntriesKey', $$
DELETE FROM OrleansMembershipVersionTable
WHERE DeploymentId = @DeploymentId;
$$),

-- Gateways for clients: Active silos (@Status = 3) that listen for clients.
-- Columns read: Address, ProxyPort, Generation.
('GatewaysQueryKey', $$
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status = @Status
  AND ProxyPort > 0;
$$),

-- Bulk clean-up of Dead silos (Status 6) not alive and not started since @IAmAliveTime
-- (the cut-off date). Only used by the provider when CleanupDefunctSiloEntryKey is absent.
-- Dead is a final state, so deleting such a row cannot lose a live silo.
('CleanupDefunctSiloEntriesKey', $$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status = 6
  AND IAmAliveTime < @IAmAliveTime
  AND StartTime < @IAmAliveTime;
$$),

-- Per-silo clean-up (optional key, preferred by the provider when present): deletes one
-- Dead silo only if it still holds exactly the values the provider read and judged expired.
('CleanupDefunctSiloEntryKey', $$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Address = @Address
  AND Port = @Port
  AND Generation = @Generation
  AND Status = 6
  AND StartTime = @StartTime
  AND IAmAliveTime = @IAmAliveTime
  AND COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '');
$$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
