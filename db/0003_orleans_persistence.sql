-- 0003: grain state table and queries for Microsoft.Orleans.Persistence.AdoNet 10.4.2.
--
-- How the provider uses them (read from its source, AdoNetGrainStorage):
--   * At start-up it runs
--       SELECT QueryKey, QueryText FROM OrleansQuery WHERE QueryKey = 'WriteToStorageKey'
--         OR QueryKey = 'ReadFromStorageKey' OR QueryKey = 'ClearStorageKey' OR QueryKey = 'DeleteStorageKey'
--     WriteToStorageKey, ReadFromStorageKey and ClearStorageKey are required (start-up fails
--     without them). DeleteStorageKey is optional, but without it a provider configured with
--     DeleteStateOnClear = true refuses to start; we provide it.
--   * Every query binds the grain key as:
--       @GrainIdHash int, @GrainTypeHash int   hashes computed by the provider (its HashPicker)
--       @GrainIdN0 bigint, @GrainIdN1 bigint   Guid key halves, or N1 = long key, or 0/0 for string keys
--       @GrainIdExtensionString text           key extension, or the whole string key; may be NULL
--       @GrainTypeString text                  what Orleans passes as "grain type": the STATE NAME
--       @ServiceId text                        ClusterOptions.ServiceId
--     Write / Clear / Delete also bind @GrainStateVersion int (NULL when the grain has no
--     ETag yet) and Write binds @PayloadBinary bytea (the serialized state).
--   * The ETag is Version as text. The provider raises InconsistentStateException when the
--     returned version is missing (no row), NULL, or equal to the ETag it sent. So every
--     guarded write below returns no row when the stored version does not match.
--   * A read that finds a row with a NULL payload reports "record does not exist" but keeps
--     the row's Version as ETag: that is what ClearStorageKey leaves behind.
--
-- Identity of a row: (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString),
-- enforced by a unique constraint (NULLS NOT DISTINCT, PostgreSQL 15+, because the extension
-- is NULL for plain long / Guid keys). It makes two concurrent first writes impossible:
-- the second insert hits the constraint, returns no row and Orleans raises the conflict.
-- Lookups go through the narrow (GrainIdHash, GrainTypeHash) index and then compare the
-- full key, so hash collisions are harmless.
--
-- New rows start at a random version (not 1), so an ETag kept from a deleted incarnation of
-- the same grain state is very unlikely to match a re-created row.

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer      NOT NULL,
    GrainIdN0              bigint       NOT NULL,
    GrainIdN1              bigint       NOT NULL,
    GrainTypeHash          integer      NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdExtensionString varchar(512) NULL,
    ServiceId              varchar(150) NOT NULL,
    PayloadBinary          bytea        NULL,      -- NULL after ClearState
    ModifiedOn             timestamptz  NOT NULL DEFAULT now(),
    Version                integer      NOT NULL,

    CONSTRAINT uq_orleansstorage_grain UNIQUE NULLS NOT DISTINCT
        (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString)
);

CREATE INDEX IF NOT EXISTS ix_orleansstorage_hashes
    ON OrleansStorage (GrainIdHash, GrainTypeHash);

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES

-- Returns 0 or 1 row: PayloadBinary (bytea, NULL after a clear) and Version.
('ReadFromStorageKey', $$
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND ServiceId = @ServiceId
  AND GrainTypeString = @GrainTypeString
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString;
$$),

-- Returns NewGrainStateVersion.
--   @GrainStateVersion IS NULL     -> first write: insert; if the row already exists
--                                     (someone else wrote first) nothing is returned.
--   @GrainStateVersion IS NOT NULL -> update only if the stored Version still equals it;
--                                     a stale ETag (or a deleted row) returns nothing.
-- The version wraps from 2147483647 to 1 instead of overflowing.
('WriteToStorageKey', $$
WITH updated AS (
    UPDATE OrleansStorage
    SET PayloadBinary = @PayloadBinary,
        ModifiedOn = now(),
        Version = CASE WHEN Version >= 2147483647 THEN 1 ELSE Version + 1 END
    WHERE @GrainStateVersion IS NOT NULL
      AND Version = @GrainStateVersion
      AND GrainIdHash = @GrainIdHash
      AND GrainTypeHash = @GrainTypeHash
      AND ServiceId = @ServiceId
      AND GrainTypeString = @GrainTypeString
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
    RETURNING Version
), inserted AS (
    INSERT INTO OrleansStorage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
         GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
           @GrainIdExtensionString, @ServiceId, @PayloadBinary, now(),
           1 + floor(random() * 1073741824)::integer
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING Version
)
SELECT Version AS NewGrainStateVersion FROM updated
UNION ALL
SELECT Version AS NewGrainStateVersion FROM inserted;
$$),

-- ClearState when DeleteStateOnClear = false (the default): keeps the row, drops the
-- payload and bumps the version, if the stored Version equals @GrainStateVersion.
-- Returns the new version as the first column, or no row on a stale ETag.
('ClearStorageKey', $$
UPDATE OrleansStorage
SET PayloadBinary = NULL,
    ModifiedOn = now(),
    Version = CASE WHEN Version >= 2147483647 THEN 1 ELSE Version + 1 END
WHERE Version = @GrainStateVersion
  AND GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND ServiceId = @ServiceId
  AND GrainTypeString = @GrainTypeString
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
RETURNING Version AS NewGrainStateVersion;
$$),

-- ClearState when DeleteStateOnClear = true: deletes the row if the stored Version equals
-- @GrainStateVersion. The provider only needs a first column that differs from the ETag it
-- sent (it then sets the ETag to NULL), so it returns the next version number; a stale
-- ETag returns no row.
('DeleteStorageKey', $$
DELETE FROM OrleansStorage
WHERE Version = @GrainStateVersion
  AND GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND ServiceId = @ServiceId
  AND GrainTypeString = @GrainTypeString
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
RETURNING CASE WHEN Version >= 2147483647 THEN 1 ELSE Version + 1 END AS DeletedVersion;
$$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
