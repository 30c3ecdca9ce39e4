using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Provisioning.Tests.Callbacks;
using Provisioning.Tests.Infrastructure;
using Provisioning.Tests.Webhooks;

namespace Provisioning.Tests.Observability;

/// <summary>
/// No secret in any log: a whole paid checkout, a callback and operator requests run with every process (gateway, silos,
/// the simulator) logging at Debug, and their complete output is searched for every secret and signature they handled.
/// </summary>
public sealed class LogSecretsTests(LogSecretsTests.Fixture fixture) : IClassFixture<LogSecretsTests.Fixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public sealed class Fixture : IAsyncLifetime
    {
        public TestSystem System { get; } = new() { WithSimulator = true };

        public Task InitializeAsync()
        {
            foreach (var settings in new[] { System.SiloSettings, System.GatewaySettings, System.SimulatorSettings })
            {
                settings["Logging__LogLevel__Default"] = "Debug";
            }

            return System.InitializeAsync();
        }

        public Task DisposeAsync() => System.DisposeAsync();
    }

    private TestSystem System => fixture.System;

    [Fact]
    public async Task DebugLogs_OfAWholeCheckout_HoldNoSecretNorSignature()
    {
        var checkout = StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), "agent-logged");
        var delivery = checkout.ToRequest();
        var stripeSignature = delivery.Headers.GetValues("Stripe-Signature").Single();
        Assert.Equal(HttpStatusCode.OK, (await System.Http.SendWebhookAsync(delivery)).Status);
        var job = await WaitForSucceededAsync(checkout.Id);

        // A callback signed here, so its signature is known: the job has ended, so the gateway refuses it with 409.
        var run = new TestRun(System.Http, checkout.Id, 1, job.GetProperty("runId").GetString()!);
        var callback = CallbackSigner.Request(run.Body("heartbeat"));
        var callbackSignature = callback.Headers.GetValues("webhook-signature").Single();
        Assert.Equal(HttpStatusCode.Conflict, (await System.Http.SendWebhookAsync(callback)).Status);

        // Operator requests with the key, one of them an action that is refused.
        Assert.Equal(HttpStatusCode.OK, (await SendAsOperatorAsync(HttpMethod.Get, $"/api/jobs/{checkout.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsOperatorAsync(HttpMethod.Post, $"/api/jobs/{checkout.Id}/retry")).StatusCode);

        var secrets = new Dictionary<string, string>
        {
            ["Stripe webhook secret"] = TestSecrets.StripeWebhookSecret,
            ["previous Stripe webhook secret"] = TestSecrets.StripeWebhookSecretPrevious,
            ["callback secret"] = TestSecrets.CallbackSecret,
            ["callback secret's key"] = TestSecrets.CallbackSecret["whsec_".Length..],
            ["previous callback secret"] = TestSecrets.CallbackSecretPrevious,
            ["GitHub webhook secret"] = TestSecrets.GitHubWebhookSecret,
            ["GitHub token"] = TestSecrets.GitHubToken,
            ["operator key"] = TestSecrets.OperatorKey,
            ["second operator key"] = TestSecrets.SecondOperatorKey,
            ["Stripe-Signature header"] = stripeSignature,
            ["Stripe-Signature v1 value"] = stripeSignature.Split(',').Single(p => p.StartsWith("v1=", StringComparison.Ordinal))["v1=".Length..],
            ["webhook-signature header"] = callbackSignature,
            ["webhook-signature value"] = callbackSignature["v1,".Length..],
        };
        // The test database takes a password (scram-sha-256): it must not show in any log line either.
        var databasePassword = new Npgsql.NpgsqlConnectionStringBuilder(System.ConnectionString).Password;
        Assert.False(string.IsNullOrEmpty(databasePassword), "the test database's connection string holds a password");
        secrets["database password"] = databasePassword!;

        var processes = System.Silos.Append(System.Gateway).Append(System.Simulator.Process).ToArray();
        foreach (var process in processes)
        {
            var output = process.Output;
            // The whole output is here: the first lines a host prints are still kept, and Debug lines were written.
            Assert.Contains("Now listening on", output, StringComparison.Ordinal);
            Assert.Contains("dbug:", output, StringComparison.Ordinal);
            foreach (var (what, secret) in secrets)
            {
                Assert.False(output.Contains(secret, StringComparison.Ordinal), $"the {what} appears in the output of {process.Name}");
            }
        }

        Assert.Contains(checkout.Id, System.Gateway.Output, StringComparison.Ordinal);
        Assert.Contains(System.Silos, silo => silo.Output.Contains(checkout.Id, StringComparison.Ordinal));
    }

    private async Task<HttpResponseMessage> SendAsOperatorAsync(HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestSecrets.OperatorKey);
        return await System.Http.SendAsync(request);
    }

    private async Task<JsonElement> WaitForSucceededAsync(string jobId) =>
        await Eventually.UntilAsync(
            async () =>
            {
                using var response = await System.Http.GetAsync($"/api/jobs/{jobId}");
                using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                return document.RootElement.Clone();
            },
            job => job.TryGetProperty("status", out var s) && s.GetString() == "succeeded",
            Deadline, $"job {jobId} to succeed");
}
