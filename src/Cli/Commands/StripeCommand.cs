using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Provisioning.Cli.Gateway;

namespace Provisioning.Cli.Commands;

/// <summary>
/// <c>stripe reconcile [--since TIME|AGE]</c>: runs a reconciliation pass with Stripe's Events API now
/// (<c>POST /api/stripe/reconcile</c>, operator key) and prints what it listed and recovered. See docs/reconciliation.md.
/// </summary>
public static class StripeCommand
{
    public static Command Create()
    {
        var since = new Option<string?>("--since")
        {
            Description = "List events created from this ISO 8601 time (UTC without an offset) or this long ago (30m, 12h, 7d); " +
                "at most 30 days back [default: from the stored checkpoint]",
            HelpName = "time|age",
        };
        var operatorKey = JobsCommand.OperatorKeyOption();
        var reconcile = new Command("reconcile", "Reconcile with Stripe's Events API now: recover paid checkouts whose webhook never arrived (operator key)")
        {
            since, operatorKey,
        };
        reconcile.SetCliAction(async (context, cancellationToken) =>
        {
            var body = new JsonObject();
            if (context.Parse.GetValue(since) is { } from && !string.IsNullOrWhiteSpace(from))
            {
                body["since"] = ParseSince(from.Trim(), DateTimeOffset.UtcNow).ToString("O", CultureInfo.InvariantCulture);
            }

            var client = context.OperatorClient(context.Parse.GetValue(operatorKey));
            var answer = await client.PostAsync("api/stripe/reconcile", body.ToJsonString(), cancellationToken);
            var pass = GatewayClient.EnsureSuccess(answer, "reconcile with Stripe").Json;
            context.Output.Document(JsonNode.Parse(pass.GetRawText()));
            Print(context, pass);
            return ExitCodes.Ok;
        });
        return new Command("stripe", "Stripe: reconcile the inbox with Stripe's Events API") { reconcile };
    }

    /// <summary>An ISO 8601 time, or an age before <paramref name="now"/> such as <c>90m</c>, <c>12h</c> or <c>7d</c>.</summary>
    public static DateTimeOffset ParseSince(string text, DateTimeOffset now)
    {
        if (text.Length >= 2 && char.IsAsciiDigit(text[0])
            && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            switch (text[^1])
            {
                case 'm': return now.AddMinutes(-amount);
                case 'h': return now.AddHours(-amount);
                case 'd': return now.AddDays(-amount);
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw CliException.Usage($"--since: '{text}' is neither an ISO 8601 time (2026-03-01T12:00:00Z) nor an age (30m, 12h, 7d)");
    }

    private static void Print(CliContext context, JsonElement pass)
    {
        string Text(string name) => pass.GetProperty(name).ToString();
        if (pass.GetProperty("error").ValueKind == JsonValueKind.String)
        {
            context.Output.Line($"pass {Text("passId")} failed: {Text("error")}; {Text("recovered")} recovered before it stopped");
            context.Output.Note("the checkpoint is kept; the next pass continues where this one stopped");
            return;
        }

        context.Output.Line(
            $"pass {Text("passId")}: {Text("listed")} listed, {Text("alreadyPresent")} already in the inbox, {Text("recovered")} recovered " +
            $"(events created {Text("since")} to {Text("until")})");
        if (pass.GetProperty("endpointStatus").ValueKind == JsonValueKind.String && Text("endpointStatus") == "disabled")
        {
            context.Output.Note("Stripe reports the webhook endpoint disabled: enable it in Stripe's dashboard");
        }
    }
}
