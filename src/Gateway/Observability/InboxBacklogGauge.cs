using System.Diagnostics.Metrics;
using Npgsql;
using Provisioning.Gateway.Api;
using Provisioning.ServiceDefaults.Telemetry;

namespace Provisioning.Gateway.Observability;

/// <summary>
/// <c>provisioning.stripe.inbox.backlog</c> and <c>provisioning.stripe.inbox.oldest_age</c>: Stripe events stored in the
/// inbox but not processed yet, and how long the oldest has waited, read (by the database's clock) when a collection asks
/// and the last reading is older than <see cref="JobStatusGauge.CacheFor"/>. Only the gateway reports them, so the
/// backlog is counted once however many silos share it.
/// </summary>
public sealed class InboxBacklogGauge
{
    public const string Sql = """
        SELECT count(*), COALESCE(extract(epoch FROM now() - min(received_at)), 0)::float8
        FROM stripe_inbox WHERE processed_at IS NULL
        """;

    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(2);

    private readonly CachedReading<Reading> _backlog;

    public InboxBacklogGauge(IMeterFactory meters, [FromKeyedServices(GatewayReadPool.Key)] NpgsqlDataSource dataSource, TimeProvider time, ILogger<InboxBacklogGauge> logger)
    {
        _backlog = new(() => Read(dataSource), JobStatusGauge.CacheFor, time, reason => ObservabilityLog.InboxBacklogUnavailable(logger, reason));
        var meter = meters.Create(ProvisioningTelemetry.Name);
        meter.CreateObservableGauge(
            "provisioning.stripe.inbox.backlog", () => ObserveOrNone(r => r.Events), "{event}", "Stripe events stored but not processed yet.");
        meter.CreateObservableGauge(
            "provisioning.stripe.inbox.oldest_age", () => ObserveOrNone(r => r.OldestAgeSeconds), "s",
            "How long the oldest Stripe event stored but not processed yet has waited.");
    }

    private IEnumerable<Measurement<double>> ObserveOrNone(Func<Reading, double> figure) =>
        _backlog.Current() is { } reading ? [new Measurement<double>(figure(reading))] : [];

    private static Reading Read(NpgsqlDataSource dataSource)
    {
        using var command = dataSource.CreateCommand(Sql);
        command.CommandTimeout = (int)Math.Ceiling(QueryTimeout.TotalSeconds);
        using var reader = command.ExecuteReader();
        reader.Read();
        return new Reading(reader.GetInt64(0), reader.GetDouble(1));
    }

    private sealed record Reading(long Events, double OldestAgeSeconds);
}
