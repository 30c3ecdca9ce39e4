using System.Net;
using Provisioning.Jobs;
using Provisioning.Migrator;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Webhooks;

/// <summary>
/// With PostgreSQL down the webhook never acknowledges an event it could not make durable: it answers 503 with
/// <c>Retry-After</c>, and Stripe's redelivery after PostgreSQL is back is stored and processed exactly once.
/// </summary>
public sealed class StripeWebhookStorageOutageTests
{
    [Fact]
    public async Task Webhook_PostgresStoppedThenRestarted_Answers503ThenProcessesRedeliveryOnce()
    {
        await using var server = await PostgresServer.StartNewAsync();
        var database = await TestPostgres.CreateDatabaseOnAsync(server.AdminConnectionString, "outage");
        await DatabaseMigrator.MigrateAsync(database);
        await using var cluster = new ProcessCluster(database);
        await cluster.StartSiloAsync("silo-1");
        var (gateway, url) = await cluster.StartGatewayAsync();
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
        await Eventually.UntilAsync(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "/readyz 200 with the database up");
        // Connected while PostgreSQL is up: the client reads the gateway list from the database once, then talks to the silo.
        var client = await cluster.ConnectClientAsync();
        var user = StripeEventFactory.NewId("user");
        var checkout = StripeEventFactory.CheckoutCompleted(user, StripeEventFactory.NewId("agent"));

        await server.StopAsync();
        var refused = await http.DeliverAsync(checkout);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal("application/problem+json", refused.MediaType);
        Assert.Equal("unavailable", refused.Reason);
        Assert.True(refused.RetryAfter > TimeSpan.Zero, $"Retry-After: {refused.RetryAfter}");

        await server.StartAsync();
        var accepted = await Eventually.UntilAsync(() => http.DeliverAsync(checkout), a => a.Status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(90), "the redelivered event to be accepted once PostgreSQL is back", TimeSpan.FromSeconds(1));

        Assert.Equal(("job-created", checkout.Id), (accepted.Outcome, accepted.JobId));
        var again = await http.DeliverAsync(checkout);
        Assert.Equal((HttpStatusCode.OK, true), (again.Status, again.Duplicate));
        // A 200 means stored: the job follows from the stored event.
        await http.UntilProcessedAsync(checkout.Id);
        var job = await client.GetGrain<IProvisioningJobGrain>(checkout.Id).GetAsync();
        Assert.NotNull(job);
        var creation = Assert.Single(job.History, h => h.From is null);
        Assert.Equal(JobStatus.Queued, creation.To);
        Assert.False(gateway.HasExited);
    }
}
