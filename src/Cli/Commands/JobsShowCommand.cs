using System.CommandLine;
using System.Text.Json.Nodes;
using Provisioning.Cli.Gateway;
using Provisioning.Cli.Output;

namespace Provisioning.Cli.Commands;

/// <summary><c>jobs show ID</c>: one job with its whole history, from its grain (<c>GET /api/jobs/{id}</c>).</summary>
public static class JobsShowCommand
{
    private static readonly Argument<string> Id = JobsCommand.JobIdArgument();

    private static readonly Option<string?> OperatorKey = JobsCommand.OperatorKeyOption();

    public static Command Create()
    {
        var command = new Command("show", "Show one job with its history") { Id, OperatorKey };
        command.SetCliAction(ShowAsync);
        return command;
    }

    private static async Task<int> ShowAsync(CliContext context, CancellationToken cancellationToken)
    {
        var jobId = JobsCommand.JobId(context, Id);
        var client = context.Client(context.Parse.GetValue(OperatorKey));
        var job = GatewayClient.EnsureSuccess(await client.GetAsync(JobsCommand.JobPath(jobId), cancellationToken), $"job {jobId}").Json;
        context.Output.Document(JsonNode.Parse(job.GetRawText()));
        if (!context.Output.Json)
        {
            JobFormat.WriteJob(context.Output, job);
        }

        return ExitCodes.Ok;
    }
}
