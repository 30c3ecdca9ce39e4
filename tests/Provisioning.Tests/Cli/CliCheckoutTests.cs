using System.Net.Http.Json;
using System.Text.Json;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Cli;

/// <summary>
/// The CLI as a person uses it after <c>./run.sh</c>: a Stripe-signed checkout from <c>trigger checkout</c>, then the job followed
/// by <c>jobs watch</c> through the real gateway, silo, database and the simulated workflow run, and read back by
/// <c>jobs list</c> and <c>jobs show</c>.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class CliCheckoutTests(CliFixture fixture)
{
    [Fact]
    public async Task TriggerCheckout_ThenJobsWatch_ReachesSucceededAndExits0()
    {
        var user = StripeEventFactory.NewId("user");

        var trigger = await fixture.RunAsync("trigger", "checkout", "--user", user, "--agent", "agent-cli", "--region", "eu-west");

        Assert.True(trigger.ExitCode == 0, trigger.ToString());
        var jobId = trigger.Stdout.Trim();
        Assert.Matches("^evt_[A-Za-z0-9]+$", jobId);
        Assert.Contains($"jobs watch {jobId}", trigger.Stderr);
        var stripeEvent = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/stripe/events/{jobId}");
        Assert.Equal(("checkout.session.completed", "job-created", jobId),
            (stripeEvent.GetProperty("type").GetString(), stripeEvent.GetProperty("outcome").GetString(), stripeEvent.GetProperty("jobId").GetString()));

        var watch = await fixture.RunAsync("jobs", "watch", jobId, "--timeout", "60");

        Assert.True(watch.ExitCode == 0, watch.ToString());
        Assert.Contains("queued -> dispatched", watch.Stdout);
        Assert.Contains("provisioning -> succeeded", watch.Stdout);
        Assert.Contains($"job {jobId} succeeded (attempt 1)", watch.Stdout);
        var job = (await fixture.JobAsync(jobId))!.Value;
        Assert.Equal(("succeeded", user, "agent-cli", "eu-west"),
            (job.GetProperty("status").GetString(), job.GetProperty("userId").GetString(),
             job.GetProperty("agentId").GetString(), job.GetProperty("region").GetString()));
    }

    [Fact]
    public async Task TriggerWatchListShow_Json_ParseAndDescribeTheSameJob()
    {
        var user = StripeEventFactory.NewId("user");

        var trigger = await fixture.RunAsync("trigger", "checkout", "--user", user, "--agent", "agent-json", "--json");

        Assert.True(trigger.ExitCode == 0, trigger.ToString());
        var receipt = trigger.Json();
        var jobId = receipt.GetProperty("jobId").GetString()!;
        Assert.Equal((true, jobId, "checkout.session.completed", "job-created", false),
            (receipt.GetProperty("received").GetBoolean(), receipt.GetProperty("eventId").GetString(),
             receipt.GetProperty("type").GetString(), receipt.GetProperty("outcome").GetString(), receipt.GetProperty("duplicate").GetBoolean()));

        var watch = await fixture.RunAsync("jobs", "watch", jobId, "--json", "--interval", "0.2", "--timeout", "60");

        Assert.True(watch.ExitCode == 0, watch.ToString());
        var seen = watch.JsonLines();
        Assert.All(seen, job => Assert.Equal(jobId, job.GetProperty("jobId").GetString()));
        Assert.Equal("succeeded", seen[^1].GetProperty("status").GetString());
        var statuses = seen.Select(job => job.GetProperty("status").GetString()).ToList();
        Assert.Equal(statuses.Distinct().Count(), statuses.Count);

        var show = await fixture.RunAsync("jobs", "show", jobId, "--json");

        Assert.True(show.ExitCode == 0, show.ToString());
        var shown = show.Json();
        Assert.Equal((jobId, user, "agent-json", "us-east", "succeeded", 1),
            (shown.GetProperty("jobId").GetString(), shown.GetProperty("userId").GetString(), shown.GetProperty("agentId").GetString(),
             shown.GetProperty("region").GetString(), shown.GetProperty("status").GetString(), shown.GetProperty("attempt").GetInt32()));
        Assert.Equal(["queued", "dispatched", "provisioning", "succeeded"],
            shown.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("to").GetString()));
        Assert.StartsWith("https://", shown.GetProperty("output").GetProperty("endpoint").GetString());

        var listed = await Eventually.UntilAsync(
            () => fixture.RunAsync("jobs", "list", "--user", user, "--status", "succeeded", "--json"),
            run => run.ExitCode == 0 && run.Json().GetProperty("items").GetArrayLength() == 1,
            TimeSpan.FromSeconds(30), "jobs list to show the succeeded job");
        var item = listed.Json().GetProperty("items")[0];
        Assert.Equal((jobId, "succeeded", shown.GetProperty("runId").GetString()),
            (item.GetProperty("jobId").GetString(), item.GetProperty("status").GetString(), item.GetProperty("runId").GetString()));
        Assert.Equal(JsonValueKind.Null, listed.Json().GetProperty("nextCursor").ValueKind);

        var none = await fixture.RunAsync("jobs", "list", "--user", user, "--status", "failed", "--json");
        Assert.True(none.ExitCode == 0, none.ToString());
        Assert.Equal(0, none.Json().GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task JobsListAndShow_Human_TableAndHistory()
    {
        var user = StripeEventFactory.NewId("user");
        var jobId = await fixture.TriggerAsync(user, "agent-table");
        await fixture.WaitForStatusAsync(jobId, "succeeded");

        var list = await Eventually.UntilAsync(
            () => fixture.RunAsync("jobs", "list", "--user", user),
            run => run.ExitCode == 0 && run.Stdout.Contains("succeeded"),
            TimeSpan.FromSeconds(30), "jobs list to show the succeeded job");
        var lines = list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("JOB", lines[0]);
        var row = Assert.Single(lines.Skip(1));
        Assert.Equal([jobId, "succeeded", "1", user, "agent-table", "us-east"], row.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(6));

        var show = await fixture.RunAsync("jobs", "show", jobId);

        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains($"job        {jobId}", show.Stdout);
        Assert.Contains("status     succeeded (attempt 1)", show.Stdout);
        Assert.Contains("history", show.Stdout);
        Assert.Contains("dispatched -> provisioning  github (run ", show.Stdout);
    }

    [Fact]
    public async Task TriggerCheckout_SameEventIdTwice_SecondIsADuplicateOfTheSameJob()
    {
        var eventId = CliFixture.NewEventId();
        var user = StripeEventFactory.NewId("user");
        Assert.Equal(eventId, await fixture.TriggerAsync(user, "agent-dup", eventId));

        var again = await fixture.RunAsync("trigger", "checkout", "--user", user, "--agent", "agent-dup", "--event-id", eventId, "--json");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal((eventId, true), (again.Json().GetProperty("jobId").GetString(), again.Json().GetProperty("duplicate").GetBoolean()));
    }
}
