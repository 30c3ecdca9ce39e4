-- 0001: the OrleansQuery table.
--
-- Every Orleans ADO.NET provider (clustering, grain storage, reminders) starts by
-- running `SELECT QueryKey, QueryText FROM OrleansQuery` (storage adds a WHERE on
-- its own keys) and then executes the SQL text stored under each key, binding
-- its parameters by name (@DeploymentId, @GrainIdHash, ...). The later
-- migrations (0002..0004) create the provider tables and insert their rows here.
--
-- Identifiers are deliberately left unquoted: the providers use unquoted names,
-- which PostgreSQL folds to lower case, so the table is `orleansquery` and its
-- columns `querykey` / `querytext` (Npgsql matches column names case-insensitively).
--
-- Applied by the DbUp migrator once, in its own transaction; IF NOT EXISTS only
-- keeps a manual re-run harmless.
--
-- The later scripts quote query texts with plain $$ ... $$. Do not use tagged dollar
-- quotes ($q$ ... $q$) in these files: DbUp reads $name$ as a script variable and
-- fails with "Variable q has no value defined".

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,

    CONSTRAINT pk_orleansquery PRIMARY KEY (QueryKey)
);
