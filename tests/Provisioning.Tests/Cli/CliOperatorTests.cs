using System.Text.Json;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Cli;

/// <summary><c>jobs retry</c> and <c>jobs cancel</c> with the operator key from <c>.local/dev.env</c>, on jobs the simulator makes fail or stall.</summary>
[Collection(CliCollection.Name)]
public sealed class CliOperatorTests(CliFixture fixture)
{
    [Fact]
    public async Task Retry_FailedJob_WatchExits8ThenRetryStartsAttempt2ThatSucceeds()
    {
        var jobId = CliFixture.NewEventId();
        await fixture.System.Simulator.AddBehaviourAsync(new SimulatorBehaviour("fail", JobId: jobId, Retryable: false, Message: "no capacity in eu-west"));
        await fixture.TriggerAsync(StripeEventFactory.NewId("user"), "agent-retry", jobId);

        var failed = await fixture.RunAsync("jobs", "watch", jobId, "--timeout", "60");

        Assert.True(failed.ExitCode == 8, failed.ToString());
        Assert.Contains("no capacity in eu-west", failed.Stdout);
        Assert.Contains($"jobs retry {jobId}", failed.Stderr);

        var retry = await fixture.RunAsync("jobs", "retry", jobId, "--reason", "capacity added", "--json");

        Assert.True(retry.ExitCode == 0, retry.ToString());
        var retried = retry.Json();
        Assert.Equal(2, retried.GetProperty("attempt").GetInt32());
        var last = retried.GetProperty("history").EnumerateArray().Last();
        Assert.Equal(("failed", "operator", TestSecrets.OperatorName, "capacity added"),
            (last.GetProperty("from").GetString(), last.GetProperty("actor").GetString(),
             last.GetProperty("actorName").GetString(), last.GetProperty("reason").GetString()));

        var succeeded = await fixture.RunAsync("jobs", "watch", jobId, "--timeout", "60");
        Assert.True(succeeded.ExitCode == 0, succeeded.ToString());
        Assert.Contains($"job {jobId} succeeded (attempt 2)", succeeded.Stdout);
    }

    [Fact]
    public async Task RetryAll_TwoFailedJobs_BothGetASecondAttempt()
    {
        var since = DateTimeOffset.UtcNow;
        var jobIds = new[] { CliFixture.NewEventId(), CliFixture.NewEventId() };
        foreach (var jobId in jobIds)
        {
            await fixture.System.Simulator.AddBehaviourAsync(new SimulatorBehaviour("fail", JobId: jobId, Retryable: false, Message: "region full"));
            await fixture.TriggerAsync(StripeEventFactory.NewId("user"), "agent-bulk", jobId);
            var failed = await fixture.RunAsync("jobs", "watch", jobId, "--timeout", "60");
            Assert.True(failed.ExitCode == 8, failed.ToString());
        }

        var retry = await fixture.RunAsync("jobs", "retry-all", "--since", since.ToString("O"), "--reason", "region extended", "--json");

        Assert.True(retry.ExitCode == 0, retry.ToString());
        var answer = retry.Json();
        Assert.Equal(2, answer.GetProperty("retried").GetInt32());
        Assert.Equal(jobIds.Order(), answer.GetProperty("jobIds").EnumerateArray().Select(id => id.GetString()!).Order());
        foreach (var jobId in jobIds)
        {
            var succeeded = await fixture.RunAsync("jobs", "watch", jobId, "--timeout", "60");
            Assert.True(succeeded.ExitCode == 0, succeeded.ToString());
            Assert.Contains($"job {jobId} succeeded (attempt 2)", succeeded.Stdout);
        }

        var again = await fixture.RunAsync("jobs", "retry-all", "--since", since.ToString("O"));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("retried no failed jobs", again.Stdout);
    }

    [Theory]
    [InlineData("--limit", "0", "--limit must be between 1 and 500")]
    [InlineData("--since", "yesterday", "not an ISO 8601 time")]
    [InlineData("--status", "succeeded", "succeeded")]
    public async Task RetryAll_BadOption_UsageError(string option, string value, string message)
    {
        var run = await fixture.RunAsync("jobs", "retry-all", option, value);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(message, run.Stderr);
    }

