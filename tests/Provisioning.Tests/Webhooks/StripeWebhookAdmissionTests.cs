using System.Net;
using System.Text;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Webhooks;

/// <summary>
/// A gateway that admits one delivery at a time and queues none: while a delivery is in progress (its body still
/// arriving), the next one is refused at once with 503, <c>Retry-After</c> and reason <c>overloaded</c>, and records
/// nothing; once the place is free, deliveries are recorded again, the refused one included.
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
            var slow = StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), StripeEventFactory.NewId("agent"));
            var refused = StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), StripeEventFactory.NewId("agent"));
            var body = new HeldBody(Encoding.UTF8.GetBytes(slow.Json)) { Headers = { ContentType = new("application/json") } };
            using var slowRequest = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/stripe") { Content = body };
            slowRequest.Headers.TryAddWithoutValidation("Stripe-Signature", StripeEventFactory.Sign(slow.Json));
            // With "Expect: 100-continue" the body goes out only once the gateway starts reading it, which it does only
            // after admitting the delivery: the first byte sent means the delivery holds the only place.
            slowRequest.Headers.ExpectContinue = true;
            using var slowHttp = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(60) })
            {
                BaseAddress = url,
                Timeout = TimeSpan.FromSeconds(60),
            };
            var slowAnswer = slowHttp.SendAsync(slowRequest);
            await body.FirstBytesSent.WaitAsync(TimeSpan.FromSeconds(30));

            // The slow delivery keeps its place until its body is complete and recorded.
            var answer = await http.SendWebhookAsync(refused.ToRequest());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
            Assert.Equal("overloaded", answer.Reason);
            Assert.Equal(TimeSpan.FromSeconds(2), answer.RetryAfter);
            Assert.Equal("application/problem+json", answer.MediaType);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/jobs/{refused.Id}")).StatusCode);
            var metrics = await http.GetStringAsync("/metrics");
            Assert.Contains(metrics.Split('\n'), line =>
                line.StartsWith("provisioning_webhooks_total{", StringComparison.Ordinal)
                && line.Contains("outcome=\"overloaded\"", StringComparison.Ordinal)
                && line.Split(' ')[1] == "1");

            body.Release();
            using (var completed = await slowAnswer.WaitAsync(TimeSpan.FromSeconds(60)))
            {
                Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
            }

            var again = await http.SendWebhookAsync(refused.ToRequest());
            Assert.Equal((HttpStatusCode.OK, "job-created"), (again.Status, again.Outcome));
        }
        finally
        {
            await gateway.TerminateAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>A JSON body sent in two parts: the first byte at once, the rest when <see cref="Release"/> is called.</summary>
    private sealed class HeldBody(byte[] json) : HttpContent
    {
        private readonly TaskCompletionSource _firstSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task FirstBytesSent => _firstSent.Task;

        public void Release() => _released.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(json.AsMemory(0, 1));
            await stream.FlushAsync();
            _firstSent.TrySetResult();
            await _released.Task;
            await stream.WriteAsync(json.AsMemory(1));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = json.Length;
            return true;
        }
    }
}
