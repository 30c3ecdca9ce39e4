using Provisioning.Grains.Batching;
using System.Globalization;
using Npgsql;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Provisioning.Silo.Storage;

/// <summary>
/// Grain state in PostgreSQL's <c>OrleansStorage</c> table, with the identity, versioning and payload format of Orleans'
/// ADO.NET grain storage (db/0003 describes them), but with the round trips of concurrent grains shared through
/// <see cref="SharedRoundTrips"/>: the calls that arrive while a round trip is in flight go together in the next one, in
/// one transaction and one commit, and each waits for its own result. A lone call goes at once. The ETag is the row's
/// version as text: a write with a stale ETag, or a first write for a row that exists, changes nothing and raises
/// <see cref="InconsistentStateException"/>.
/// </summary>
public sealed partial class PostgresGrainStorage(
    string name,
    string serviceId,
    SharedRoundTrips roundTrips,
    IGrainStorageSerializer serializer,
    IActivatorProvider activators,
    ILogger<PostgresGrainStorage> logger) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = GrainStorageKey.From(stateName, grainId);
        var stored = await LoggedAsync("read", key, () => roundTrips.FirstRowAsync(
            "read", GrainStateStatements.Table, () => GrainStateStatements.Read(serviceId, key),
            reader => new StoredState(reader.IsDBNull(0) ? null : reader.GetFieldValue<byte[]>(0), reader.GetInt32(1))));

        grainState.State = stored?.Payload is { } payload
            ? serializer.Deserialize<T>(new BinaryData(payload))
            : activators.GetActivator<T>().Create();
        grainState.ETag = stored?.Version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = stored is not null;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = GrainStorageKey.From(stateName, grainId);
        var payload = serializer.Serialize(grainState.State).ToArray();
        var version = await ChangeAsync("write", key, grainState.ETag, v => GrainStateStatements.Write(serviceId, key, v, payload));
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = GrainStorageKey.From(stateName, grainId);
        if (grainState.ETag is null)
        {
            await ReadStateAsync(stateName, grainId, grainState);
            if (grainState.ETag is null)
            {
                return; // Nothing stored: nothing to clear.
            }
        }

        var version = await ChangeAsync("clear", key, grainState.ETag, v => GrainStateStatements.Clear(serviceId, key, v!.Value));
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = false;
        grainState.State = activators.GetActivator<T>().Create();
    }

    /// <summary>Runs a change guarded by the caller's ETag; the new version, or <see cref="InconsistentStateException"/>.</summary>
    private async Task<int> ChangeAsync(string operation, GrainStorageKey key, string? etag, Func<int?, NpgsqlBatchCommand> change)
    {
        int? expected = etag is null ? null : int.Parse(etag, CultureInfo.InvariantCulture);
        var version = await LoggedAsync(operation, key, () => roundTrips.FirstRowAsync<int?>(
            operation, GrainStateStatements.Table, () => change(expected), reader => reader.GetInt32(0)));

        return version ?? throw new InconsistentStateException(
            $"Version conflict ({operation}): storage {name}, state {key}, ETag {etag ?? "none"}: the stored version differs " +
            "(another activation wrote it, or it was never written)", storedEtag: "unknown", currentEtag: etag ?? "none");
    }

    /// <summary>Runs a storage call, logging (and rethrowing) its failure with the storage and state it concerned.</summary>
    private async Task<T> LoggedAsync<T>(string operation, GrainStorageKey key, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex, operation, name, key.ToString());
            throw;
        }
    }

    [LoggerMessage(EventId = 2401, Level = LogLevel.Error, Message = "Grain storage {Storage}: {Operation} of {State} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string operation, string storage, string state);
}

/// <summary>A stored grain state: its serialized payload (null after a clear) and version.</summary>
public sealed record StoredState(byte[]? Payload, int Version);