    [Fact]
    public async Task Cancel_StalledJob_WatchTimesOutWith10_CancelWorks_WatchExits9_SecondCancelIs409()
    {
        var jobId = CliFixture.NewEventId();
        await fixture.System.Simulator.AddBehaviourAsync(new SimulatorBehaviour("silent", JobId: jobId));
        await fixture.TriggerAsync(StripeEventFactory.NewId("user"), "agent-cancel", jobId);
        await fixture.WaitForStatusAsync(jobId, "dispatched");

        var waiting = await fixture.RunAsync("jobs", "watch", jobId, "--timeout", "1.5");
        Assert.True(waiting.ExitCode == 10, waiting.ToString());
        Assert.Contains("has not ended after 1.5 s (it is dispatched)", waiting.Stderr);

        var cancel = await fixture.RunAsync("jobs", "cancel", jobId, "--reason", "customer refunded");

        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.Equal($"{jobId}: cancelled (attempt 1)", cancel.Stdout.Trim());
        var job = (await fixture.JobAsync(jobId))!.Value;
        var last = job.GetProperty("history").EnumerateArray().Last();
        Assert.Equal(("cancelled", TestSecrets.OperatorName, "customer refunded"),
            (last.GetProperty("to").GetString(), last.GetProperty("actorName").GetString(), last.GetProperty("reason").GetString()));

        var watch = await fixture.RunAsync("jobs", "watch", jobId);
        Assert.True(watch.ExitCode == 9, watch.ToString());

        var again = await fixture.RunAsync("jobs", "cancel", jobId, "--json");

        Assert.True(again.ExitCode == 6, again.ToString());
        Assert.Contains("(409)", again.Stderr);
        var error = again.Json().GetProperty("error");
        Assert.Equal(("conflict", 409, "cancelled"),
            (error.GetProperty("kind").GetString(), error.GetProperty("status").GetInt32(), error.GetProperty("answer").GetProperty("jobStatus").GetString()));
    }

    [Fact]
    public async Task Cancel_WrongOperatorKey_Exit4With401AndJobUnchanged()
    {
        var jobId = CliFixture.NewEventId();
        await fixture.System.Simulator.AddBehaviourAsync(new SimulatorBehaviour("silent", JobId: jobId));
        await fixture.TriggerAsync(StripeEventFactory.NewId("user"), "agent-key", jobId);
        await fixture.WaitForStatusAsync(jobId, "dispatched");

        var cancel = await fixture.RunAsync("jobs", "cancel", jobId, "--operator-key", "op_not_a_configured_key_123");

        Assert.True(cancel.ExitCode == 4, cancel.ToString());
        Assert.Contains("refused (401): Operator key not valid", cancel.Stderr);
        Assert.Equal("dispatched", (await fixture.JobAsync(jobId))!.Value.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Cancel_NoOperatorKeyAnywhere_Exit2NamingWhereToSetIt()
    {
        var cancel = await fixture.RunInAsync(fixture.EmptyDirectory, null, "jobs", "cancel", CliFixture.NewEventId());

        Assert.True(cancel.ExitCode == 2, cancel.ToString());
        Assert.Contains("no operator key", cancel.Stderr);
        Assert.Contains("--operator-key", cancel.Stderr);
        Assert.Contains("PROVISIONING_OPERATOR_KEY", cancel.Stderr);
    }

    [Fact]
    public async Task Retry_OperatorKeyFromEnvironment_UsedWithoutEnvFile()
    {
        var jobId = CliFixture.NewEventId();
        await fixture.System.Simulator.AddBehaviourAsync(new SimulatorBehaviour("silent", JobId: jobId));
        await fixture.TriggerAsync(StripeEventFactory.NewId("user"), "agent-env", jobId);
        await fixture.WaitForStatusAsync(jobId, "dispatched");

        var retry = await fixture.RunInAsync(fixture.EmptyDirectory,
            new Dictionary<string, string?> { ["PROVISIONING_OPERATOR_KEY"] = TestSecrets.SecondOperatorKey },
            "jobs", "retry", jobId, "--json");

        // A dispatched job cannot be retried: the key was accepted (else 401) and the job said why not.
        Assert.True(retry.ExitCode == 6, retry.ToString());
        Assert.Equal("dispatched", retry.Json().GetProperty("error").GetProperty("answer").GetProperty("jobStatus").GetString());
        var cancel = await fixture.RunInAsync(fixture.EmptyDirectory,
            new Dictionary<string, string?> { ["PROVISIONING_OPERATOR_KEY"] = TestSecrets.SecondOperatorKey },
            "jobs", "cancel", jobId);
        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        var last = (await fixture.JobAsync(jobId))!.Value.GetProperty("history").EnumerateArray().Last();
        Assert.Equal(TestSecrets.SecondOperatorName, last.GetProperty("actorName").GetString());
        Assert.Equal(JsonValueKind.String, last.GetProperty("reason").ValueKind);
    }
}
