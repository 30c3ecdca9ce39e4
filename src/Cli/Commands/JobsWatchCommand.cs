using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Provisioning.Cli.Gateway;
using Provisioning.Cli.Output;

namespace Provisioning.Cli.Commands;

/// <summary>
/// <c>jobs watch ID</c>: follows a job until it ends, printing each new history entry and, on a terminal, a live status line.
/// Exit code 0 when it succeeded, 8 failed, 9 cancelled, 10 when <c>--timeout</c> passed first.
/// </summary>
public static class JobsWatchCommand
{
    private static readonly Argument<string> Id = JobsCommand.JobIdArgument();

    private static readonly Option<double> Interval = new("--interval")
    {
        Description = "Seconds between two looks at the job",
        DefaultValueFactory = _ => 1,
    };

    private static readonly Option<double?> Timeout = new("--timeout")
    {
        Description = "Give up after this many seconds (exit code 10) [default: wait until the job ends]",
    };

    private static readonly Option<string?> OperatorKey = JobsCommand.OperatorKeyOption();

    public static Command Create()
    {
        var command = new Command("watch", "Follow a job until it succeeds (exit 0), fails (8) or is cancelled (9)")
        {
            Id, Interval, Timeout, OperatorKey,
        };
        command.SetCliAction(WatchAsync);
        return command;
    }

    private static async Task<int> WatchAsync(CliContext context, CancellationToken cancellationToken)
    {
        var parse = context.Parse;
        var jobId = JobsCommand.JobId(context, Id);
        var interval = parse.GetValue(Interval);
        if (interval is < 0.05 or > 3600 || double.IsNaN(interval))
        {
            throw CliException.Usage($"--interval: {interval} is not a number of seconds from 0.05 to 3600");
        }

        var timeout = parse.GetValue(Timeout);
        if (timeout is <= 0 || (timeout is { } t && double.IsNaN(t)))
        {
            throw CliException.Usage($"--timeout: {timeout} is not a positive number of seconds");
        }

        var client = context.Client(parse.GetValue(OperatorKey));
        var output = context.Output;
        var live = output.IsTerminal && !output.Json;
        var clock = Stopwatch.StartNew();
        var seenHistory = 0;
        (string Status, int Attempt)? last = null;
        string? trouble = null;
        if (!output.Json)
        {
            output.Note($"watching job {jobId} at {context.GatewayUrl} (Ctrl-C stops watching; the job goes on)");
        }

        while (true)
        {
            var job = await LookAsync(client, jobId, seen: last is not null, cancellationToken);
            if (job is { } current)
            {
                trouble = null;
                var state = (current.Status(), current.Attempt());
                if (live)
                {
                    output.Raw("\r\u001b[2K");
                }

                seenHistory = WriteNewHistory(output, current, seenHistory);
                if (state != last)
                {
                    output.StreamItem(JsonNode.Parse(current.GetRawText()));
                    last = state;
                }

                if (JobFormat.IsTerminal(state.Item1))
                {
                    return Finish(output, current);
                }

                if (live)
                {
                    output.Raw(StatusLine(current, clock.Elapsed));
                }
            }
            else if (trouble is null)
            {
                trouble = "the gateway is not answering; still watching";
                output.Note((live ? "\r\u001b[2K" : "") + trouble);
            }

            if (timeout is { } limit && clock.Elapsed.TotalSeconds >= limit)
            {
                if (live)
                {
                    output.Raw("\r\u001b[2K");
                }

                throw new CliException(ExitCodes.Timeout, "timeout",
                    $"job {jobId} has not ended after {limit.ToString(CultureInfo.InvariantCulture)} s (it is {last?.Status ?? "unknown"})");
            }

            await Task.Delay(TimeSpan.FromSeconds(interval), cancellationToken);
        }
    }

    /// <summary>
    /// The job now, or null when the gateway is briefly unavailable (503, or no connection after the job was seen once);
    /// any other failure ends the watch.
    /// </summary>
    private static async Task<JsonElement?> LookAsync(GatewayClient client, string jobId, bool seen, CancellationToken cancellationToken)
    {
        GatewayAnswer answer;
        try
        {
            answer = await client.GetAsync(JobsCommand.JobPath(jobId), cancellationToken);
        }
        catch (CliException failure) when (seen && failure.ExitCode == ExitCodes.Unreachable)
        {
            return null;
        }

        if (answer.Status == HttpStatusCode.ServiceUnavailable)
        {
            return null;
        }

        return GatewayClient.EnsureSuccess(answer, $"job {jobId}").Json;
    }

    private static int WriteNewHistory(CliOutput output, JsonElement job, int seen)
    {
        if (!job.TryGetProperty("history", out var history) || history.ValueKind != JsonValueKind.Array)
        {
            return seen;
        }

        var entries = history.EnumerateArray().ToList();
        foreach (var entry in entries.Skip(seen))
        {
            output.Line(JobFormat.HistoryLine(entry));
        }

        return Math.Max(seen, entries.Count);
    }

    private static int Finish(CliOutput output, JsonElement job)
    {
        var status = job.Status();
        var jobId = job.Text("jobId");
        switch (status)
        {
            case "succeeded":
                output.Line($"job {jobId} succeeded (attempt {job.Attempt()}){(job.Text("output") is { } result ? $": output {result}" : "")}");
                return ExitCodes.Ok;
            case "failed":
                output.Line($"job {jobId} failed (attempt {job.Attempt()}): {job.Text("lastError") ?? "no error recorded"}");
                if (!output.Json)
                {
                    output.Note($"retry it: provisioning jobs retry {jobId}");
                }

                return ExitCodes.JobFailed;
            default:
                output.Line($"job {jobId} was cancelled (attempt {job.Attempt()})");
                return ExitCodes.JobCancelled;
        }
    }

    private static string StatusLine(JsonElement job, TimeSpan watched)
    {
        var parts = new List<string> { $"{job.Text("jobId")} {job.Status()}", $"attempt {job.Attempt()}" };
        if (job.Text("runId") is { } run)
        {
            parts.Add($"run {run}");
        }

        if (job.Text("lastHeartbeatAt") is { } beat && DateTimeOffset.TryParse(beat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            parts.Add($"last heartbeat {Math.Max(0, (DateTimeOffset.UtcNow - at).TotalSeconds):0}s ago");
        }

        parts.Add($"watching {(int)watched.TotalMinutes}:{watched.Seconds:00}");
        return string.Join(" | ", parts);
    }
}
