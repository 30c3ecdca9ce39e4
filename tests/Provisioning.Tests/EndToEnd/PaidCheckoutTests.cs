using System.Net;
using System.Text.Json;
using Provisioning.Tests.Infrastructure;
using Provisioning.Tests.Webhooks;

namespace Provisioning.Tests.EndToEnd;

/// <summary>
/// The user's whole path over HTTP: Stripe's signed webhook, the gateway, the grains, PostgreSQL, the dispatch to the
/// GitHub Actions simulator, and the simulated run's signed callbacks back to the gateway.
/// </summary>
public sealed class PaidCheckoutTests(PaidCheckoutTests.Fixture fixture) : IClassFixture<PaidCheckoutTests.Fixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public sealed class Fixture : IAsyncLifetime
    {
        public TestSystem System { get; } = new() { WithSimulator = true };

        public Task InitializeAsync() => System.InitializeAsync();

        public Task DisposeAsync() => System.DisposeAsync();
    }

    private HttpClient Http => fixture.System.Http;

    [Fact]
    public async Task PaidCheckout_SimulatedRunCompletes_JobSucceededWithRunOutputAndFullHistory()
    {
        var user = StripeEventFactory.NewId("user");
        var checkout = StripeEventFactory.CheckoutCompleted(user, "agent-42", "eu-west");

        var answer = await Http.DeliverAsync(checkout);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(checkout.Id, answer.JobId);

        var job = await WaitForStatusAsync(checkout.Id, "succeeded");
        Assert.Equal(user, job.GetProperty("userId").GetString());
        Assert.Equal("eu-west", job.GetProperty("region").GetString());
        Assert.Equal(1, job.GetProperty("attempt").GetInt32());
        var runId = job.GetProperty("runId").GetString();
        Assert.False(string.IsNullOrEmpty(runId));
        Assert.Contains($"/actions/runs/{runId}", job.GetProperty("runUrl").GetString());
        Assert.Equal(JsonValueKind.Object, job.GetProperty("output").ValueKind);
        var steps = job.GetProperty("history").EnumerateArray()
            .Select(h => (From: h.GetProperty("from").GetString(), To: h.GetProperty("to").GetString(), Actor: h.GetProperty("actor").GetString()))
            .ToArray();
        Assert.Equal(
            [(null, "queued", "stripe"), ("queued", "dispatched", "system"), ("dispatched", "provisioning", "github"), ("provisioning", "succeeded", "github")],
            steps);
        var dispatch = Assert.Single(await fixture.System.Simulator.GetRequestsAsync(checkout.Id));
        Assert.Equal(runId, dispatch.RunId?.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ThreePaidCheckouts_OneUser_ProvisionedOneAfterAnotherInOrder(bool secondRunFails)
    {
        var user = StripeEventFactory.NewId("user");
        var checkouts = Enumerable.Range(1, 3).Select(i => StripeEventFactory.CheckoutCompleted(user, $"agent-{i}")).ToArray();
        var expected = new[] { "succeeded", secondRunFails ? "failed" : "succeeded", "succeeded" };
        if (secondRunFails)
        {
            await fixture.System.Simulator.AddBehaviourAsync(
                new SimulatorBehaviour("fail", JobId: checkouts[1].Id, Retryable: false, Message: "quota exceeded in region"));
        }

        foreach (var checkout in checkouts)
        {
            Assert.Equal(HttpStatusCode.OK, (await Http.DeliverAsync(checkout)).Status);
        }

        var jobs = new List<JsonElement>();
        for (var i = 0; i < checkouts.Length; i++)
        {
            jobs.Add(await WaitForStatusAsync(checkouts[i].Id, expected[i]));
        }

        // Never two in progress: each job was claimed only after the one before it had ended.
        for (var i = 1; i < jobs.Count; i++)
        {
            Assert.True(At(jobs[i], "provisioning") >= At(jobs[i - 1], expected[i - 1]),
                $"job {i + 1} started provisioning before job {i} ended");
            Assert.Equal("waiting", jobs[i].GetProperty("history")[0].GetProperty("to").GetString());
        }

        if (secondRunFails)
        {
            Assert.Contains("quota exceeded in region", jobs[1].GetProperty("lastError").GetString());
        }
    }

    private async Task<JsonElement> WaitForStatusAsync(string jobId, string status) =>
        await Eventually.UntilAsync(
            async () =>
            {
                using var response = await Http.GetAsync($"/api/jobs/{jobId}");
                using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                return document.RootElement.Clone();
            },
            job => job.TryGetProperty("status", out var s) && s.GetString() == status,
            Deadline, $"job {jobId} to be {status}");

    private static DateTimeOffset At(JsonElement job, string to) =>
        job.GetProperty("history").EnumerateArray().First(h => h.GetProperty("to").GetString() == to).GetProperty("at").GetDateTimeOffset();
}
