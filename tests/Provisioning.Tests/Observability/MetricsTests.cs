using System.Net;
using System.Text.Json;
using Provisioning.Tests.Infrastructure;
using Provisioning.Tests.Webhooks;

namespace Provisioning.Tests.Observability;

/// <summary>
/// The product's metrics in Prometheus' text format, on the gateway and on each silo, after whole paid checkouts over real
/// HTTP: Stripe webhook, dispatch to the simulator, the simulated run's callbacks, success.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class MetricsTests(TelemetrySystem telemetry)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private const string CheckoutType = "checkout.session.completed";

    private TestSystem System => telemetry.System;

    [Fact]
    public async Task Metrics_AfterPaidCheckoutsSucceed_CountersAndHistogramsMovedByWhatHappened()
    {
        const int checkouts = 2;
        // Other tests of this system leave runs in flight: once every job has ended, nothing but this test moves a counter.
        await WaitUntilNoJobInProgressAsync();
        var (gatewayBefore, silosBefore) = await SteadyScrapesAsync();

        var events = Enumerable.Range(0, checkouts)
            .Select(_ => StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), "agent-metrics"))
            .ToArray();
        foreach (var checkout in events)
        {
            Assert.Equal(HttpStatusCode.OK, (await System.Http.DeliverAsync(checkout)).Status);
        }

        Assert.Equal(HttpStatusCode.OK, (await System.Http.DeliverAsync(events[0])).Status); // a redelivery: no second job
        var forged = await System.Http.SendWebhookAsync(events[1].ToRequest(secret: "whsec_not_the_configured_secret"));
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);

        foreach (var checkout in events)
        {
            await WaitForStatusAsync(checkout.Id, "succeeded");
        }

        // Every count below is recorded before the answer or the state change the test waited for; a scrape may lag by the
        // exporter's short cache, so the exact comparison is made once the last one has shown up.
        var gateway = await Eventually.UntilAsync(
            () => TelemetrySystem.ScrapeAsync(System.GatewayUrl),
            now => Delta(now, gatewayBefore, "provisioning_callbacks_total", ("event", "complete"), ("outcome", "applied")) >= checkouts
                && now.Sum("provisioning_jobs", ("status", "succeeded")) >= checkouts,
            Deadline, "the gateway's metrics to show the completed callbacks and the succeeded jobs");
        var silos = await Eventually.UntilAsync(
            ScrapeSilosAsync,
            now => Delta(now, silosBefore, "provisioning_job_paid_to_succeeded_duration_seconds_count") >= checkouts,
            Deadline, "the silos' metrics to show the succeeded jobs");

        Assert.Equal(checkouts, Delta(gateway, gatewayBefore, "provisioning_webhooks_total", ("type", CheckoutType), ("outcome", "job-created")));
        Assert.Equal(1, Delta(gateway, gatewayBefore, "provisioning_webhooks_total", ("type", CheckoutType), ("outcome", "duplicate")));
        Assert.Equal(1, Delta(gateway, gatewayBefore, "provisioning_webhooks_total", ("type", "unknown"), ("outcome", "rejected")));
        Assert.Equal(checkouts, Delta(gateway, gatewayBefore, "provisioning_webhook_duration_seconds_count", ("type", CheckoutType), ("outcome", "job-created")));
        Assert.True(Delta(gateway, gatewayBefore, "provisioning_webhook_duration_seconds_sum", ("type", CheckoutType), ("outcome", "job-created")) > 0);
        Assert.Equal(checkouts, Delta(gateway, gatewayBefore, "provisioning_callbacks_total", ("event", "claim"), ("outcome", "applied")));
        Assert.Equal(checkouts, Delta(gateway, gatewayBefore, "provisioning_callbacks_total", ("event", "complete"), ("outcome", "applied")));
        Assert.True(gateway.Sum("provisioning_jobs", ("status", "succeeded")) >= checkouts);
        Assert.True(gateway.Has("http_server_request_duration_seconds_count"), "ASP.NET Core's own metrics are exported too");

        Assert.Equal(checkouts, Delta(silos, silosBefore, "provisioning_dispatch_attempts_total", ("result", "dispatched")));
        Assert.Equal(checkouts, Delta(silos, silosBefore, "provisioning_job_paid_to_dispatched_duration_seconds_count"));
        Assert.Equal(checkouts, Delta(silos, silosBefore, "provisioning_job_paid_to_succeeded_duration_seconds_count"));
        Assert.True(Delta(silos, silosBefore, "provisioning_job_paid_to_succeeded_duration_seconds_sum") > 0);
    }

    [Fact]
    public async Task SiloMetrics_EverySilo_ServesPrometheusTextWithoutAKey()
    {
        foreach (var silo in telemetry.SiloUrls)
        {
            using var http = new HttpClient { BaseAddress = silo };
            using var response = await http.GetAsync("/metrics");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var scrape = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
            Assert.True(scrape.Has("process_runtime_dotnet_gc_collections_count_total") || scrape.Samples.Any(s => s.Name.StartsWith("dotnet_", StringComparison.Ordinal)),
                $"runtime metrics on {silo}:\n{scrape.Text[..Math.Min(2000, scrape.Text.Length)]}");
        }
    }

    [Fact]
    public async Task Metrics_ExportedByOtlp_WhenAnEndpointIsConfigured()
    {
        // Every host here has OTEL_EXPORTER_OTLP_ENDPOINT set: metric exports arrive about every second from each.
        var before = telemetry.Otlp.MetricExports;

        await Eventually.UntilAsync(() => Task.FromResult(telemetry.Otlp.MetricExports >= before + 3),
            TimeSpan.FromSeconds(30), "metric exports by OTLP");
    }

    [Fact]
    public async Task GatewayMetrics_CheckoutWaitingInTheInbox_BacklogAndItsAgeUntilProcessed()
    {
        var eventId = await Inbox.InboxRows.StoreUnprocessedCheckoutAsync(
            System.ConnectionString, StripeEventFactory.NewId("user"), heldFor: TimeSpan.FromHours(1));

        var waiting = await Eventually.UntilAsync(
            () => TelemetrySystem.ScrapeAsync(System.GatewayUrl), now => now.Sum("provisioning_stripe_inbox_backlog") >= 1,
            Deadline, "the gateway's metrics to count the waiting event");
        Assert.True(waiting.Has("provisioning_stripe_inbox_oldest_age_seconds"));

        Assert.Equal(HttpStatusCode.OK, (await System.Http.GetAsync($"/api/jobs/{eventId}")).StatusCode);
        await Eventually.UntilAsync(
            () => TelemetrySystem.ScrapeAsync(System.GatewayUrl), now => now.Sum("provisioning_stripe_inbox_backlog") == 0,
            Deadline, "the backlog to be empty once the event is processed");
    }

    [Fact]
    public async Task GatewayMetrics_RequireKeyForReads_401WithoutKeyAnd200WithKey()
    {
        // Under the read policy, like /api/jobs/counts: a gateway that needs a key for reads needs one for /metrics too.
        var (gateway, url) = await System.Cluster.StartGatewayAsync(new Dictionary<string, string?> { ["Gateway__RequireKeyForReads"] = "true" });
        try
        {
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
            using var anonymous = await http.GetAsync("/metrics");
            var withKey = await TelemetrySystem.ScrapeAsync(url);

            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.True(withKey.Has("provisioning_jobs"), "the jobs gauge is on the gateway's /metrics");
        }
        finally
        {
            await gateway.TerminateAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>The same scrape summed over every silo (a job's grain lives on one of them).</summary>
    private async Task<PrometheusText> ScrapeSilosAsync()
    {
        var texts = new List<string>();
        foreach (var silo in telemetry.SiloUrls)
        {
            texts.Add((await TelemetrySystem.ScrapeAsync(silo)).Text);
        }

        return PrometheusText.Parse(string.Join('\n', texts));
    }

    private static double Delta(PrometheusText after, PrometheusText before, string name, params (string, string)[] labels) =>
        after.Sum(name, labels) - before.Sum(name, labels);

    /// <summary>Scrapes of the gateway and the silos whose product series no longer change between two scrapes.</summary>
    private async Task<(PrometheusText Gateway, PrometheusText Silos)> SteadyScrapesAsync()
    {
        string? previous = null;
        return await Eventually.UntilAsync(
            async () => (await TelemetrySystem.ScrapeAsync(System.GatewayUrl), await ScrapeSilosAsync()),
            now =>
            {
                var series = ProductSeries(now.Item1) + ProductSeries(now.Item2);
                var steady = series == previous;
                previous = series;
                return steady;
            },
            Deadline, "the product's metrics to stop changing");
    }

    private static string ProductSeries(PrometheusText scrape) => string.Join('\n', scrape.Samples
        .Where(s => s.Name.StartsWith("provisioning_", StringComparison.Ordinal))
        .Select(s => $"{s.Name}{{{string.Join(',', s.Labels.OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}"))}}} {s.Value}")
        .Order());

    private async Task WaitUntilNoJobInProgressAsync() =>
        await Eventually.UntilAsync(
            async () =>
            {
                using var document = JsonDocument.Parse(await System.Http.GetStringAsync("/api/jobs/counts"));
                return new[] { "waiting", "queued", "dispatched", "provisioning" }.Sum(s => document.RootElement.GetProperty(s).GetInt32());
            },
            inProgress => inProgress == 0, Deadline, "every job of this system to have ended");

    private async Task WaitForStatusAsync(string jobId, string status) =>
        await Eventually.UntilAsync(
            async () =>
            {
                using var response = await System.Http.GetAsync($"/api/jobs/{jobId}");
                using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                return document.RootElement.TryGetProperty("status", out var s) ? s.GetString() : null;
            },
            now => now == status, Deadline, $"job {jobId} to be {status}");
}
