using System.Net;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Cli;

/// <summary>What the CLI says, and which exit code it gives, when it cannot do what was asked.</summary>
[Collection(CliCollection.Name)]
public sealed class CliErrorTests(CliFixture fixture)
{
    [Theory]
    [InlineData("jobs", "list")]
    [InlineData("jobs", "show", "evt_1")]
    [InlineData("trigger", "checkout", "--user", "u", "--agent", "a")]
    public async Task AnyCommand_GatewayUnreachable_Exit3SayingWhere(params string[] args)
    {
        var nowhere = $"http://127.0.0.1:{FreePort.Next()}";

        var run = await fixture.RunAsync([.. args, "--gateway", nowhere]);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains($"cannot reach the gateway at {nowhere}/: connection refused", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task JobsShowAndWatch_UnknownJob_Exit5WithJsonError()
    {
        var show = await fixture.RunAsync("jobs", "show", "evt_cli_unknown");
        Assert.True(show.ExitCode == 5, show.ToString());
        Assert.Contains("job evt_cli_unknown: not found (404): Job not found: No job has the id 'evt_cli_unknown'.", show.Stderr);

        var json = await fixture.RunAsync("jobs", "watch", "evt_cli_unknown", "--json");
        Assert.True(json.ExitCode == 5, json.ToString());
        var error = json.Json().GetProperty("error");
        Assert.Equal(("not-found", 5, 404), (error.GetProperty("kind").GetString(), error.GetProperty("exitCode").GetInt32(), error.GetProperty("status").GetInt32()));
    }

    [Fact]
    public async Task TriggerCheckout_MissingUser_Exit2NamingTheOption()
    {
        var run = await fixture.RunAsync("trigger", "checkout", "--agent", "agent-1");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("'--user' is required", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Theory]
    [InlineData("jobs", "list", "--status", "running")]
    [InlineData("jobs", "list", "--limit", "0")]
    [InlineData("jobs", "frobnicate")]
    [InlineData("callback", "evt_1", "finish")]
    [InlineData("callback", "evt_1", "complete", "--output", "[1,2]", "--attempt", "1", "--run-id", "1")]
    public async Task BadInput_Exit2(params string[] args)
    {
        var run = await fixture.RunAsync(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error: ", run.Stderr);
    }

    [Fact]
    public async Task TriggerCheckout_WrongWebhookSecret_Exit4AndNothingRecorded()
    {
        var eventId = CliFixture.NewEventId();

        var run = await fixture.RunAsync("trigger", "checkout", "--user", "u", "--agent", "a", "--event-id", eventId,
            "--webhook-secret", "whsec_not_the_gateways_secret");

        Assert.True(run.ExitCode == 4, run.ToString());
        Assert.Contains("signature-mismatch", run.Stderr);
        using var recorded = await fixture.Http.GetAsync($"/api/stripe/events/{eventId}");
        Assert.Equal(HttpStatusCode.NotFound, recorded.StatusCode);
    }

    [Fact]
    public async Task TriggerCheckout_RegionTheServiceDoesNotServe_Exit7SayingWhy()
    {
        var run = await fixture.RunAsync("trigger", "checkout", "--user", "u", "--agent", "a", "--region", "mars-1");

        Assert.True(run.ExitCode == 7, run.ToString());
        Assert.Contains("no job was created: ignored: metadata.region 'mars-1' is not one of", run.Stderr);
    }

    [Fact]
    public async Task TriggerCheckout_NoWebhookSecretAnywhere_Exit2NamingWhereToSetIt()
    {
        var run = await fixture.RunInAsync(fixture.EmptyDirectory, null, "trigger", "checkout", "--user", "u", "--agent", "a");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("no Stripe webhook secret", run.Stderr);
        Assert.Contains("Stripe__WebhookSecrets__0", run.Stderr);
    }

    [Fact]
    public async Task TriggerCheckout_SecretFromEnvironmentAndEnvFileOption_BothWork()
    {
        var fromVariable = await fixture.RunInAsync(fixture.EmptyDirectory,
            new Dictionary<string, string?> { ["STRIPE_WEBHOOK_SECRET"] = TestSecrets.StripeWebhookSecret },
            "trigger", "checkout", "--user", StripeEventFactory.NewId("user"), "--agent", "a");
        Assert.True(fromVariable.ExitCode == 0, fromVariable.ToString());

        var fromFile = await fixture.RunInAsync(fixture.EmptyDirectory, null,
            "trigger", "checkout", "--user", StripeEventFactory.NewId("user"), "--agent", "a",
            "--env-file", Path.Combine(fixture.WorkingDirectory, ".local", "dev.env"));
        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
        Assert.NotNull(await fixture.JobAsync(fromFile.Stdout.Trim()));
    }
}
