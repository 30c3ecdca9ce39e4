using System.Diagnostics;
using Npgsql;
using Provisioning.Diagnostics;

namespace Provisioning.Gateway.Health;

/// <summary>
/// Checks, concurrently and within <see cref="Timeout"/>, that a grain call goes through the cluster
/// and that PostgreSQL answers a query.
/// </summary>
public sealed class ReadinessProbe(IClusterClient cluster, NpgsqlDataSource database)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>The <c>error</c> of a check that failed with an error rather than by timing out.</summary>
    public const string FailedError = "failed";

    public async Task<ReadinessReport> CheckAsync(CancellationToken cancellationToken)
    {
        var clusterCheck = TimedAsync(ct => cluster.GetGrain<IClusterProbeGrain>(0).PingAsync().WaitAsync(ct), cancellationToken);
        var databaseCheck = TimedAsync(async ct =>
        {
            await using var command = database.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(ct);
        }, cancellationToken);

        var checks = new Dictionary<string, ReadinessCheck>
        {
            ["cluster"] = await clusterCheck,
            ["database"] = await databaseCheck,
        };
        var ready = checks.Values.All(c => c.Ok);
        return new ReadinessReport(ready ? "ready" : "unavailable", checks);
    }

    private static async Task<ReadinessCheck> TimedAsync(Func<CancellationToken, Task> check, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            await check(deadline.Token);
            return new ReadinessCheck(true, clock.Elapsed.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new ReadinessCheck(false, clock.Elapsed.TotalMilliseconds, $"no answer within {Timeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is NpgsqlException or OrleansException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException
                                   || ClusterClientExtensions.IsNoSiloReachedYet(ex))
        {
            // /readyz is open to anyone: it names the check that failed, never the exception's text (hosts, users, queries).
            return new ReadinessCheck(false, clock.Elapsed.TotalMilliseconds, FailedError);
        }
    }
}
