using System.CommandLine;
using System.Text.Json.Nodes;
using Provisioning.Cli.Gateway;
using Provisioning.Cli.Output;

namespace Provisioning.Cli.Commands;

/// <summary><c>jobs retry ID</c> and <c>jobs cancel ID</c>: the operator actions <c>POST /api/jobs/{id}/retry|cancel</c> (docs/operators.md).</summary>
public static class JobActionCommand
{
    public static Command Create(string action, string description)
    {
        var id = JobsCommand.JobIdArgument();
        var reason = new Option<string?>("--reason") { Description = "Why, for the job's history" };
        var operatorKey = JobsCommand.OperatorKeyOption();
        var command = new Command(action, description) { id, reason, operatorKey };
        command.SetCliAction(async (context, cancellationToken) =>
        {
            var jobId = JobsCommand.JobId(context, id);
            var client = context.OperatorClient(context.Parse.GetValue(operatorKey));
            var body = context.Parse.GetValue(reason) is { } text && !string.IsNullOrWhiteSpace(text)
                ? new JsonObject { ["reason"] = text.Trim() }.ToJsonString()
                : null;
            var answer = await client.PostAsync($"{JobsCommand.JobPath(jobId)}/{action}", body, cancellationToken);
            var job = GatewayClient.EnsureSuccess(answer, $"{action} job {jobId}").Json;
            context.Output.Document(JsonNode.Parse(job.GetRawText()));
            context.Output.Line($"{jobId}: {job.Status()} (attempt {job.Attempt()})");
            if (action == "retry" && !context.Output.Json)
            {
                context.Output.Note($"follow it: provisioning jobs watch {jobId}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
