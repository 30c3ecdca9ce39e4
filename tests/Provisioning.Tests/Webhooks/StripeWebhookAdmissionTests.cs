using System.Net;
using Npgsql;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Webhooks;

/// <summary>
/// A gateway that admits one delivery at a time and queues none: while a verified delivery is being recorded (its write
/// held up by a lock on the inbox table), the next one is refused at once with 503, <c>Retry-After</c> and reason
/// <c>overloaded</c>, and records nothing; once the place is free, deliveries are recorded again, the refused one included.
/// </summary>
public sealed class StripeWebhookAdmissionTests(TestSystem system) : IClassFixture<TestSystem>
{
    [Fact]
    public async Task Delivery_WhileTheOnlyPlaceIsTaken_IsRefusedAtOnceAndAcceptedLater()
    {
        var (gateway, url) = await system.Cluster.StartGatewayAsync(new Dictionary<string, string?>
        {
            ["Stripe__MaxConcurrentDeliveries"] = "1",
            ["Stripe__MaxQueuedDeliveries"] = "0",
        });
        try
        {
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
            var held = StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), StripeEventFactory.NewId("agent"));
            var refused = StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), StripeEventFactory.NewId("agent"));
            Task<WebhookAnswer> heldAnswer;
            await using (var stall = await TableLock.TakeAsync(system.ConnectionString, "stripe_inbox"))
            {
                heldAnswer = http.SendWebhookAsync(held.ToRequest());
                // The held delivery has its place once its write waits for the lock.
                await Eventually.UntilAsync(() => WaitingWritesAsync(), n => n > 0, TimeSpan.FromSeconds(30), "a write waiting on stripe_inbox");

                var answer = await http.SendWebhookAsync(refused.ToRequest());
                Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
                Assert.Equal("overloaded", answer.Reason);
                Assert.Equal(TimeSpan.FromSeconds(2), answer.RetryAfter);
                Assert.Equal("application/problem+json", answer.MediaType);
                var metrics = await http.GetStringAsync("/metrics");
                Assert.Contains(metrics.Split('\n'), line =>
                    line.StartsWith("provisioning_webhooks_total{", StringComparison.Ordinal)
                    && line.Contains("outcome=\"overloaded\"", StringComparison.Ordinal)
                    && line.Split(' ')[1] == "1");
            }

            Assert.Equal(HttpStatusCode.OK, (await heldAnswer.WaitAsync(TimeSpan.FromSeconds(60))).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/jobs/{refused.Id}")).StatusCode);
            var again = await http.SendWebhookAsync(refused.ToRequest());
            Assert.Equal((HttpStatusCode.OK, "job-created"), (again.Status, again.Outcome));
        }
        finally
        {
            await gateway.TerminateAsync(TimeSpan.FromSeconds(30));
        }
    }

    private async Task<long> WaitingWritesAsync()
    {
        await using var connection = new NpgsqlConnection(system.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'stripe_inbox'::regclass", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
