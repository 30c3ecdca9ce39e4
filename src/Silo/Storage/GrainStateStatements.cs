using Npgsql;
using NpgsqlTypes;

namespace Provisioning.Silo.Storage;

/// <summary>
/// The statements on <c>OrleansStorage</c>, with the semantics of db/0003's queries for Orleans' ADO.NET grain storage:
/// a row per (service, state name, grain key), a version that is the ETag, bumped on every change and wrapping at
/// <see cref="int.MaxValue"/>, and a first version picked at random.
/// </summary>
internal static class GrainStateStatements
{
    public const string Table = "OrleansStorage";

    private const string Key = """
        GrainIdHash = $1 AND GrainTypeHash = $2 AND ServiceId = $3 AND GrainTypeString = $4
          AND GrainIdN0 = $5 AND GrainIdN1 = $6 AND GrainIdExtensionString IS NOT DISTINCT FROM $7
        """;

    private const string NextVersion = "CASE WHEN Version >= 2147483647 THEN 1 ELSE Version + 1 END";

    private const string ReadSql = $"SELECT PayloadBinary, Version FROM OrleansStorage WHERE {Key}";

    // $8: the version the caller last saw (NULL for a first write); $9: the payload. A first write inserts, unless the
    // row exists; a later one updates, unless the stored version moved on. Either way a conflict returns no row.
    private const string WriteSql = $"""
        WITH updated AS (
            UPDATE OrleansStorage SET PayloadBinary = $9, ModifiedOn = now(), Version = {NextVersion}
            WHERE $8::integer IS NOT NULL AND Version = $8 AND {Key}
            RETURNING Version
        ), inserted AS (
            INSERT INTO OrleansStorage (GrainIdHash, GrainTypeHash, ServiceId, GrainTypeString, GrainIdN0, GrainIdN1,
                                        GrainIdExtensionString, PayloadBinary, ModifiedOn, Version)
            SELECT $1, $2, $3, $4, $5, $6, $7, $9, now(), 1 + floor(random() * 1073741824)::integer
            WHERE $8::integer IS NULL
            ON CONFLICT DO NOTHING
            RETURNING Version
        )
        SELECT Version FROM updated UNION ALL SELECT Version FROM inserted
        """;

    // Drops the payload; the row and its version stay, so a stale ETag still conflicts afterwards.
    private const string ClearSql = $"""
        UPDATE OrleansStorage SET PayloadBinary = NULL, ModifiedOn = now(), Version = {NextVersion}
        WHERE Version = $8 AND {Key}
        RETURNING Version
        """;

    public static NpgsqlBatchCommand Read(string serviceId, GrainStorageKey key) => Keyed(ReadSql, serviceId, key);

    public static NpgsqlBatchCommand Write(string serviceId, GrainStorageKey key, int? expectedVersion, byte[] payload)
    {
        var command = Keyed(WriteSql, serviceId, key);
        command.Parameters.Add(Version(expectedVersion));
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = payload });
        return command;
    }

    public static NpgsqlBatchCommand Clear(string serviceId, GrainStorageKey key, int expectedVersion)
    {
        var command = Keyed(ClearSql, serviceId, key);
        command.Parameters.Add(Version(expectedVersion));
        return command;
    }

    private static NpgsqlParameter Version(int? version) =>
        new() { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)version ?? DBNull.Value };

    private static NpgsqlBatchCommand Keyed(string sql, string serviceId, GrainStorageKey key)
    {
        var command = new NpgsqlBatchCommand(sql);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<int> { TypedValue = key.GrainIdHash });
        p.Add(new NpgsqlParameter<int> { TypedValue = key.GrainTypeHash });
        p.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        p.Add(new NpgsqlParameter<string> { TypedValue = key.StateName });
        p.Add(new NpgsqlParameter<long> { TypedValue = key.N0 });
        p.Add(new NpgsqlParameter<long> { TypedValue = key.N1 });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)key.Extension ?? DBNull.Value });
        return command;
    }
}
