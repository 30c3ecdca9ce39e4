using System.Net;
using Npgsql;
using Provisioning.Tests.Infrastructure;
using Provisioning.Tests.Webhooks;

namespace Provisioning.Tests.Security;

/// <summary>
/// The gateway's listings read through a pool of their own (<c>Gateway:ReadPoolSize</c>, 4 by default): many slow list
/// requests at once (here stuck behind a lock on <c>jobs</c>, the statement timeout raised so that they stay stuck) hold at
/// most that many connections, while <c>/readyz</c> and a Stripe delivery still answer.
/// </summary>
public sealed class ReadPoolTests : IAsyncLifetime
{
    private const int SlowReads = 40;

    private readonly TestSystem _system = new() { GatewaySettings = { ["Gateway__StatementTimeout"] = "00:00:30" } };

    public Task InitializeAsync() => _system.InitializeAsync();

    public Task DisposeAsync() => _system.DisposeAsync();

    [Fact]
    public async Task ManySlowListReads_HoldOnlyTheReadPool_ReadinessAndStripeStillAnswer()
    {
        await using var lockHolder = new NpgsqlConnection(_system.ConnectionString);
        await lockHolder.OpenAsync();
        var transaction = await lockHolder.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE", lockHolder, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        using var http = new HttpClient { BaseAddress = _system.GatewayUrl, Timeout = TimeSpan.FromSeconds(90) };
        var reads = Enumerable.Range(0, SlowReads).Select(_ => http.GetAsync("/api/jobs?limit=1")).ToList();
        try
        {
            var stuck = await Eventually.UntilAsync(StuckReadsAsync, n => n >= 4, TimeSpan.FromSeconds(30), "the read pool's connections stuck behind the lock");

            using var ready = await http.GetAsync("/readyz");
            var checkout = StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), StripeEventFactory.NewId("agent"), "eu-west");
            var delivery = await _system.Http.DeliverAsync(checkout);

            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal(HttpStatusCode.OK, delivery.Status);
            Assert.Equal(4, stuck);
            Assert.Equal(4, await StuckReadsAsync());
            Assert.DoesNotContain(reads, r => r.IsCompleted);
        }
        finally
        {
            await transaction.RollbackAsync();
        }

        // Once the lock is gone, every read is served (or, had it waited too long for a connection, told to come back).
        foreach (var read in reads)
        {
            using var answer = await read;
            Assert.True(answer.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{(int)answer.StatusCode}");
            if (answer.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                Assert.NotNull(answer.Headers.RetryAfter);
            }
        }

        Assert.Contains(reads, r => r.Result.StatusCode == HttpStatusCode.OK);
    }

    /// <summary>How many of the gateway's list statements wait on the lock right now.</summary>
    private async Task<long> StuckReadsAsync()
    {
        await using var connection = new NpgsqlConnection(_system.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'SELECT job_id, stripe_event_id%'",
            connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
