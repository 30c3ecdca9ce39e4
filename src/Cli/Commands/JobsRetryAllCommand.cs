using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Provisioning.Cli.Gateway;

namespace Provisioning.Cli.Commands;

/// <summary>
/// <c>jobs retry-all [--status failed|cancelled] [--since TIME] [--limit N] [--reason TEXT]</c>: the bulk operator action
/// <c>POST /api/jobs/retry</c> (docs/operators.md), e.g. after an outage made many jobs fail.
/// </summary>
public static class JobsRetryAllCommand
{
    public static Command Create()
    {
        var status = new Option<string>("--status")
        {
            Description = "Which jobs: failed or cancelled",
            DefaultValueFactory = _ => "failed",
        };
        status.AcceptOnlyFromAmong("failed", "cancelled");
        var since = new Option<string?>("--since")
        {
            Description = "Only jobs whose last change is at or after this ISO 8601 time (UTC without an offset)",
            HelpName = "time",
        };
        var limit = new Option<int?>("--limit") { Description = "At most this many jobs, 1 to 500 [default: the gateway's, 100]", HelpName = "n" };
        var reason = new Option<string?>("--reason") { Description = "Why, for each job's history" };
        var operatorKey = JobsCommand.OperatorKeyOption();
        var command = new Command("retry-all", "Start a new attempt of every failed (or cancelled) job, oldest change first (operator key)")
        {
            status, since, limit, reason, operatorKey,
        };
        command.SetCliAction(async (context, cancellationToken) =>
        {
            var body = new JsonObject { ["status"] = context.Parse.GetValue(status) };
            if (context.Parse.GetValue(since) is { } from && !string.IsNullOrWhiteSpace(from))
            {
                body["since"] = DateTimeOffset.TryParse(from.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                    ? at.ToString("O", CultureInfo.InvariantCulture)
                    : throw CliException.Usage($"--since: '{from}' is not an ISO 8601 time (e.g. 2026-03-01T12:00:00Z)");
            }

            if (context.Parse.GetValue(limit) is { } most)
            {
                body["limit"] = most is >= 1 and <= 500 ? most : throw CliException.Usage("--limit must be between 1 and 500");
            }

            if (context.Parse.GetValue(reason) is { } text && !string.IsNullOrWhiteSpace(text))
            {
                body["reason"] = text.Trim();
            }

            var client = context.OperatorClient(context.Parse.GetValue(operatorKey));
            var answer = await client.PostAsync("api/jobs/retry", body.ToJsonString(), cancellationToken);
            var result = GatewayClient.EnsureSuccess(answer, $"retry {body["status"]} jobs").Json;
            context.Output.Document(JsonNode.Parse(result.GetRawText()));
            Print(context, result, (string)body["status"]!);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Print(CliContext context, JsonElement result, string status)
    {
        var retried = result.GetProperty("jobIds").EnumerateArray().Select(id => id.GetString()).ToList();
        var skipped = result.GetProperty("skipped").EnumerateArray().ToList();
        context.Output.Line(retried.Count == 0
            ? $"retried no {status} jobs"
            : $"retried {retried.Count} {status} job{(retried.Count == 1 ? "" : "s")}: {string.Join(", ", retried)}");
        foreach (var job in skipped)
        {
            context.Output.Line($"skipped {job.GetProperty("jobId").GetString()}: {job.GetProperty("reason").GetString()}");
        }

        if (retried.Count > 0 && !context.Output.Json)
        {
            context.Output.Note("follow one: provisioning jobs watch <id>; run this again if more jobs match than the limit");
        }
    }
}
