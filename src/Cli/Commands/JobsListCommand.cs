using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Provisioning.Cli.Gateway;
using Provisioning.Cli.Output;

namespace Provisioning.Cli.Commands;

/// <summary><c>jobs list</c>: jobs from the gateway's read model, newest first, one page (<c>GET /api/jobs</c>).</summary>
public static class JobsListCommand
{
    private static readonly Option<string?> Status = new Option<string?>("--status", "-s")
    {
        Description = "Only jobs in this status",
    }.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, JobFormat.Statuses);

    private static readonly Option<string?> User = new("--user", "-u") { Description = "Only this user's jobs" };

    private static readonly Option<string?> Search = new("--search", "-q") { Description = "Only jobs whose job, user or agent id contains this text" };

    private static readonly Option<int?> Limit = new("--limit", "-n") { Description = "How many jobs, 1 to 200 [default: 50]" };

    private static readonly Option<string?> Cursor = new("--cursor") { Description = "Continue after the page that printed this cursor" };

    private static readonly Option<string?> OperatorKey = JobsCommand.OperatorKeyOption();

    public static Command Create()
    {
        var command = new Command("list", "List jobs, newest first") { Status, User, Search, Limit, Cursor, OperatorKey };
        command.SetCliAction(ListAsync);
        return command;
    }

    private static async Task<int> ListAsync(CliContext context, CancellationToken cancellationToken)
    {
        var parse = context.Parse;
        if (parse.GetValue(Limit) is { } limit && limit is < 1 or > 200)
        {
            throw CliException.Usage($"--limit: {limit} is not a number from 1 to 200");
        }

        var query = new List<string>();
        Add(query, "status", parse.GetValue(Status)?.ToLowerInvariant());
        Add(query, "userId", parse.GetValue(User));
        Add(query, "q", parse.GetValue(Search));
        Add(query, "limit", parse.GetValue(Limit)?.ToString(CultureInfo.InvariantCulture));
        Add(query, "cursor", parse.GetValue(Cursor));
        var path = "api/jobs" + (query.Count == 0 ? "" : "?" + string.Join('&', query));

        var client = context.Client(parse.GetValue(OperatorKey));
        var page = GatewayClient.EnsureSuccess(await client.GetAsync(path, cancellationToken), "jobs").Json;
        var items = page.GetProperty("items").EnumerateArray().ToList();
        var next = page.TryGetProperty("nextCursor", out var cursor) && cursor.ValueKind == JsonValueKind.String ? cursor.GetString() : null;

        context.Output.Document(JsonNode.Parse(page.GetRawText()));
        if (items.Count == 0)
        {
            context.Output.Note("no jobs match");
        }
        else
        {
            JobFormat.WriteTable(context.Output, items);
        }

        if (next is not null)
        {
            context.Output.Note($"more jobs: add --cursor {next}");
        }

        return ExitCodes.Ok;
    }

    private static void Add(List<string> query, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            query.Add($"{name}={Uri.EscapeDataString(value.Trim())}");
        }
    }
}
