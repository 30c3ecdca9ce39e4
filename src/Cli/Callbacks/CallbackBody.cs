using System.Text.Json;
using System.Text.Json.Nodes;

namespace Provisioning.Cli.Callbacks;

/// <summary>
/// The body of a workflow callback, in the field order <c>scripts/provision-callback.sh</c> sends: <c>job_id</c>, <c>attempt</c>,
/// <c>event</c>, <c>run_id</c>, <c>run_attempt</c>, <c>run_url</c>, <c>message</c>, <c>retryable</c> (on <c>fail</c>), <c>output</c>.
/// </summary>
public sealed record CallbackBody(
    string JobId, int Attempt, string Event, string RunId, int? RunAttempt, string? RunUrl, string? Message, bool Retryable, JsonObject? Output)
{
    public static readonly string[] Events = ["claim", "heartbeat", "complete", "fail"];

    public string ToJson()
    {
        var body = new JsonObject
        {
            ["job_id"] = JobId,
            ["attempt"] = Attempt,
            ["event"] = Event,
            ["run_id"] = RunId,
        };
        if (RunAttempt is { } runAttempt)
        {
            body["run_attempt"] = runAttempt;
        }

        if (RunUrl is not null)
        {
            body["run_url"] = RunUrl;
        }

        if (Message is not null)
        {
            body["message"] = Message;
        }

        if (Event == "fail")
        {
            body["retryable"] = Retryable;
        }

        if (Output is not null)
        {
            body["output"] = Output.DeepClone();
        }

        return body.ToJsonString();
    }

    /// <summary>The run's output: <c>--output</c> (a JSON object) with each <c>--field KEY=VALUE</c> added as a string.</summary>
    public static JsonObject? ReadOutput(string? output, IReadOnlyList<string> fields)
    {
        if (string.IsNullOrWhiteSpace(output) && fields.Count == 0)
        {
            return null;
        }

        JsonObject result;
        try
        {
            result = string.IsNullOrWhiteSpace(output) ? [] : JsonNode.Parse(output) as JsonObject
                ?? throw CliException.Usage("--output must be a JSON object, e.g. '{\"endpoint\":\"https://...\"}'");
        }
        catch (JsonException ex)
        {
            throw CliException.Usage($"--output is not valid JSON: {ex.Message}");
        }

        foreach (var field in fields)
        {
            var equals = field.IndexOf('=');
            if (equals <= 0)
            {
                throw CliException.Usage($"--field needs KEY=VALUE (got '{field}')");
            }

            result[field[..equals]] = field[(equals + 1)..];
        }

        return result;
    }
}
