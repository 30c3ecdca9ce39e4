using System.Globalization;
using System.Text.Json;

namespace Provisioning.Cli.Output;

/// <summary>Reads the fields of the gateway's job JSON (docs/api.md) and writes them for people.</summary>
public static class JobFormat
{
    public static readonly string[] Statuses = ["waiting", "queued", "dispatched", "provisioning", "succeeded", "failed", "cancelled"];

    public static string? Text(this JsonElement job, string name) =>
        job.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => value.GetRawText(),
        }
        : null;

    public static int Attempt(this JsonElement job) =>
        job.TryGetProperty("attempt", out var value) && value.TryGetInt32(out var attempt) ? attempt : 0;

    public static string Status(this JsonElement job) => job.Text("status") ?? "?";

    public static bool IsTerminal(string status) => status is "succeeded" or "failed" or "cancelled";

    /// <summary>A time of the API as UTC <c>yyyy-MM-dd HH:mm:ss</c>, or "-".</summary>
    public static string Time(string? iso) =>
        iso is not null && DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : "-";

    /// <summary>One history entry as a line: time, from -> to, actor, reason.</summary>
    public static string HistoryLine(JsonElement entry)
    {
        var from = entry.Text("from");
        var actor = entry.Text("actor") ?? "?";
        var name = entry.Text("actorName");
        return $"{Time(entry.Text("at"))}  {(from is null ? "" : from + " -> ")}{entry.Text("to")}  " +
               $"{(name is null ? actor : $"{actor} ({name})")}: {entry.Text("reason")}";
    }

    /// <summary>The whole job, field by field, then its history (for <c>jobs show</c>).</summary>
    public static void WriteJob(CliOutput output, JsonElement job)
    {
        var rows = new (string Name, string? Value)[]
        {
            ("job", job.Text("jobId")),
            ("status", $"{job.Status()} (attempt {job.Attempt()})"),
            ("user", job.Text("userId")),
            ("agent", job.Text("agentId")),
            ("region", job.Text("region")),
            ("run", Join(job.Text("runId"), job.Text("runUrl"))),
            ("created", Time(job.Text("createdAt"))),
            ("updated", Time(job.Text("updatedAt"))),
            ("heartbeat", Time(job.Text("lastHeartbeatAt"))),
            ("last error", job.Text("lastError")),
            ("output", job.Text("output")),
        };
        foreach (var (name, value) in rows)
        {
            output.Line($"{name,-11}{value ?? "-"}");
        }

        if (job.TryGetProperty("history", out var history) && history.ValueKind == JsonValueKind.Array)
        {
            output.Line();
            output.Line("history");
            foreach (var entry in history.EnumerateArray())
            {
                output.Line("  " + HistoryLine(entry));
            }
        }
    }

    /// <summary>Jobs as a table with a header row, columns as wide as their widest cell.</summary>
    public static void WriteTable(CliOutput output, IReadOnlyList<JsonElement> jobs)
    {
        string[] header = ["JOB", "STATUS", "ATTEMPT", "USER", "AGENT", "REGION", "UPDATED (UTC)"];
        var rows = jobs.Select(job => new[]
        {
            job.Text("jobId") ?? "?", job.Status(), job.Attempt().ToString(CultureInfo.InvariantCulture), job.Text("userId") ?? "-",
            job.Text("agentId") ?? "-", job.Text("region") ?? "-", Time(job.Text("updatedAt")),
        }).Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Max(row => row[i].Length)).ToArray();
        foreach (var row in rows)
        {
            output.Line(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))));
        }
    }

    private static string? Join(string? first, string? second) =>
        (first, second) switch
        {
            (null, null) => null,
            (not null, not null) => $"{first}  {second}",
            _ => first ?? second,
        };
}
