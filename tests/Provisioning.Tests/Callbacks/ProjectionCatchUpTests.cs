using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using Provisioning.Jobs;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Callbacks;

/// <summary>
/// A job's state write succeeds but its read-model projection fails: the callback is not acknowledged, and the same
/// callback sent again (answered as a duplicate, since the state already holds it) writes the projection that fell behind.
/// </summary>
[Collection(CallbackCollection.Name)]
public sealed class ProjectionCatchUpTests(CallbackSystemFixture fixture)
{
    [Fact]
    public async Task Complete_ProjectionFailsAfterTheStateWrite_503ThenTheRetriedCallbackProjectsSucceeded()
    {
        var run = await fixture.ClaimedRunAsync();
        await using var dataSource = NpgsqlDataSource.Create(fixture.System.ConnectionString);
        await Eventually.UntilAsync(() => RowStatusAsync(dataSource, run.JobId), s => s == "provisioning",
            CallbackSystemFixture.Deadline, "the read model to show the claim");
        var completeId = $"msg_{Guid.NewGuid():N}";
        JsonObject Output() => new() { ["output"] = new JsonObject { ["endpoint"] = "https://agent.example.net" } };

        // A constraint that only this job's success breaks: the grain's own state table is untouched, the projection fails.
        var constraint = $"test_block_{run.JobId}";
        await ExecuteAsync(dataSource,
            $"ALTER TABLE jobs ADD CONSTRAINT {constraint} CHECK (job_id <> '{run.JobId}' OR status <> 'succeeded') NOT VALID");
        WebhookAnswerAssert503(await run.SendAsync("complete", Output(), completeId));
        Assert.Equal(JobStatus.Succeeded, (await fixture.JobAsync(run.JobId)).Status);
        Assert.Equal("provisioning", await RowStatusAsync(dataSource, run.JobId));

        await ExecuteAsync(dataSource, $"ALTER TABLE jobs DROP CONSTRAINT {constraint}");
        var again = await run.SendAsync("complete", Output(), completeId);

        CallbackAssert.Accepted(again, "succeeded", 1, duplicate: true);
        Assert.Equal("succeeded", await RowStatusAsync(dataSource, run.JobId));
    }

    private static void WebhookAnswerAssert503(Webhooks.WebhookAnswer answer)
    {
        Assert.True(answer.Status == HttpStatusCode.ServiceUnavailable, answer.ToString());
        Assert.NotNull(answer.RetryAfter);
    }

    private static async Task<string?> RowStatusAsync(NpgsqlDataSource dataSource, string jobId)
    {
        await using var command = dataSource.CreateCommand("SELECT status FROM jobs WHERE job_id = $1");
        command.Parameters.Add(new() { Value = jobId });
        return (string?)await command.ExecuteScalarAsync();
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
